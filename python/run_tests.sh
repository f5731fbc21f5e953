#!/bin/sh
# Runs a group of the Python package's tests with the virtual environment in
# a build folder (CTest calls this; see tests/CMakeLists.txt):
#   python/run_tests.sh BUILD_DIR TEST_FILE...
# Fails, saying how to make it, when the environment or the package is
# missing, or when the package is older than the sources it was built from.
set -eu
build=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$build/venv
install="python3 -m venv $venv && $venv/bin/pip install -r $root/python/requirements-test.txt && $venv/bin/pip install $root -C cmake.define.TESSEL_LIBRARY_FROM=$build"
if [ ! -x "$venv/bin/python" ]; then
    echo "no Python environment at $venv: make it with" >&2
    echo "  $install" >&2
    exit 1
fi
module=$("$venv/bin/python" -c 'import tessel._tessel as m; print(m.__file__)' 2>/dev/null) || {
    echo "the tessel package is not installed in $venv: install it with" >&2
    echo "  $venv/bin/pip install $root -C cmake.define.TESSEL_LIBRARY_FROM=$build" >&2
    exit 1
}
newer=$(find "$root/python/tessel" "$root/python/src" "$root/host" "$root/include" \
    "$root/kernels_cl" -newer "$module" -type f -print 2>/dev/null | head -1)
if [ -n "$newer" ]; then
    echo "the tessel package in $venv is older than $newer: reinstall it with" >&2
    echo "  $venv/bin/pip install $root -C cmake.define.TESSEL_LIBRARY_FROM=$build" >&2
    exit 1
fi
cd "$root/python/tests"
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q "$@"
