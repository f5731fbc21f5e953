#!/usr/bin/env bash
# Installs tessel into a temporary prefix and uses it the three ways a user
# would: find_package(tessel) from CMake (the examples/ folder built on its
# own), pkg-config with the shared library, and the static library.
#
#   install_consume.sh SOURCE_DIR SCRATCH_DIR
#
# SCRATCH_DIR is created, used for everything, and removed at the end
# (also on failure). Any failing step prints its output and the step's name.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 SOURCE_DIR SCRATCH_DIR" >&2
    exit 2
fi
source_dir=$(cd "$1" && pwd)
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)
trap 'rm -rf "$scratch"' EXIT

prefix=$scratch/prefix
jobs=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
log=$scratch/step.log

fail() {
    echo "install_consume: FAILED: $*" >&2
    exit 1
}

# step NAME COMMAND...: runs quietly; on failure shows the output and stops.
step() {
    local name=$1
    shift
    echo "-- $name"
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        fail "$name ($*)"
    fi
}

# ---------------------------------------------------------------- install
step "configure tessel" cmake -S "$source_dir" -B "$scratch/build" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DTESSEL_BUILD_TESTS=OFF -DTESSEL_BUILD_BENCH=OFF -DTESSEL_BUILD_EXAMPLES=OFF
step "build tessel" cmake --build "$scratch/build" -j "$jobs"
step "install tessel" cmake --install "$scratch/build"

[[ -f $prefix/include/tessel/tessel.h ]] || fail "tessel.h was not installed"
pc_file=$(find "$prefix" -name tessel.pc -print -quit)
config_file=$(find "$prefix" -name tesselConfig.cmake -print -quit)
[[ -n $pc_file ]] || fail "tessel.pc was not installed"
[[ -n $config_file ]] || fail "tesselConfig.cmake was not installed"
libdir=$(dirname "$(dirname "$pc_file")")
[[ -f $libdir/libtessel.a ]] || fail "libtessel.a is not in $libdir"
ls "$libdir"/libtessel.so.* >/dev/null 2>&1 || fail "no versioned libtessel.so in $libdir"

# ------------------------------------------------- CMake: find_package(tessel)
step "configure examples against the installed package" cmake -S "$source_dir/examples" \
    -B "$scratch/examples" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix"
grep -q "tessel_DIR:PATH=$prefix/" "$scratch/examples/CMakeCache.txt" ||
    fail "find_package(tessel) did not pick the installed package"
step "build examples" cmake --build "$scratch/examples" -j "$jobs"
step "run example_blur on the bundled image" "$scratch/examples/example_blur" \
    "$source_dir/examples/data/camera.pgm" "$scratch/camera_blurred.pgm"
[[ -s $scratch/camera_blurred.pgm ]] || fail "example_blur wrote no image"
grep -q "$libdir/libtessel.so" <<<"$(ldd "$scratch/examples/example_blur")" ||
    fail "example_blur is not linked to the installed libtessel.so"

# ------------------------------------------------------------- pkg-config
command -v pkg-config >/dev/null || fail "pkg-config is not installed"
PKG_CONFIG_PATH=$(dirname "$pc_file")
export PKG_CONFIG_PATH
cat >"$scratch/consumer.c" <<'EOF'
/* A user program: a 3-tap box over a ramp must give the ramp back inside. */
#include <math.h>
#include <stdio.h>
#include <tessel/tessel.h>

int main(void)
{
    float ramp[8], out[8];
    for (int i = 0; i < 8; ++i) ramp[i] = (float)(2 * i + 1);
    const float taps[3] = {1.0f / 3, 1.0f / 3, 1.0f / 3};
    tessel_context *ctx = NULL;
    tessel_kernel *box = NULL;
    tessel_status s = tessel_context_create(NULL, &ctx);
    if (s == TESSEL_OK) s = tessel_kernel_create(3, 1, taps, &box);
    tessel_image src = tessel_image_view(ramp, 8, 1, 1, TESSEL_F32);
    tessel_image dst = tessel_image_view(out, 8, 1, 1, TESSEL_F32);
    if (s == TESSEL_OK) s = tessel_convolve1d(ctx, &src, box, NULL, &dst);
    tessel_kernel_destroy(box);
    tessel_context_destroy(ctx);
    if (s != TESSEL_OK) {
        fprintf(stderr, "%s: %s\n", tessel_status_string(s), tessel_last_error());
        return 1;
    }
    for (int i = 1; i < 7; ++i) {
        if (fabsf(out[i] - ramp[i]) > 1e-5f) {
            fprintf(stderr, "out[%d] = %g, expected %g\n", i, out[i], ramp[i]);
            return 1;
        }
    }
    printf("%s\n", tessel_version());
    return 0;
}
EOF
cc=${CC:-cc}
read -r -a cflags <<<"$(pkg-config --cflags tessel)"
read -r -a libs <<<"$(pkg-config --libs tessel)"
step "compile with pkg-config (shared)" "$cc" -std=c11 -Wall -Wextra -Werror \
    "$scratch/consumer.c" -o "$scratch/consumer_shared" "${cflags[@]}" "${libs[@]}" \
    -Wl,-rpath,"$(pkg-config --variable=libdir tessel)" -lm
step "run the shared consumer" "$scratch/consumer_shared"
version=$(cat "$log")
[[ $version == "$(pkg-config --modversion tessel)" ]] ||
    fail "library version '$version' differs from tessel.pc's $(pkg-config --modversion tessel)"
grep -q "$libdir/libtessel.so" <<<"$(ldd "$scratch/consumer_shared")" ||
    fail "the pkg-config consumer is not linked to the installed libtessel.so"

# ---------------------------------------------------------- static library
# The archive itself, then the private dependencies tessel.pc lists for
# static linking (everything --static adds except -ltessel).
read -r -a static_deps <<<"$(pkg-config --static --libs-only-l tessel | sed 's/-ltessel\b//')"
step "compile against libtessel.a" "$cc" -std=c11 -Wall -Wextra -Werror \
    "$scratch/consumer.c" -o "$scratch/consumer_static" "${cflags[@]}" \
    "$libdir/libtessel.a" "${static_deps[@]}" -lm
grep -q "libtessel" <<<"$(readelf -d "$scratch/consumer_static")" &&
    fail "the static consumer still needs libtessel.so"
step "run the static consumer" "$scratch/consumer_static"

echo "install_consume: OK (tessel $version: CMake package, pkg-config, static library)"
