#!/usr/bin/env bash
# The GPU check: what a person with an NVIDIA or AMD machine runs after
# building, in under 8 minutes (each step has a time limit):
#   1. the OpenCL tests (ctest -L opencl: the conformance matrix with both
#      kernel families, FFT, fft-block, tiles, buffers, queues, identity with
#      the CPU backend) on every OpenCL device there;
#   2. tessel-bench --data resident on the GPU at 4096x4096 and
#      16384x16384: dense 3x3 to 9x9 (method direct), Gaussians sigma 1 to 8
#      (separable), dense 31x31 and 63x63 (fft-block), each as a fraction of
#      the device's measured copy bandwidth;
#   3. tessel tune on the GPU (stores its profile in tessel's cache folder);
#   4. the batch benchmark on the GPU;
#   5. a summary table (also written as summary.md).
#
#   bench/gpu_check.sh [BUILD_DIR] [OUTPUT_DIR]
#
# BUILD_DIR: a Release build of this checkout (default build); OUTPUT_DIR
# (default gpu-check-DATE) gets every log, the benchmark's JSON lines and
# summary.md. The device is the first GPU tessel lists (TESSEL_GPU_CHECK_DEVICE
# names another, e.g. opencl:1; TESSEL_GPU_CHECK_SIZES other benchmark
# sizes, e.g. 512x512 to try the script on a CPU device). On a machine whose OpenCL loader needs
# setting up first (the lent GPU machine: ../shared/tools/gpu-kit.sh), source
# its env.sh before. Exit status: 0 when every step ran and the tests
# passed, 1 otherwise.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || exit 1
out=${2:-gpu-check-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out" && out=$(cd "$out" && pwd)
status=0
started=$SECONDS

step() {
    printf '\n== %s  [%d s]\n' "$1" $((SECONDS - started))
}

# limit SECONDS LOG COMMAND...: runs it with a time limit, its output in LOG.
limit() {
    local seconds=$1 log=$2
    shift 2
    timeout --kill-after=10 "$seconds" "$@" >"$log" 2>&1
    local s=$?
    [[ $s -eq 124 || $s -eq 137 ]] && echo "   stopped after $seconds s (see $log)"
    return $s
}

step "devices"
"$build/tessel" devices | tee "$out/devices.txt"
device=${TESSEL_GPU_CHECK_DEVICE:-$(awk '$2 == "gpu" || $3 == "gpu" { for (i = 1; i <= NF; ++i)
    if ($i ~ /^opencl:[0-9]+$/) { print $i; exit } }' "$out/devices.txt")}
if [[ -z $device ]]; then
    echo "no GPU among tessel's devices; name one with TESSEL_GPU_CHECK_DEVICE=opencl:N" >&2
    exit 1
fi
echo "device: $device"

step "OpenCL tests (ctest -L opencl)"
# The simulator test checks device code on the CPU; it belongs to CI.
if limit 210 "$out/tests.log" ctest --test-dir "$build" -L opencl -E oclgrind \
        --output-on-failure --timeout 180; then
    tests="passed"
else
    tests="FAILED"
    status=1
fi
grep -E "tests passed|tests failed|Failed|SKIPPED" "$out/tests.log" | tail -n 12

sizes=${TESSEL_GPU_CHECK_SIZES:-4096x4096,16384x16384}
step "tessel-bench --data resident ($sizes)"
bench=(limit 45 /dev/null "$build/bench/tessel-bench" --backend opencl --device "$device"
       --data resident --sizes "$sizes" --repeat 5 --warmup 1)
: >"$out/bench.jsonl"
for run in "direct dense:3,dense:5,dense:7,dense:9" \
           "separable gaussian:sigma=1,gaussian:sigma=2,gaussian:sigma=4,gaussian:sigma=8" \
           "fft-block dense:31,dense:63"; do
    method=${run%% *}
    kernels=${run#* }
    bench[2]="$out/bench-$method.jsonl"
    "${bench[@]}" --method "$method" --kernels "$kernels" || status=1
    cat "$out/bench-$method.jsonl" >>"$out/bench.jsonl"
    echo "   $method: $(grep -c '"method"' "$out/bench-$method.jsonl") case(s)"
done

step "tessel tune"
limit 60 "$out/tune.log" "$build/tessel" tune --device "$device" || status=1
tail -n 8 "$out/tune.log"

step "batch benchmark"
limit 40 "$out/batch.log" "$build/bench/tessel-batch-bench" --devices "$device" --count 64 \
    --size 2048 --rounds 2 --dir "$out/batch-files" || status=1
rm -rf "$out/batch-files"
tail -n 4 "$out/batch.log"

step "summary"
python3 - "$out/bench.jsonl" "$tests" >"$out/summary.md" <<'PY'
import json, sys
rows, machine = [], {}
for line in open(sys.argv[1]):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    if "machine" in r:
        machine = r["machine"]
    elif "method" in r:
        rows.append(r)
print("device: %s; copy bandwidth %.0f GB/s; OpenCL tests %s" % (
    machine.get("device", "?"), machine.get("device_copy_gbytes_s", 0), sys.argv[2]))
print()
print("| size | kernel | method | ms | Mpix/s | GB/s | of copy bandwidth |")
print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
for r in rows:
    print("| %dx%d | %s | %s | %.3f | %.0f | %.1f | %.0f%% |" % (
        r["width"], r["height"], r["kernel"], r["method"], r["median_ms"], r["mpix_s"],
        r["gbytes_s"], 100 * r.get("memory_fraction", 0)))
PY
cat "$out/summary.md"
printf '\nlogs in %s; %d s in all\n' "$out" $((SECONDS - started))
exit $status
