# Metrics: the request path's cost of counting one request (bench/metrics_bench.cc).
add_executable(metrics_bench metrics_bench.cc)
target_link_libraries(metrics_bench PRIVATE kura_metrics benchmark::benchmark_main)
target_include_directories(metrics_bench PRIVATE ${PROJECT_SOURCE_DIR})
