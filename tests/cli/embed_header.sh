#!/bin/bash
# include/lede.h compiles cleanly as C++11 and as C99 (-pedantic -Werror) and
# links against the built library from both languages.
set -euo pipefail
src=${LEDE_SOURCE_DIR:?}
lib=${LEDE_LIB:?LEDE_LIB must name the built liblede.so}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
libdir=$(dirname "$lib")
san=()
[[ ${LEDE_SANITIZE:-0} == 1 ]] && san=(-fsanitize=address,undefined)
g++ -std=c++11 -Wall -Wextra -Werror -pedantic "${san[@]}" -I"$src/include" "$src/tests/cxx/header.cpp" \
    -o "$tmp/cxx" -L"$libdir" -llede -Wl,-rpath,"$libdir"
gcc -std=c99 -Wall -Wextra -Werror -pedantic "${san[@]}" -I"$src/include" "$src/tests/cxx/header_c99.c" \
    -o "$tmp/c99" -L"$libdir" -llede -Wl,-rpath,"$libdir"
out=$("$tmp/cxx")
[[ $out == "$(sed -n "s/^#define LEDE_VERSION_STRING \"\(.*\)\"/\1/p" "$src/include/lede.h") "*" 1 1 k" ]] || { echo "unexpected C++ output: $out"; exit 1; }
"$tmp/c99" >/dev/null
echo "header ok: C++11 and C99"
