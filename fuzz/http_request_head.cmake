# Every byte a client sends before it is authenticated: the request line and header fields, as
# the connection reads them (src/http/request_head.h). The target compiles that one file rather
# than linking kura_http: it needs none of the server.
kura_fuzz_target(http_request_head LIBS kura_common)
target_sources(http_request_head_fuzz PRIVATE ${PROJECT_SOURCE_DIR}/src/http/request_head.cc)
