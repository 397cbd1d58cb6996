# X-Forwarded-For comes from clients through a trusted load balancer (--trusted-proxies).
kura_fuzz_target(forwarded_for LIBS kura_http)
