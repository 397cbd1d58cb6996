# Organizations JSON request bodies come straight from clients (of the management account).
kura_fuzz_target(organizations_request LIBS kura_organizations)
target_include_directories(organizations_request_fuzz PRIVATE ${PROJECT_SOURCE_DIR})
