# crypt_bench: encrypted-blob throughput, encrypting (PUT path) and decrypting (GET path) 64 MiB.
add_executable(crypt_bench ${CMAKE_CURRENT_LIST_DIR}/crypt_bench.cc)
target_link_libraries(crypt_bench PRIVATE kura_crypt benchmark::benchmark_main)
target_include_directories(crypt_bench PRIVATE ${PROJECT_SOURCE_DIR})
