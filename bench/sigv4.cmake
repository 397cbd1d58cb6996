# SigV4 microbenchmarks: Verify of a typical S3 GET (signing key cached) and PayloadVerifier
# throughput over 1 MiB bodies (unsigned, signed SHA-256, aws-chunked signed, unsigned+trailer).
add_executable(sigv4_bench ${CMAKE_CURRENT_LIST_DIR}/sigv4_bench.cc)
target_link_libraries(sigv4_bench PRIVATE kura_sigv4 benchmark::benchmark_main)
