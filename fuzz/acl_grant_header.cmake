# x-amz-grant-* header values (and POST upload form fields of those names) come from any
# signed-in client.
kura_fuzz_target(acl_grant_header LIBS kura_s3)
