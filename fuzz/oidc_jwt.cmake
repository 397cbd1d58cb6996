# Web identity tokens arrive unauthenticated (AssumeRoleWithWebIdentity is unsigned).
kura_fuzz_target(oidc_jwt LIBS kura_oidc)
