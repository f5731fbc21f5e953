#!/usr/bin/env bash
# Prepares, on this machine, what running a build of this checkout needs on
# a GPU machine that has an NVIDIA driver but no network and no OpenCL
# development packages (such as a lent cloud machine), in the ignored
# folder .gpu-kit/ of the checkout:
#   - the OpenCL ICD loader and clinfo (Debian's packages, unpacked, not
#     installed) and an env.sh that registers NVIDIA's OpenCL driver through
#     OCL_ICD_VENDORS (no write to /etc needed);
#   - every shared library the build's programs load that is not part of
#     the C runtime (clFFT, FFTW, libtiff and its codecs, ...), copied as
#     this machine resolves them, so that nothing is missing there.
#
# Here, from the checkout's root, after building (same x86-64 architecture):
#     bench/gpu_kit.sh [BUILD_DIR]           (default build)
# Then carry .gpu-kit and the build folder, and on the GPU machine begin
# with:
#     source .gpu-kit/env.sh; bench/gpu_check.sh BUILD_DIR
# env.sh prints the OpenCL platforms it found; if NVIDIA's library is not
# there it says so.
set -euo pipefail

root=$(git rev-parse --show-toplevel)
build=$(cd "${1:-$root/build}" && pwd)
kit="$root/.gpu-kit"
# In a linked worktree .git is a file: ask git where its exclude file is.
exclude=$(cd "$root" && git rev-parse --path-format=absolute --git-path info/exclude)
mkdir -p "$(dirname "$exclude")"
grep -qx '/.gpu-kit/' "$exclude" 2>/dev/null || echo '/.gpu-kit/' >>"$exclude"
rm -rf "$kit"
mkdir -p "$kit/debs" "$kit/root" "$kit/lib" "$kit/vendors"

# The loader and clinfo, unpacked (apt's download user must write the folder).
chmod 777 "$kit/debs"
(cd "$kit/debs" && apt-get download ocl-icd-libopencl1 clinfo >/dev/null) || {
    echo "apt-get download failed: run apt-get update first" >&2
    exit 1
}
for f in "$kit"/debs/*.deb; do dpkg -x "$f" "$kit/root"; done
rm -rf "$kit/debs"

# The libraries the build's programs load, as resolved here, but the C
# runtime's (the GPU machine has its own, newer) and the OpenCL loader's
# (above).
programs=$(find "$build" -maxdepth 3 -type f -perm -u+x \
    \( -name tessel -o -name 'tessel-*' -o -name 'test_*' -o -name '*.so*' \) | sort)
[[ -n $programs ]] || { echo "no programs in $build: build first" >&2; exit 1; }
base='^(ld-linux|libc|libm|libdl|libpthread|librt|libgcc_s|libstdc\+\+|libOpenCL)\.so'
for p in $programs; do
    ldd "$p" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'
done | sort -u | while read -r lib; do
    name=$(basename "$lib")
    [[ $name =~ $base ]] || cp -L "$lib" "$kit/lib/$name"
done

cat >"$kit/env.sh" <<'ENV'
# sourced on the GPU machine from the checkout's root
_kit="$(pwd)/.gpu-kit"
export LD_LIBRARY_PATH="$_kit/lib:$_kit/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PATH="$_kit/root/usr/bin:$PATH"
_nv=$(ldconfig -p 2>/dev/null | awk '/libnvidia-opencl\.so\.1/{print $NF; exit}')
[ -n "$_nv" ] || _nv=$(find /usr/local/nvidia /usr/lib /usr/lib64 /usr/local/lib -name 'libnvidia-opencl.so.1' 2>/dev/null | head -n 1)
if [ -n "$_nv" ]; then
  echo "$_nv" > "$_kit/vendors/nvidia.icd"
  export OCL_ICD_VENDORS="$_kit/vendors"
  # the driver's other libraries (libcuda, ...) sit beside it, perhaps
  # outside the linker's cache
  export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$(dirname "$_nv")"
  echo "gpu-kit: NVIDIA OpenCL driver at $_nv"
else
  echo "gpu-kit: no libnvidia-opencl.so.1 found on this machine"
fi
clinfo -l 2>&1 | head -n 8 || true
ENV
echo "prepared $kit ($(du -sh "$kit" | cut -f1), $(ls "$kit/lib" | wc -l) libraries);" \
     "carry .gpu-kit and $(basename "$build")"
