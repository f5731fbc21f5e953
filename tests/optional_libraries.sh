#!/usr/bin/env bash
# The library (host/) never tests for an optional library in its code: a
# build without one compiles that library's *_missing.c stand-in instead,
# chosen by host/CMakeLists.txt. Fails, naming the lines, on a preprocessor
# conditional over a TESSEL_HAVE_* name in a source, header or template.
#
#   optional_libraries.sh [HOST_DIR]      (default: the host/ beside tests/)
set -euo pipefail

host=${1:-$(dirname "${BASH_SOURCE[0]}")/../host}
found=$(grep -rnE --include='*.c' --include='*.h' --include='*.in' \
        '^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif)\b.*TESSEL_HAVE_' "$host" || true)
if [[ -n $found ]]; then
    echo "optional_libraries: conditionals over an optional library (compile a *_missing.c" >&2
    echo "file instead, chosen in host/CMakeLists.txt):" >&2
    sed 's/^/  /' <<<"$found" >&2
    exit 1
fi
echo "optional_libraries: no TESSEL_HAVE_* conditional in $host"
