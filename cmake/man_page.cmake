# Writes kura(1), gzipped, from the built kura's own help: `kura --help` through help2man, the
# flags of `kura serve --help` as a FLAGS OF kura serve section, the other commands' --help
# verbatim, and the static sections of packaging/kura.h2m (files, environment). Run with
# `cmake -P` by the kura_man target (cmake/package.cmake), so the page cannot drift from --help.
# Inputs (-D): KURA (the binary), SOURCE_DIR, VERSION, OUT (…/kura.1.gz).
find_program(HELP2MAN help2man)
find_program(GZIP gzip)
if(NOT HELP2MAN OR NOT GZIP)
  message(FATAL_ERROR "kura(1) needs help2man and gzip (scripts/package installs them)")
endif()

function(roff_escape text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(command_help command out)
  execute_process(COMMAND ${KURA} ${command} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "kura ${command} --help failed (${status})")
  endif()
  set(${out} "${help}" PARENT_SCOPE)
endfunction()

# kura serve: one .TP entry per "  --name   text" line.
command_help(serve serve_help)
string(ASCII 1 semicolon)  # a list splits at ';', which the help text has
string(REPLACE ";" "${semicolon}" serve_help "${serve_help}")
string(REPLACE "\n" ";" serve_lines "${serve_help}")
set(include "[FLAGS OF kura serve]\n")
foreach(line IN LISTS serve_lines)
  string(REPLACE "${semicolon}" ";" line "${line}")
  if(line MATCHES "^  --([a-z0-9-]+) +(.*)$")
    roff_escape("${CMAKE_MATCH_1}" name)
    roff_escape("${CMAKE_MATCH_2}" text)
    string(APPEND include ".TP\n.B \\-\\-${name}\n${text}\n")
  endif()
endforeach()

string(APPEND include "\n[OTHER COMMANDS]\n")
foreach(command sts kms account scrub)
  command_help(${command} help)
  roff_escape("${help}" help)
  string(APPEND include ".SS \"kura ${command}\"\n.nf\n${help}.fi\n")
endforeach()

get_filename_component(out_dir "${OUT}" DIRECTORY)
file(READ "${SOURCE_DIR}/packaging/kura.h2m" static_sections)
file(WRITE "${out_dir}/kura.h2m" "${include}\n${static_sections}")
string(REGEX REPLACE "\\.gz$" "" page "${OUT}")
execute_process(
  COMMAND ${HELP2MAN} --no-info --section=1 --version-string=${VERSION}
          "--name=S3-compatible object store with IAM and STS"
          --include=${out_dir}/kura.h2m --output=${page} ${KURA}
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "help2man failed (${status})")
endif()
# -n: no name or time stamp in the gzip header (reproducible, as Debian policy asks).
execute_process(COMMAND ${GZIP} -9nf ${page} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "gzip failed (${status})")
endif()
