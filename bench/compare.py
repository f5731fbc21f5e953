#!/usr/bin/env python3
"""tessel next to OpenCV and SciPy: the same cases, measured in the same run.

For every case tessel-bench times a tessel plan, and this script times the
anchors on an image of the same size, dtype and channel count with the very
coefficients tessel uses (read back with `tessel-bench --print-kernel`):

  dense kernels      cv2.filter2D and scipy.ndimage.convolve (SciPy is
                     single-threaded and slow: only up to --scipy-max)
  rank-1 kernels     cv2.sepFilter2D with tessel's 1-D taps (gaussian:sigma=S
                     has radius ceil(3S))

OpenCV runs with as many threads as tessel, outputs are preallocated, the
border is reflect everywhere, and each figure is the median of --repeat timed
calls after --warmup untimed ones.

    python3 bench/compare.py                       # full run (4096x4096)
    python3 bench/compare.py --quick               # smoke run (1024x1024)
    python3 bench/compare.py --markdown --json results.json
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time

import cv2
import numpy as np
import scipy
import scipy.ndimage

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BENCH = os.path.join(REPO, "build", "bench", "tessel-bench")
DEFAULT_CASES = (
    [("f32", "dense:%d" % k) for k in (3, 5, 7, 9)]
    + [("f32", "gaussian:sigma=%d" % s) for s in (1, 2, 4, 8)]
    + [("u8", "dense:3"), ("u8", "dense:5")]
)
NUMPY_DTYPES = {"f32": np.float32, "u8": np.uint8, "u16": np.uint16}
IMAGE_SEED = 20240611


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = p.add_argument
    add("--bench", default=DEFAULT_BENCH, help="tessel-bench binary (default: %(default)s)")
    add("--size", help="WIDTHxHEIGHT (default 4096x4096, --quick 1024x1024)")
    add("--channels", type=int, default=1, help="interleaved channels, 1-4 (default 1)")
    add("--threads", type=int, default=0,
        help="threads for tessel and OpenCV (default: every core this process may use)")
    add("--repeat", type=int, help="timed calls per case (default 10, --quick 3)")
    add("--warmup", type=int, help="untimed calls first (default 2, --quick 1)")
    add("--scipy-repeat", type=int, help="timed SciPy calls (default 3, --quick 1)")
    add("--scipy-max", type=int, default=5,
        help="largest dense kernel side SciPy runs (default 5; 0: no SciPy)")
    add("--case", nargs=2, action="append", metavar=("DTYPE", "KERNEL"),
        help="run this case instead of the default list, e.g. --case u8 dense:7 (repeatable)")
    add("--quick", action="store_true", help="small image, few repeats: a smoke run")
    add("--json", metavar="FILE", help="write every raw number to FILE")
    add("--markdown", action="store_true", help="print the table as Markdown (for RESULTS.md)")
    a = p.parse_args(argv)
    a.size = a.size or ("1024x1024" if a.quick else "4096x4096")
    a.repeat = a.repeat or (3 if a.quick else 10)
    a.warmup = a.warmup if a.warmup is not None else (1 if a.quick else 2)
    a.scipy_repeat = a.scipy_repeat or (1 if a.quick else 3)
    a.threads = a.threads or len(os.sched_getaffinity(0))
    m = re.fullmatch(r"(\d+)x(\d+)", a.size)
    if not m or not 1 <= a.channels <= 4:
        p.error("--size must be WIDTHxHEIGHT and --channels 1 to 4")
    a.width, a.height = int(m.group(1)), int(m.group(2))
    a.cases = [tuple(c) for c in a.case] if a.case else list(DEFAULT_CASES)
    for dtype, _ in a.cases:
        if dtype not in NUMPY_DTYPES:
            p.error("unknown dtype %r (f32, u8, u16)" % dtype)
    return a


def run_bench(args, extra):
    if not os.access(args.bench, os.X_OK):
        sys.exit("compare.py: %s not found; build it first:\n"
                 "  cmake -S %s -B %s/build -DCMAKE_BUILD_TYPE=Release && cmake --build %s/build"
                 % (args.bench, REPO, REPO, REPO))
    r = subprocess.run([args.bench] + extra, capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def tessel_kernel(args, spec):
    """The coefficients tessel uses for spec, as a float32 (kh, kw) array."""
    rc, out, err = run_bench(args, ["--print-kernel", spec])
    if rc != 0:
        raise RuntimeError(err.strip() or "tessel-bench --print-kernel %s failed" % spec)
    d = json.loads(out)
    k = np.array(d["coeffs"], dtype=np.float32).reshape(d["kh"], d["kw"])
    return k, bool(d["separable"])


def factor_rank1(k):
    """Row and column taps with outer(column, row) == k (tessel's own rule:
    the row and column through the largest coefficient)."""
    pr, pc = np.unravel_index(np.argmax(np.abs(k)), k.shape)
    row = k[pr, :].astype(np.float64)
    column = k[:, pc].astype(np.float64) / k[pr, pc]
    err = np.max(np.abs(np.outer(column, row) - k)) / np.max(np.abs(k))
    if err > 1e-5:
        raise RuntimeError("kernel is not rank 1 (relative error %.3g)" % err)
    return row.astype(np.float32), column.astype(np.float32)


def check_gaussian_radius(spec, k):
    m = re.fullmatch(r"gaussian:sigma=([0-9.]+)", spec)
    if m:
        side = 2 * math.ceil(3 * float(m.group(1))) + 1
        if k.shape != (side, side):
            raise RuntimeError("%s is %dx%d, expected radius ceil(3*sigma): %dx%d"
                               % (spec, k.shape[1], k.shape[0], side, side))


def random_image(args, dtype):
    """Random samples, never zero (the same rule as tessel-bench)."""
    rng = np.random.default_rng(IMAGE_SEED)
    shape = (args.height, args.width) + ((args.channels,) if args.channels > 1 else ())
    if dtype == "f32":
        return rng.uniform(0.001, 1.001, size=shape).astype(np.float32)
    top = 255 if dtype == "u8" else 65535
    return rng.integers(1, top + 1, size=shape).astype(NUMPY_DTYPES[dtype])


def time_calls(fn, pixels, repeat, warmup):
    for _ in range(warmup):
        fn()
    seconds = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t0)
    median = statistics.median(seconds)
    return {"median_ms": 1e3 * median, "min_ms": 1e3 * min(seconds),
            "mpix_s": pixels / median / 1e6, "repeat": repeat}


def opencv_call(src, dst, k, separable):
    if separable:
        row, column = factor_rank1(k)
        return "sepFilter2D", lambda: cv2.sepFilter2D(src, -1, row, column, dst=dst,
                                                      borderType=cv2.BORDER_REFLECT)
    return "filter2D", lambda: cv2.filter2D(src, -1, k, dst=dst, borderType=cv2.BORDER_REFLECT)


def scipy_call(src, dst, k, channels):
    weights = k[:, :, None] if channels > 1 else k
    return lambda: scipy.ndimage.convolve(src, weights, output=dst, mode="reflect")


def anchors_for_case(args, dtype, spec, src):
    """Times OpenCV (and SciPy for small dense kernels) on one case."""
    k, separable = tessel_kernel(args, spec)
    check_gaussian_radius(spec, k)
    pixels = args.width * args.height
    dst = np.empty_like(src)
    name, call = opencv_call(src, dst, k, separable)
    if call() is not dst:
        raise RuntimeError("OpenCV did not write into the preallocated output")
    result = {"opencv_function": name,
              "opencv": time_calls(call, pixels, args.repeat, args.warmup)}
    if not separable and max(k.shape) <= args.scipy_max:
        result["scipy"] = time_calls(scipy_call(src, dst, k, args.channels), pixels,
                                     args.scipy_repeat, min(args.warmup, 1))
    return result


def tessel_for_dtype(args, dtype, specs):
    """One tessel-bench run for all kernels of a dtype: machine line + cases."""
    rc, out, err = run_bench(args, [
        "--sizes", "%dx%d" % (args.width, args.height), "--kernels", ";".join(specs),
        "--dtype", dtype, "--channels", str(args.channels), "--threads", str(args.threads),
        "--repeat", str(args.repeat), "--warmup", str(args.warmup)])
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    machine = next((l["machine"] for l in lines if "machine" in l), None)
    cases = {l["kernel"]: l for l in lines if "kernel" in l}
    if rc != 0:
        print("compare.py: tessel-bench (%s) reported failures:\n%s" % (dtype, err.strip()),
              file=sys.stderr)
    return machine, cases


def run_cases(args):
    cv2.setNumThreads(args.threads)
    machines, rows, failures = {}, [], 0
    for dtype in dict.fromkeys(d for d, _ in args.cases):
        specs = [s for d, s in args.cases if d == dtype]
        machines[dtype], tessel = tessel_for_dtype(args, dtype, specs)
        src = random_image(args, dtype)
        for spec in specs:
            row = {"dtype": dtype, "kernel": spec, "tessel": tessel.get(spec)}
            try:
                row.update(anchors_for_case(args, dtype, spec, src))
            except RuntimeError as e:
                row["error"] = str(e)
            if row["tessel"] is None and "error" not in row:
                row["error"] = "tessel-bench failed on this case (its message is above)"
            failures += "error" in row
            rows.append(row)
    return machines, rows, failures


def git_commit():
    def git(*a):
        r = subprocess.run(["git", "-C", REPO] + list(a), capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else ""
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def table_rows(rows):
    out = []
    for r in rows:
        t, cv, sp = r["tessel"] or {}, r.get("opencv") or {}, r.get("scipy") or {}
        tm, cm, sm = t.get("mpix_s"), cv.get("mpix_s"), sp.get("mpix_s")
        frac = t.get("fraction_of_limit")
        out.append([
            "%s %s" % (r["dtype"], r["kernel"]),
            t.get("method", "-"),
            fmt(tm, ".0f"),
            "-" if frac is None else "%.0f%% %s" % (100 * frac, t["limit_kind"]),
            r.get("opencv_function", "-"),
            fmt(cm, ".0f"),
            fmt(tm / cm if tm and cm else None, ".2f"),
            fmt(sm, ".1f"),
            fmt(tm / sm if tm and sm else None, ".1f"),
            r.get("error", ""),
        ])
    return out


HEADER = ["case", "tessel method", "tessel Mpix/s", "of limit", "OpenCV", "OpenCV Mpix/s",
          "tessel/OpenCV", "SciPy Mpix/s", "tessel/SciPy", "note"]


def machine_lines(args, machines, when, commit):
    lines = ["date %s, tessel commit %s, OpenCV %s, SciPy %s, NumPy %s, Python %s"
             % (when, commit, cv2.__version__, scipy.__version__, np.__version__,
                platform.python_version()),
             "image %dx%d, %d channel(s), %d thread(s), median of %d after %d warm-up "
             "(SciPy: %d)" % (args.width, args.height, args.channels, args.threads,
                              args.repeat, args.warmup, args.scipy_repeat)]
    for dtype, m in machines.items():
        if m and not m["bench_optimized"]:
            lines.append("WARNING: tessel-bench is not an optimised build: use a Release build")
        if m:
            lines.append("machine (%s run): %s, %d cores, tessel device %s, copy %.1f GB/s, "
                         "%.0f GFMA/s (%s)" % (dtype, m["cpu"], m["cores"], m["device"],
                                               m["copy_gbytes_s"], m["gfma_s"], m["fma_isa"]))
    return lines


def print_plain(lines, rows):
    for line in lines:
        print(line)
    cells = [HEADER] + table_rows(rows)
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADER))]
    for c in cells:
        print("  ".join(v.ljust(w) for v, w in zip(c, widths)).rstrip())


def print_markdown(lines, rows):
    for line in lines:
        print("- " + line)
    print()
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "|".join("---" if i < 2 or i == 4 or i == 9 else "---:"
                         for i in range(len(HEADER))) + "|")
    for c in table_rows(rows):
        print("| " + " | ".join(v.replace("|", "\\|") for v in c) + " |")


def main(argv):
    args = parse_args(argv)
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    commit = git_commit()
    machines, rows, failures = run_cases(args)
    lines = machine_lines(args, machines, when, commit)
    (print_markdown if args.markdown else print_plain)(lines, rows)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"date": when, "commit": commit, "opencv": cv2.__version__,
                       "scipy": scipy.__version__, "numpy": np.__version__,
                       "settings": {k: getattr(args, k) for k in (
                           "width", "height", "channels", "threads", "repeat", "warmup",
                           "scipy_repeat", "scipy_max", "quick")},
                       "machines": machines, "cases": rows}, f, indent=1)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
