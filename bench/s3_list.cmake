# s3_list_bench: ListObjectsV2 page cost from 1 K to 1 M keys (should stay flat).
add_executable(s3_list_bench ${CMAKE_CURRENT_LIST_DIR}/s3_list_bench.cc)
target_link_libraries(s3_list_bench PRIVATE kura_store benchmark::benchmark_main)
