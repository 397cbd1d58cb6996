# Every byte a client sends before it is authenticated: the request line and header fields, as
# the connection reads them (src/http/request_head.h). The target compiles that one file rather
# than linking kura_http: it needs none of the server.
kura_fuzz_target(http_request_head LIBS kura_common)
target_sources(http_request_head_fuzz PRIVATE ${PROJECT_SOURCE_DIR}/src/http/request_head.cc)
# GCC 12 with -fsanitize=address,undefined reports Beast's own `return boost::none` in
# basic_parser::content_length_unchecked() as maybe-uninitialized once it is inlined into this
# small target: a false positive inside Boost (src/http compiles the same parser without it), and
# -Werror would stop the sanitizer build on it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(http_request_head_fuzz PRIVATE -Wno-maybe-uninitialized)
endif()
