# lifecycle_pass_bench: one lifecycle worker pass over a large bucket on the SQLite store — pass
# duration, the longest single store write of the pass, and foreground PUT latency meanwhile.
add_executable(lifecycle_pass_bench ${CMAKE_CURRENT_LIST_DIR}/lifecycle_pass_bench.cc)
target_link_libraries(lifecycle_pass_bench PRIVATE kura_s3 kura_store)
