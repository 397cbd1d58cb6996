# store_bench: durable PUT throughput with group commit, small GETs, listing page cost.
add_executable(store_bench ${CMAKE_CURRENT_LIST_DIR}/store_bench.cc)
target_link_libraries(store_bench PRIVATE kura_store benchmark::benchmark_main)
