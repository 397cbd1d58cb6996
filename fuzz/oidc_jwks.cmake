# A provider's JWKS comes from the network (or an operator's file).
kura_fuzz_target(oidc_jwks LIBS kura_oidc)
