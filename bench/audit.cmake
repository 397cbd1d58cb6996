# The audit record's cost per request (build + enqueue): bench/audit_bench.cc.
add_executable(audit_bench audit_bench.cc)
target_link_libraries(audit_bench PRIVATE kura_api benchmark::benchmark_main)
target_include_directories(audit_bench PRIVATE ${PROJECT_SOURCE_DIR})
