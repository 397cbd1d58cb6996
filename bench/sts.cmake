# STS: AssumeRole handler throughput and the cost of session credentials per request:
# bench/sts_bench.cc.
add_executable(sts_bench sts_bench.cc)
target_link_libraries(sts_bench PRIVATE kura_sts GTest::gtest benchmark::benchmark_main)
target_include_directories(sts_bench PRIVATE ${PROJECT_SOURCE_DIR})
