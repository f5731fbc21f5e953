#!/usr/bin/env bash
# One command for bench/batch_compare.py: tessel's batch filter next to an
# OpenCV multiprocessing pool and libvips on the same files (see the .py for
# what is measured). Builds tessel (Release) in build/ when needed, makes a
# virtual environment with OpenCV and NumPy in build/bench-venv (never the
# system Python), checks that vips is installed, and passes its arguments
# on, e.g.
#
#   bench/batch_compare.sh                        # 60 images of 2048^2, 3 rounds
#   bench/batch_compare.sh --count 20 --rounds 1 --no-stream   # a quick look
#   bench/batch_compare.sh --json build/batch-compare.json
#
# Needs: the packages of the README's Quick start, libvips-tools, python3-venv.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if ! command -v vips >/dev/null; then
    echo "batch_compare: vips not found: apt-get install libvips-tools" >&2
    exit 1
fi
if [[ ! -x build/tessel || ! -x build/bench/tessel-codec-bench ]]; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build -j "$(nproc)" --target tessel_cli tessel-codec-bench tessel-tiff-stream-bench \
    >/dev/null

venv=build/bench-venv
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c "import cv2, numpy" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet opencv-python-headless numpy
fi
exec "$venv/bin/python" bench/batch_compare.py "$@"
