# Which modules each module of src/ may use — the one statement of kura's layering
# (docs/architecture.md, "Layers"). Read twice: at configure time, against what each kura_*
# library links (src/CMakeLists.txt), and by the test architecture.includes, against every
# #include "module/…" in src/ (tests/architecture/check_includes.cmake).
# A module not listed here may use nothing of kura (common is the ground floor).
set(KURA_LAYER_common "")
set(KURA_LAYER_http common)
set(KURA_LAYER_metrics common)
set(KURA_LAYER_sigv4 common)
set(KURA_LAYER_policy common)
set(KURA_LAYER_oidc common)
set(KURA_LAYER_store common)
set(KURA_LAYER_crypt common store)
set(KURA_LAYER_scrub common crypt store)
set(KURA_LAYER_query common policy sigv4)
set(KURA_LAYER_iam common oidc policy query sigv4 store)
set(KURA_LAYER_sts common oidc policy query sigv4)
set(KURA_LAYER_kms common policy store)
set(KURA_LAYER_s3 common crypt kms policy sigv4 store)
set(KURA_LAYER_organizations common iam policy store)
set(KURA_LAYER_api common http kms metrics organizations policy query s3 sigv4 store)
set(KURA_LAYER_node api common iam organizations store sts)
set(KURA_LAYER_migrate api common crypt iam node store store_open store_postgres store_rados sts)
set(KURA_LAYER_console common http)
set(KURA_LAYER_cmd api common console http iam metrics kms migrate node oidc organizations policy query s3 scrub sigv4 store sts)
# The one adapter between two peers: STS reads roles from IAM's identity store through
# sts/iam_role_directory.* (its own library, kura_sts_iam, which only cmd links).
set(KURA_LAYER_EXCEPTIONS "sts/iam_role_directory.h:iam" "sts/iam_role_directory.cc:iam")
set(KURA_MODULES common http metrics sigv4 policy oidc store crypt scrub query iam sts kms s3 organizations api node migrate console cmd)
