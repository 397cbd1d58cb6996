# An encrypted blob's header is read from disk: a damaged or hostile blob file is its input.
kura_fuzz_target(encrypted_blob_header LIBS kura_crypt)
