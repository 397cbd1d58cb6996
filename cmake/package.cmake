# The Debian package (CPack's DEB generator), built by scripts/package from the release build:
#   /usr/bin/kura                      build/kura, stripped
#   /lib/systemd/system/kura.service   runs `kura serve --config /etc/kura/kura.conf` as user kura
#   /etc/kura/kura.conf                a conffile: the settings, defaults commented
#   /usr/share/man/man1/kura.1.gz      from --help (target kura_man, cmake/man_page.cmake)
#   /usr/share/doc/kura/               copyright, changelog.gz
# postinst makes the kura system user; systemd makes /var/lib/kura (StateDirectory=kura).
# Depends are computed from the binary's libraries (dpkg-shlibdeps), plus adduser.
# `cpack` builds only what these install rules name (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY): build
# the kura and kura_man targets first, as scripts/package and tests/e2e/test_package.py do.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(packaging ${PROJECT_SOURCE_DIR}/packaging)

add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/man/kura.1.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
  COMMAND ${CMAKE_COMMAND} -DKURA=$<TARGET_FILE:kura> -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
          -DVERSION=${PROJECT_VERSION} -DOUT=${CMAKE_BINARY_DIR}/man/kura.1.gz
          -P ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
  DEPENDS kura ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake ${packaging}/kura.h2m
  COMMENT "Generating kura(1) from --help" VERBATIM)
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/man/changelog.gz
  COMMAND gzip -9nc ${packaging}/changelog > ${CMAKE_BINARY_DIR}/man/changelog.gz
  DEPENDS ${packaging}/changelog VERBATIM)
add_custom_target(kura_man DEPENDS ${CMAKE_BINARY_DIR}/man/kura.1.gz ${CMAKE_BINARY_DIR}/man/changelog.gz)

install(TARGETS kura RUNTIME DESTINATION bin)
install(FILES ${CMAKE_BINARY_DIR}/man/kura.1.gz DESTINATION share/man/man1)
install(FILES ${packaging}/copyright ${CMAKE_BINARY_DIR}/man/changelog.gz DESTINATION share/doc/kura)
install(FILES ${packaging}/kura.service DESTINATION /lib/systemd/system)
install(FILES ${packaging}/kura.conf DESTINATION /etc/kura)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kura)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "kura maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "S3-compatible object store with IAM and STS")
set(CPACK_PACKAGE_DESCRIPTION
    "kura is an S3-compatible object store with AWS-compatible IAM and STS built\n\
in: one binary, one endpoint, the tools you already use against AWS (aws CLI,\n\
boto3 and the other SDKs, rclone, s3cmd). It issues short-lived, narrowly\n\
scoped credentials (STS AssumeRole and friends), so that an application can\n\
hand its clients temporary rights to upload or read.\n\
.\n\
This package runs kura as a systemd service (kura.service) under its own\n\
system user, settings in /etc/kura/kura.conf, data in /var/lib/kura.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER
    "kura maintainers <maintainers@users.noreply.r-seed-c35888f5.example>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${packaging}/conffiles ${packaging}/postinst ${packaging}/prerm ${packaging}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
# Absolute destinations (/etc, /lib) land in the package, not on this machine.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
include(CPack)
