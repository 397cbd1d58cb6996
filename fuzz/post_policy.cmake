# The POST policy document is parsed once its signature verifies; its JSON is the signer's, and
# the fields it is checked against are the anonymous sender's.
kura_fuzz_target(post_policy LIBS kura_s3)
