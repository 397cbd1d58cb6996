# Session tokens arrive from any client (x-amz-security-token, X-Amz-Security-Token).
kura_fuzz_target(sts_token LIBS kura_sts)
target_include_directories(sts_token_fuzz PRIVATE ${PROJECT_SOURCE_DIR})
# The claims record inside a token: reachable only with the key, fuzzed directly.
kura_fuzz_target(sts_token_claims LIBS kura_sts)
target_include_directories(sts_token_claims_fuzz PRIVATE ${PROJECT_SOURCE_DIR})
# Writes the seed corpora (real tokens sealed with the fixture key): run by hand, see
# docs/formats/session-token.md.
add_executable(sts_token_corpus_gen EXCLUDE_FROM_ALL sts_token_corpus_gen.cc)
target_link_libraries(sts_token_corpus_gen PRIVATE kura_sts)
target_include_directories(sts_token_corpus_gen PRIVATE ${PROJECT_SOURCE_DIR})
