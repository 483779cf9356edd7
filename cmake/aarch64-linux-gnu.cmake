# SPDX-License-Identifier: MIT
# Cross build for arm64 with Debian's gcc-aarch64-linux-gnu and the :arm64 multiarch -dev
# packages (scripts/release): headers are shared, libraries and pkg-config files are under
# /usr/lib/aarch64-linux-gnu.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# pkg-config reads the arm64 .pc files only (Debian's cross wrapper does the same).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
# Programs (readelf, dpkg) are the build machine's; libraries and headers the target's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# The .deb's architecture, and dpkg-shlibdeps' (through DEB_HOST_ARCH when cpack runs).
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
