add_executable(policy_bench policy_bench.cc)
target_link_libraries(policy_bench PRIVATE kura_policy benchmark::benchmark_main)
