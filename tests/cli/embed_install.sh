#!/bin/bash
# `cmake --install` of the build tree into a temporary prefix, then
# examples/embed.c built against the INSTALLED package twice — with
# pkg-config and with find_package(lede) (shared and static) — and run.
set -euo pipefail
src=${LEDE_SOURCE_DIR:?}
build=${LEDE_BUILD_DIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log"

san=()
[[ ${LEDE_SANITIZE:-0} == 1 ]] && san=(-fsanitize=address,undefined)
pc=$(find "$prefix" -name lede.pc)
[[ -n $pc ]] || { echo "no lede.pc installed"; exit 1; }
[[ -x $prefix/bin/lede ]] || { echo "no CLI installed"; exit 1; }
[[ -f $prefix/include/lede.h ]] || { echo "no header installed"; exit 1; }
so=$(find "$prefix" -name 'liblede.so.*.*')
soname=$(objdump -p "$so" | awk '/SONAME/ {print $2}')
[[ $soname == liblede.so.0 ]] || { echo "SONAME is '$soname', want liblede.so.0"; exit 1; }

# pkg-config, with the .pc file locating its own prefix.
export PKG_CONFIG_PATH=$(dirname "$pc")
[[ $(pkg-config --variable=includedir lede) -ef $prefix/include ]] || { echo "pkg-config includedir wrong"; exit 1; }
libdir=$(realpath "$(pkg-config --variable=libdir lede)")
# shellcheck disable=SC2046
gcc -std=c99 -Wall -Wextra -Werror -pedantic "${san[@]}" "$src/examples/embed.c" \
    $(pkg-config --cflags --libs lede) -Wl,-rpath,"$libdir" -o "$tmp/embed_pc"
# The binary must take the installed library, not the build tree's.
got=$(ldd "$tmp/embed_pc" | awk '/liblede/ {print $3}')
[[ $(realpath "$got") == $(realpath "$libdir/liblede.so.0") ]] || { echo "linked to '$got', not the installed lib in $libdir"; exit 1; }
"$tmp/embed_pc" >"$tmp/pc.out"
grep -q '^db quote storm-1 ' "$tmp/pc.out"
grep -q '^mem quotes/quote ' "$tmp/pc.out"

# find_package(lede): lede::lede and lede::lede_static.
cmake -S "$src/examples" -B "$tmp/ex" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_FLAGS="${san[*]}" >"$tmp/ex.log" || { cat "$tmp/ex.log"; exit 1; }
cmake --build "$tmp/ex" >>"$tmp/ex.log" || { cat "$tmp/ex.log"; exit 1; }
for exe in embed embed_static; do
    "$tmp/ex/$exe" >"$tmp/$exe.out"
    cmp "$tmp/pc.out" "$tmp/$exe.out"
done
cat "$tmp/pc.out"
echo "install ok: pkg-config and find_package builds agree"
