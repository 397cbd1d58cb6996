# Session token Seal / Open cost and size: bench/sts_token_bench.cc.
add_executable(sts_token_bench sts_token_bench.cc)
target_link_libraries(sts_token_bench PRIVATE kura_sts benchmark::benchmark_main)
target_include_directories(sts_token_bench PRIVATE ${PROJECT_SOURCE_DIR})
