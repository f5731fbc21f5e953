#!/usr/bin/env bash
# Every kernel in kernels_cl/ under Oclgrind, a simulated OpenCL device that
# checks each access of each work-item: out-of-bounds and invalid accesses,
# data races between work-items (and work-groups), API misuse, and, in a
# second run, uses of uninitialised values. Any report fails the test, as
# does a wrong result (oclgrind_cases checks them against the reference).
#
#   oclgrind.sh OCLGRIND_CASES
#
# Skips (exit 77, saying so) only when oclgrind is not installed.
#
# Oclgrind 21.10's uninitialised-value check has limits of its own, which
# this test works around and names:
#   - it cannot judge clFFT's kernels: it stops at LLVM's freeze instruction,
#     which its compiler puts into clFFT's generated code, and that compiler
#     stores poison into lanes of clFFT's vector stores, so every kernel
#     after a transform would read "uninitialised" values. Its compiler
#     puts freeze into running_sum.cl's sum loops too. That run leaves out
#     methods fft, fft-block and running (their kernels pass the first run's
#     checks), and says so;
#   - it takes CL_MEM_USE_HOST_PTR memory as never written, and tessel runs
#     plans on host images in place on devices that share host memory (as
#     Oclgrind's does), so damped Richardson-Lucy (tessel_deconvolve, which
#     ends with such a plan) is left out of that run too, and said so;
#   - it carries state from one kernel run to the next: the same case run
#     twice in one process is clean the first time and reported the second.
#     That run takes each case in a process of its own;
#   - it records neither clEnqueueFillBuffer nor more than the first row of
#     a rectangular write: oclgrind_cases uses packed device buffers (tessel
#     writes them in one contiguous copy), and tessel's FFT planes are
#     written by a kernel;
#   - it crashes (SIGSEGV in its memory pool) when host data is written
#     from another thread than the one that made the OpenCL context:
#     oclgrind_cases runs on one thread. The tessel command does not (its
#     batch engine makes contexts apart from the device threads that use
#     them), so `oclgrind --uninitialized tessel filter ...` dies there;
#     that is Oclgrind's fault, not the command's.
set -uo pipefail

cases=${1:?usage: oclgrind.sh OCLGRIND_CASES}
if ! command -v oclgrind >/dev/null 2>&1; then
    echo "SKIPPED: oclgrind is not installed (Debian package oclgrind); the simulator checks did not run"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Programs built here go to a private cache: the simulated device's builds
# are its own, and nothing stale can stand in for one.
export TESSEL_CACHE_DIR="$work/cache"
unset TESSEL_CL_KERNELS TESSEL_DEVICE

failed=0
# run NAME CASE_ARGS OCLGRIND_OPTIONS...
run() {
    local name=$1 args=$2
    shift 2
    local log="$work/$name.log"
    echo "== $* oclgrind_cases $args"
    "$@" --log "$log" "$cases" $args
    local status=$?
    if [[ $status -ne 0 ]]; then
        echo "FAIL: oclgrind_cases exited with status $status under oclgrind $*"
        failed=1
    fi
    if [[ -s $log ]]; then
        echo "FAIL: Oclgrind reported (first 60 lines of $(grep -c . "$log")):"
        head -n 60 "$log"
        failed=1
    fi
}

run checks "" oclgrind --data-races --check-api
count=$("$cases" --count)
for ((case = 0; case < count; ++case)); do
    run "uninitialized-$case" "--judgeable --case $case" oclgrind --uninitialized
done
echo "note: oclgrind --uninitialized did not run on methods fft, fft-block and running," \
     "nor on damped Richardson-Lucy: Oclgrind 21.10 cannot judge kernels where its" \
     "compiler emits freeze (clFFT's, running_sum.cl) nor memory used in place from the" \
     "host (see tests/oclgrind.sh); they passed the bounds, race and API checks above"
exit $failed
