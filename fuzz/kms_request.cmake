# KMS JSON request bodies (and the CiphertextBlobs inside them) come straight from clients.
kura_fuzz_target(kms_request LIBS kura_kms)
target_include_directories(kms_request_fuzz PRIVATE ${PROJECT_SOURCE_DIR})
