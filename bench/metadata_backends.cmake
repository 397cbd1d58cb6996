# metadata_backends_bench: the same 4 KiB PUT and GET against the SQLite and PostgreSQL
# metadata stores (PostgreSQL at KURA_BENCH_POSTGRES_URL; see the file's header).
add_executable(metadata_backends_bench ${CMAKE_CURRENT_LIST_DIR}/metadata_backends_bench.cc)
target_link_libraries(metadata_backends_bench PRIVATE kura_store kura_store_postgres
  benchmark::benchmark_main)
