#!/usr/bin/env bash
# Runs every fuzz harness of a TESSEL_FUZZ build for a bounded time each,
# from its committed seeds (tests/fuzz/corpus/NAME, never modified: new
# inputs go to a scratch corpus). A crash, leak, sanitizer report, timeout
# or memory blow-up is a finding: its input is kept in the scratch folder
# and the exit status is 1.
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS_EACH]
set -uo pipefail

build=${1:?usage: run.sh BUILD_DIR [SECONDS_EACH]}
seconds=${2:-20}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scratch=$build/fuzz-runs
rm -rf "$scratch"
mkdir -p "$scratch"

names=()
for seeds in "$here"/corpus/*/; do
    name=$(basename "$seeds")
    [[ -x $build/tests/fuzz/fuzz_$name ]] && names+=("$name")
done
((${#names[@]} > 0)) || { echo "no fuzz harness built in $build/tests/fuzz" >&2; exit 2; }

findings=0
for name in "${names[@]}"; do
    mkdir -p "$scratch/$name/corpus"
    # -timeout: one input taking this long is a hang; -rss_limit_mb: a
    # lying header must never make a reader allocate gigabytes.
    if "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$scratch/$name/" \
        "$scratch/$name/corpus" "$here/corpus/$name" >"$scratch/$name/log.txt" 2>&1; then
        echo "fuzz_$name: $(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$scratch/$name/log.txt" |
            grep -Eo '[0-9]+$') runs in ${seconds} s, no finding"
    else
        findings=$((findings + 1))
        echo "fuzz_$name: FINDING (input and log in $scratch/$name):" >&2
        grep -E "ERROR|SUMMARY|==[0-9]+==|Test unit written" "$scratch/$name/log.txt" | head -20 >&2
    fi
done
exit $((findings > 0))
