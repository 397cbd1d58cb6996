# Range and x-amz-copy-source-range headers come straight from clients.
kura_fuzz_target(byte_range LIBS kura_s3)
target_include_directories(byte_range_fuzz PRIVATE ${PROJECT_SOURCE_DIR})
