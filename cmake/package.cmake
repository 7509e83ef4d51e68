# Install-time packaging: lede.pc for pkg-config and ledeConfig.cmake for
# find_package(lede), giving lede::lede (shared) and lede::lede_static.
set_target_properties(lede_shared PROPERTIES EXPORT_NAME lede)
# The .pc file finds its prefix from where it lies, so an install under
# another prefix (cmake --install --prefix, DESTDIR, a copied tree) works.
file(RELATIVE_PATH LEDE_PC_RELPREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" LEDE_PC_RELPREFIX "${LEDE_PC_RELPREFIX}")
file(RELATIVE_PATH LEDE_PC_LIBDIR ${CMAKE_INSTALL_PREFIX} ${CMAKE_INSTALL_FULL_LIBDIR})
file(RELATIVE_PATH LEDE_PC_INCLUDEDIR ${CMAKE_INSTALL_PREFIX} ${CMAKE_INSTALL_FULL_INCLUDEDIR})
configure_file(${CMAKE_SOURCE_DIR}/cmake/lede.pc.in ${CMAKE_BINARY_DIR}/lede.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/lede.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

include(CMakePackageConfigHelpers)
set(LEDE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/lede)
install(EXPORT ledeTargets NAMESPACE lede:: DESTINATION ${LEDE_CMAKE_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/ledeConfig.cmake.in
  ${CMAKE_BINARY_DIR}/ledeConfig.cmake INSTALL_DESTINATION ${LEDE_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/ledeConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/ledeConfig.cmake ${CMAKE_BINARY_DIR}/ledeConfigVersion.cmake
  DESTINATION ${LEDE_CMAKE_DIR})
