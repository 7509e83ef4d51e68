#!/bin/bash
# ctest entry: the binding's tests against $LEDE_LIB.  A sanitizer build of
# the library needs the ASan runtime loaded first into python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${LEDE_LIB:?LEDE_LIB must name the built liblede.so}"
if [[ ${LEDE_SANITIZE:-0} == 1 ]]; then
    LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
    export LD_PRELOAD
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 # python itself keeps memory at exit
fi
export PYTHONDONTWRITEBYTECODE=1 # keep the source tree clean
exec python3 "$here/test_lede.py" -v
