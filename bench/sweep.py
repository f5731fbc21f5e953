#!/usr/bin/env python3
"""Method sweep: does method auto pick well, and how fast is the best method?

For each dense f32 kernel size K (3 to 127) on one image (default
4096x4096), the CPU backend runs methods direct, fft, fft-block and auto
(tessel-bench, one run per method and size, interleaved so that drift of the
machine hits every method alike), and in the same run two anchors on an image
of the same size with the same coefficients (tessel-bench --print-kernel):

  filter2D       cv2.filter2D with the flipped kernel (a convolution), border
                 reflect, as many OpenCV threads as tessel's
  fftconvolve    scipy.signal.fftconvolve(mode='same'), scipy.fft workers as
                 many as tessel's threads

Figures are megapixels per second of the median run (--stat min: the
fastest). Ratios:

  auto / best    auto's time against the fastest of direct, fft and fft-block
                 (goal: >= 0.9 for every K); "pick" is the same ratio from the
                 runs of the method auto picked, free of auto's own noise
  vs fftconvolve, vs filter2D
                 the best tessel method against each anchor (goal: >= 2 at
                 K = 31 and 63)

    python3 bench/sweep.py                  # full: 4096x4096, 15 sizes (minutes)
    python3 bench/sweep.py --quick          # 1024x1024, 5 sizes (about a minute)
    python3 bench/sweep.py --json sweep.json --markdown

The exit status is 1 when a goal is not met. tessel-bench reads the cost
profile of `tessel tune` like any program: TESSEL_CACHE_DIR picks the folder.
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import time_calls  # noqa: E402 (the anchors are timed alike)

import numpy as np
import scipy
import scipy.fft
import scipy.signal

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BENCH = os.path.join(REPO, "build", "bench", "tessel-bench")
FULL_SIZES = (3, 5, 7, 9, 11, 15, 21, 31, 41, 51, 63, 79, 95, 111, 127)
QUICK_SIZES = (3, 9, 31, 63, 127)
METHODS = ("direct", "fft", "fft-block")
GOAL_AUTO = 0.9
GOAL_ANCHOR, ANCHOR_SIZES = 2.0, (31, 63)
IMAGE_SEED = 20240611


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = p.add_argument
    add("--bench", default=DEFAULT_BENCH, help="tessel-bench binary (default: %(default)s)")
    add("--size", help="WIDTHxHEIGHT (default 4096x4096, --quick 1024x1024)")
    add("--kernels", help="kernel sides, e.g. 3,31,63 (default: 3 to 127, --quick 5 of them)")
    add("--threads", type=int, default=0,
        help="threads for tessel, OpenCV and scipy.fft (default: every core this process may use)")
    add("--repeat", type=int, help="timed runs per case (default 5, --quick 2)")
    add("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    add("--anchor-repeat", type=int, help="timed anchor runs (default 3, --quick 1)")
    add("--stat", choices=("median", "min"), default="median",
        help="which run of each case counts (default median; min is steadier on a busy machine)")
    add("--no-anchors", action="store_true", help="tessel's methods only")
    add("--quick", action="store_true", help="smaller image, fewer sizes and runs")
    add("--json", metavar="FILE", help="write every raw number to FILE")
    add("--markdown", action="store_true", help="print the table as Markdown")
    a = p.parse_args(argv)
    a.size = a.size or ("1024x1024" if a.quick else "4096x4096")
    m = re.fullmatch(r"(\d+)x(\d+)", a.size)
    if not m:
        p.error("--size must be WIDTHxHEIGHT")
    a.width, a.height = int(m.group(1)), int(m.group(2))
    if a.kernels:
        a.sizes = tuple(int(k) for k in a.kernels.split(","))
    else:
        a.sizes = QUICK_SIZES if a.quick else FULL_SIZES
    a.repeat = a.repeat or (2 if a.quick else 5)
    a.anchor_repeat = a.anchor_repeat or (1 if a.quick else 3)
    a.threads = a.threads or len(os.sched_getaffinity(0))
    return a


def run_bench(args, extra):
    if not os.access(args.bench, os.X_OK):
        sys.exit("sweep.py: %s not found; build it first (Release):\n"
                 "  cmake -S %s -B %s/build -DCMAKE_BUILD_TYPE=Release && "
                 "cmake --build %s/build --target tessel-bench" % (args.bench, REPO, REPO, REPO))
    r = subprocess.run([args.bench] + extra, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("tessel-bench %s failed:\n%s" % (" ".join(extra), r.stderr.strip()))
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


def tessel_case(args, k, method):
    """One tessel-bench run: the machine line and the case line."""
    lines = run_bench(args, [
        "--sizes", "%dx%d" % (args.width, args.height), "--kernels", "dense:%d" % k,
        "--method", method, "--threads", str(args.threads), "--repeat", str(args.repeat),
        "--warmup", str(args.warmup)])
    machine = next(l["machine"] for l in lines if "machine" in l)
    case = next(l for l in lines if "kernel" in l)
    return machine, case


def kernel_of(args, k):
    lines = run_bench(args, ["--print-kernel", "dense:%d" % k])
    d = lines[0]
    return np.array(d["coeffs"], dtype=np.float32).reshape(d["kh"], d["kw"])


def anchors(args, cv2, k, src):
    """filter2D and fftconvolve on src with kernel k (both convolutions)."""
    pixels = args.width * args.height
    flipped = np.ascontiguousarray(k[::-1, ::-1])
    dst = np.empty_like(src)

    def filter2d():
        cv2.filter2D(src, -1, flipped, dst=dst, borderType=cv2.BORDER_REFLECT)

    def fftconvolve():
        with scipy.fft.set_workers(args.threads):
            scipy.signal.fftconvolve(src, k, mode="same")

    warm = min(args.warmup, 1)
    return {"filter2D": time_calls(filter2d, pixels, args.anchor_repeat, warm),
            "fftconvolve": time_calls(fftconvolve, pixels, args.anchor_repeat, warm)}


def ratio(a, b):
    return a / b if a and b else None


def mpix(args, timing):
    """Megapixels per second of the run --stat picks."""
    return args.width * args.height / (timing[args.stat + "_ms"] * 1e3)


def sweep_row(args, cv2, src, k, machines):
    row = {"k": k, "tessel": {}}
    for method in METHODS + ("auto",):  # interleaved: one of each per size
        machine, case = tessel_case(args, k, method)
        machines.append(machine)
        case["mpix"] = mpix(args, case)
        row["tessel"][method] = case
    speed = {m: row["tessel"][m]["mpix"] for m in METHODS}
    best = max(speed, key=speed.get)
    pick = row["tessel"]["auto"]["method"]
    row["best"] = best
    row["auto_pick"] = pick
    row["auto_over_best"] = row["tessel"]["auto"]["mpix"] / speed[best]
    row["pick_over_best"] = speed[pick] / speed[best] if pick in speed else None
    if cv2 is not None:
        row["anchors"] = anchors(args, cv2, kernel_of(args, k), src)
        for name, timing in row["anchors"].items():
            timing["mpix"] = mpix(args, timing)
            row["best_over_" + name] = ratio(speed[best], timing["mpix"])
    return row


def fmt(v, spec="%.1f"):
    return "-" if v is None else spec % v


def table(args, rows):
    header = ["K", "direct", "fft", "fft-block", "auto (pick)", "auto/best", "pick/best"]
    if not args.no_anchors:
        header += ["filter2D", "fftconvolve", "best/fftconv", "best/filter2D"]
    cells = []
    for r in rows:
        t = r["tessel"]
        line = ["%dx%d" % (r["k"], r["k"])] + [fmt(t[m]["mpix"]) for m in METHODS]
        line += ["%s (%s)" % (fmt(t["auto"]["mpix"]), r["auto_pick"]),
                 fmt(r["auto_over_best"], "%.2f"), fmt(r["pick_over_best"], "%.2f")]
        if not args.no_anchors:
            line += [fmt(r["anchors"]["filter2D"]["mpix"]),
                     fmt(r["anchors"]["fftconvolve"]["mpix"]),
                     fmt(r["best_over_fftconvolve"], "%.2f"),
                     fmt(r["best_over_filter2D"], "%.2f")]
        cells.append(line)
    return header, cells


def print_table(args, header, cells):
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for c in cells:
            print("| " + " | ".join(c) + " |")
        return
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    for c in cells:
        print("  ".join(v.rjust(w) for v, w in zip(c, widths)))


def goals(args, rows):
    """The issue's goals, each with its verdict; returns (lines, all met)."""
    lines, met = [], True
    worst = min(rows, key=lambda r: r["auto_over_best"])
    ok = worst["auto_over_best"] >= GOAL_AUTO
    met &= ok
    lines.append("auto/best >= %.1f for every K: %s (lowest %.2f at %dx%d; pick/best lowest %s)"
                 % (GOAL_AUTO, "met" if ok else "NOT met", worst["auto_over_best"], worst["k"],
                    worst["k"], fmt(min(r["pick_over_best"] or 0 for r in rows), "%.2f")))
    if args.no_anchors:
        return lines, met
    for name in ("fftconvolve", "filter2D"):
        for r in rows:
            if r["k"] not in ANCHOR_SIZES:
                continue
            v = r["best_over_" + name]
            ok = v is not None and v >= GOAL_ANCHOR
            met &= ok
            lines.append("best tessel / %s >= %.0f at %dx%d: %s (%.2f)"
                         % (name, GOAL_ANCHOR, r["k"], r["k"], "met" if ok else "NOT met", v))
    return lines, met


def main(argv):
    args = parse_args(argv)
    cv2 = None
    src = None
    if not args.no_anchors:
        import cv2 as module
        cv2 = module
        cv2.setNumThreads(args.threads)
        rng = np.random.default_rng(IMAGE_SEED)
        src = rng.uniform(0.001, 1.001, size=(args.height, args.width)).astype(np.float32)
    machines, rows = [], []
    for k in args.sizes:
        row = sweep_row(args, cv2, src, k, machines)
        rows.append(row)
        print("sweep.py: %dx%d done (best %s, auto picked %s)" % (k, k, row["best"],
                                                                 row["auto_pick"]),
              file=sys.stderr, flush=True)
    m = machines[0]
    print("%s, %d threads, %s; image %dx%d f32, %s of %d runs (Mpix/s)"
          % (m.get("cpu", "?"), args.threads, m.get("device", "?"), args.width, args.height,
             args.stat, args.repeat))
    if cv2 is not None:
        print("OpenCV %s, SciPy %s, NumPy %s" % (cv2.__version__, scipy.__version__,
                                                 np.__version__))
    header, cells = table(args, rows)
    print_table(args, header, cells)
    lines, met = goals(args, rows)
    print("\n".join(lines))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": {k: v for k, v in vars(args).items()}, "machines": machines,
                       "rows": rows, "goals": lines}, f, indent=1)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
