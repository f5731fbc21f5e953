#!/usr/bin/env bash
# Shows that two versions of tessel compute the same bits on the conformance
# matrix (tests/conv_suite.c): each version is built and installed into a
# scratch folder, tests/digest is built against each, and both digests (a
# checksum of every case's output bytes, on the CPU backend with 1 and 3
# threads and on every OpenCL device) are compared line by line.
#
#   tests/bit_identity.sh BASE [NEW]
#
# BASE and NEW are commits (e.g. the commit before a refactor and HEAD); NEW
# left out is this working tree as it is. The digest program always comes
# from this working tree's tests/. Everything goes to $TESSEL_BIT_IDENTITY_DIR
# (default build-bit-identity in the source folder), reused between runs; the
# builds take a few minutes each on two cores, the runs a few more. FFTW plans
# by estimate in both runs (measured plans could differ with the machine's
# load). Exit status 0 when every case matches, 1 otherwise; the per-suite
# summary goes to stdout and to summary.txt there.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 BASE [NEW]" >&2
    exit 2
fi
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=${TESSEL_BIT_IDENTITY_DIR:-$source_dir/build-bit-identity}
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)
jobs=${CMAKE_BUILD_PARALLEL_LEVEL:-2}

# source NAME REF: the tree of commit REF in $scratch/NAME-src, or this
# working tree when REF is empty; prints the folder and the commit's name.
checkout() {
    local name=$1 ref=$2
    if [[ -z $ref ]]; then
        echo "$source_dir"
        return
    fi
    local commit
    commit=$(git -C "$source_dir" rev-parse --verify "$ref^{commit}")
    rm -rf "$scratch/$name-src"
    mkdir -p "$scratch/$name-src"
    git -C "$source_dir" archive "$commit" | tar -x -C "$scratch/$name-src"
    echo "$scratch/$name-src"
}
describe() {
    if [[ -n $1 ]]; then
        echo "$1 ($(git -C "$source_dir" rev-parse --verify "$1^{commit}"))"
    else
        echo "the working tree (at $(git -C "$source_dir" rev-parse HEAD), with its changes)"
    fi
}

# build NAME SOURCE: tessel from SOURCE into $scratch/NAME-prefix, then the
# digest program against it; prints nothing unless a step fails.
build() {
    local name=$1 src=$2 log=$scratch/$1.log
    {
        cmake -S "$src" -B "$scratch/$name-build" -DCMAKE_BUILD_TYPE=Release \
            -DCMAKE_INSTALL_PREFIX="$scratch/$name-prefix" -DTESSEL_BUILD_TESTS=OFF \
            -DTESSEL_BUILD_BENCH=OFF -DTESSEL_BUILD_EXAMPLES=OFF &&
            cmake --build "$scratch/$name-build" -j "$jobs" &&
            cmake --install "$scratch/$name-build" &&
            cmake -S "$source_dir/tests/digest" -B "$scratch/$name-digest" \
                -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$scratch/$name-prefix" &&
            cmake --build "$scratch/$name-digest" -j "$jobs"
    } >"$log" 2>&1 || { cat "$log" >&2; echo "bit_identity: building $name failed" >&2; exit 1; }
}

base_text=$(describe "$1")
new_text=$(describe "${2:-}")
echo "base: $base_text"
echo "new:  $new_text"
build base "$(checkout base "$1")"
build new "$(checkout new "${2:-}")"

export TESSEL_FFTW_PLANNER=estimate
for name in base new; do
    echo "running the matrix on $name"
    if ! "$scratch/$name-digest/conformance_digest" "$scratch/$name.digest" \
        >"$scratch/$name.run.log"; then
        cat "$scratch/$name.run.log" >&2
        echo "bit_identity: $name failed its own checks" >&2
        exit 1
    fi
done

# Per suite: cases, and one checksum over all of its case lines.
summarise() {
    cut -f1 "$1" | uniq -c | while read -r count label; do
        sum=$(awk -F'\t' -v l="$label" '$1 == l' "$1" | sha256sum | cut -c1-16)
        printf '%s\t%d cases\t%s\n' "$label" "$count" "$sum"
    done
}
{
    echo "bit identity of the conformance matrix, $(date -u +%Y-%m-%d)"
    echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "base: $base_text"
    summarise "$scratch/base.digest"
    echo "new: $new_text"
    summarise "$scratch/new.digest"
} | tee "$scratch/summary.txt"

if cmp -s "$scratch/base.digest" "$scratch/new.digest"; then
    echo "bit_identity: PASS, all $(wc -l <"$scratch/new.digest") cases identical"
    exit 0
fi
echo "bit_identity: FAIL, cases that differ (base, then new):"
diff "$scratch/base.digest" "$scratch/new.digest" | head -40
exit 1
