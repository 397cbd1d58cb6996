# The Query protocol's form (body or query string) is parsed before the signature is checked,
# and AssumeRoleWithWebIdentity's parameters are read without one.
kura_fuzz_target(sts_query LIBS kura_sts)
target_include_directories(sts_query_fuzz PRIVATE ${PROJECT_SOURCE_DIR})
