kura_fuzz_target(sigv4_chunked LIBS kura_sigv4)
