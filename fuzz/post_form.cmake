# Browser POST uploads arrive unauthenticated: the multipart/form-data body is parsed before any
# signature is checked.
kura_fuzz_target(post_form LIBS kura_s3)
target_include_directories(post_form_fuzz PRIVATE ${PROJECT_SOURCE_DIR})
