#!/usr/bin/env python3
"""tessel next to OpenCV and SciPy: the same cases, measured in the same run.

For every case tessel-bench times a tessel plan, and this script times the
anchors on an image of the same size, dtype and channel count with the very
coefficients tessel uses (read back with `tessel-bench --print-kernel`):

  dense kernels      cv2.filter2D and scipy.ndimage.convolve (SciPy is
                     single-threaded and slow: only up to --scipy-max)
  box:K              cv2.blur and scipy.ndimage.uniform_filter (K x K)
  gaussian:sigma=S   cv2.GaussianBlur with tessel's size (radius ceil(3S)):
                     OpenCV's own coefficients, fixed-point for u8
  other rank-1       cv2.sepFilter2D with tessel's 1-D taps

and then 1-D moving averages of --signal-length f32 samples (default 10^7)
with windows --windows (7 to 1001): tessel (box:Wx1 on a one-row image)
next to scipy.ndimage.uniform_filter1d and pandas.Series.rolling(W).mean().

OpenCV runs with as many threads as tessel, outputs are preallocated, the
border is reflect everywhere, and each figure is the median of --repeat timed
calls after --warmup untimed ones.

--backend opencl times tessel's OpenCL backend next to tessel's CPU backend
and OpenCV's OpenCL path (cv2.UMat in and out, each call timed up to
cv2.ocl.finish()) on the OpenCL device tessel uses; --backend both prints the
CPU table and the OpenCL table of one run.

    build/venv/bin/python bench/compare.py         # full run (4096x4096, 10^7 samples)
    python3 bench/compare.py --quick               # smoke run (1024x1024)
    python3 bench/compare.py --markdown --json results.json
    python3 bench/compare.py --backend opencl      # OpenCL backend and OpenCV's OpenCL
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

import numpy as np
import scipy
import scipy.ndimage

# Imported by import_opencv(): OPENCV_OPENCL_DEVICE must be set before the
# import, and which device to name is known only once tessel-bench has run.
cv2 = None

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BENCH = os.path.join(REPO, "build", "bench", "tessel-bench")
DEFAULT_CASES = (
    [("f32", "dense:%d" % k) for k in (3, 5, 7, 9, 63, 127)]
    + [("f32", "gaussian:sigma=%d" % s) for s in (1, 2, 4, 8)]
    + [("f32", "box:%d" % k) for k in (3, 15, 31, 101)]
    + [("u8", "box:%d" % k) for k in (3, 15, 31, 101)]
    + [("u8", "gaussian:sigma=%d" % s) for s in (1, 2)]
    + [("u8", "dense:3"), ("u8", "dense:5")]
)
DEFAULT_WINDOWS = (7, 31, 101, 301, 1001)
# Issue 14's goals on the CPU: tessel at least 1.5x the anchor, each case.
GOAL_14 = 1.5
GOAL_14_CASES = (
    [(("u8", "box:%d" % k), "cv2.blur") for k in (3, 15, 31, 101)]
    + [(("f32", "box:%d" % k), "cv2.blur") for k in (3, 15, 31, 101)]
    + [(("u8", "gaussian:sigma=%d" % s), "cv2.GaussianBlur") for s in (1, 2)]
    + [(("f32", "gaussian:sigma=%d" % s), "cv2.GaussianBlur") for s in (1, 2, 4, 8)]
    + [(("f32", "dense:%d" % k), "cv2.filter2D") for k in (3, 5, 7, 9, 63, 127)]
)
NUMPY_DTYPES = {"f32": np.float32, "u8": np.uint8, "u16": np.uint16}
IMAGE_SEED = 20240611
# OpenCV's OPENCV_OPENCL_DEVICE device types for tessel-bench's device_kind.
OPENCV_DEVICE_TYPES = {"cpu": "CPU", "gpu": "GPU", "accelerator": "ACCELERATOR"}
# Issue 4's goals for the OpenCL backend: f32 dense 3x3..9x9 at 4096x4096.
GOAL_CASES = [("f32", "dense:%d" % k) for k in (3, 5, 7, 9)]
GOAL_OVER_OPENCV, GOAL_OVER_CPU = 10.0, 0.5


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
    add("--signal-length", type=int,
        help="samples of the 1-D moving averages (default 10^7, --quick 10^6; 0: none)")
    add("--windows", type=lambda t: [int(w) for w in t.split(",")],
        help="moving average windows, comma-separated (default 7,31,101,301,1001)")
    add("--backend", choices=("cpu", "opencl", "both"), default="cpu",
        help="cpu: tessel's CPU backend against OpenCV and SciPy (default); opencl: tessel's "
             "OpenCL backend against its CPU backend and OpenCV's OpenCL path; both: both tables")
    add("--device", help="OpenCL device for tessel (tessel-bench --device: opencl:N, gpu, a name)")
    a = p.parse_args(argv)
    a.size = a.size or ("1024x1024" if a.quick else "4096x4096")
    a.repeat = a.repeat or (3 if a.quick else 10)
    a.warmup = a.warmup if a.warmup is not None else (1 if a.quick else 2)
    a.scipy_repeat = a.scipy_repeat or (1 if a.quick else 3)
    a.threads = a.threads or len(os.sched_getaffinity(0))
    if a.signal_length is None:
        a.signal_length = 10 ** 6 if a.quick else 10 ** 7
    a.windows = a.windows or list(DEFAULT_WINDOWS)
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


def spec_number(spec, pattern):
    m = re.fullmatch(pattern, spec)
    return float(m.group(1)) if m else None


def opencv_call(src, dst, k, separable, spec=""):
    """OpenCV's function for the job: blur for a box, GaussianBlur for a
    Gaussian (its own coefficients at tessel's size), else filter2D or
    sepFilter2D with tessel's coefficients."""
    side = spec_number(spec, r"box:([0-9]+)")
    if side:
        size = (int(side), int(side))
        return "blur", lambda: cv2.blur(src, size, dst=dst, borderType=cv2.BORDER_REFLECT)
    sigma = spec_number(spec, r"gaussian:sigma=([0-9.]+)")
    if sigma:
        size = (k.shape[1], k.shape[0])
        return "GaussianBlur", lambda: cv2.GaussianBlur(src, size, sigma, dst=dst,
                                                        borderType=cv2.BORDER_REFLECT)
    if separable:
        row, column = factor_rank1(k)
        return "sepFilter2D", lambda: cv2.sepFilter2D(src, -1, row, column, dst=dst,
                                                      borderType=cv2.BORDER_REFLECT)
    return "filter2D", lambda: cv2.filter2D(src, -1, k, dst=dst, borderType=cv2.BORDER_REFLECT)


def scipy_call(src, dst, k, channels, spec=""):
    side = spec_number(spec, r"box:([0-9]+)")
    if side:
        size = (int(side), int(side)) + ((1,) if channels > 1 else ())
        return lambda: scipy.ndimage.uniform_filter(src, size, output=dst, mode="reflect")
    weights = k[:, :, None] if channels > 1 else k
    return lambda: scipy.ndimage.convolve(src, weights, output=dst, mode="reflect")


def anchors_for_case(args, k, separable, src, spec):
    """Times OpenCV (and SciPy for boxes and small dense kernels) on one case."""
    pixels = args.width * args.height
    dst = np.empty_like(src)
    name, call = opencv_call(src, dst, k, separable, spec)
    if call() is not dst:
        raise RuntimeError("OpenCV did not write into the preallocated output")
    result = {"opencv_function": name,
              "opencv": time_calls(call, pixels, args.repeat, args.warmup)}
    if spec.startswith("box:") and args.scipy_max > 0:
        result["scipy_function"] = "uniform_filter"
        result["scipy"] = time_calls(scipy_call(src, dst, k, args.channels, spec), pixels,
                                     args.scipy_repeat, min(args.warmup, 1))
    elif not separable and max(k.shape) <= args.scipy_max:
        result["scipy"] = time_calls(scipy_call(src, dst, k, args.channels), pixels,
                                     args.scipy_repeat, min(args.warmup, 1))
    return result


def check_opencl_output(got, src, k, separable):
    """OpenCV's OpenCL result must be OpenCV's CPU result (so every sample was
    written, and with the same kernel): 1e-4 of the largest magnitude for
    floats, 1 level for integers."""
    want = np.empty_like(src)
    opencv_call(src, want, k, separable)[1]()
    if src.dtype == np.float32:
        bad = ~np.isfinite(got) | (np.abs(got - want) > 1e-4 * max(1.0, np.abs(want).max()))
    else:
        bad = np.abs(got.astype(np.int64) - want.astype(np.int64)) > 1
    if bad.any():
        at = np.unravel_index(np.argmax(bad), bad.shape)
        raise RuntimeError("OpenCV OpenCL output differs from OpenCV CPU at %s: %r, not %r"
                           % (at, got[at], want[at]))


def opencl_anchor_for_case(args, k, separable, src):
    """Times OpenCV's OpenCL path: UMat in and out, each call up to
    cv2.ocl.finish(), so the time is the device's work and no download."""
    poison = np.full_like(src, np.nan) if src.dtype == np.float32 else np.zeros_like(src)
    usrc, udst = cv2.UMat(src), cv2.UMat(poison)
    name, call = opencv_call(usrc, udst, k, separable)

    def synchronised():
        call()
        cv2.ocl.finish()

    synchronised()
    check_opencl_output(udst.get(), src, k, separable)
    return {"opencv_opencl_function": name,
            "opencv_opencl": time_calls(synchronised, args.width * args.height, args.repeat,
                                        args.warmup)}


def tessel_for_dtype(args, dtype, specs, backend="cpu"):
    """One tessel-bench run for all kernels of a dtype: machine line + cases."""
    extra = ["--backend", "opencl"] + (["--device", args.device] if args.device else []) \
        if backend == "opencl" else []
    rc, out, err = run_bench(args, [
        "--sizes", "%dx%d" % (args.width, args.height), "--kernels", ";".join(specs),
        "--dtype", dtype, "--channels", str(args.channels), "--threads", str(args.threads),
        "--repeat", str(args.repeat), "--warmup", str(args.warmup)] + extra)
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    machine = next((l["machine"] for l in lines if "machine" in l), None)
    cases = {l["kernel"]: l for l in lines if "kernel" in l}
    if rc != 0:
        print("compare.py: tessel-bench (%s, %s backend) reported failures:\n%s"
              % (dtype, backend, err.strip()), file=sys.stderr)
    return machine, cases


def dtype_specs(args):
    return {dtype: [s for d, s in args.cases if d == dtype]
            for dtype in dict.fromkeys(d for d, _ in args.cases)}


def run_tessel(args):
    """Every tessel-bench run, before OpenCV is imported: the OpenCL run names
    the device OpenCV must use. Returns {backend: {dtype: (machine, cases)}}."""
    backends = ["cpu"] + (["opencl"] if args.backend != "cpu" else [])
    return {b: {dtype: tessel_for_dtype(args, dtype, specs, b)
                for dtype, specs in dtype_specs(args).items()} for b in backends}


def import_opencv(args, opencl_machines):
    """Imports cv2; for OpenCL first points OpenCV at the kind of device
    tessel runs on (PoCL: ":CPU:"), unless the caller set OPENCV_OPENCL_DEVICE."""
    global cv2
    source = None
    if args.backend != "cpu":
        kind = next((m.get("device_kind") for m in opencl_machines.values() if m), None)
        if "OPENCV_OPENCL_DEVICE" in os.environ:
            source = "set by the caller"
        elif kind in OPENCV_DEVICE_TYPES:
            os.environ["OPENCV_OPENCL_DEVICE"] = ":%s:" % OPENCV_DEVICE_TYPES[kind]
            source = "set by compare.py for tessel's %s device" % kind
    import cv2 as module
    cv2 = module
    return source


def opencv_opencl_status(env_source, opencl_machines):
    """Turns OpenCV's OpenCL path on and says whether it really is on, on
    which device, and whether that is tessel's device."""
    cv2.ocl.setUseOpenCL(True)
    have, use = bool(cv2.ocl.haveOpenCL()), bool(cv2.ocl.useOpenCL())
    name = cv2.ocl.Device.getDefault().name() if use else ""
    tessel = next((m["device"] for m in opencl_machines.values() if m), "")
    status = {"have_opencl": have, "use_opencl": use, "device": name,
              "env": os.environ.get("OPENCV_OPENCL_DEVICE"), "env_source": env_source,
              "ok": have and use and bool(name),
              "same_device": bool(name) and tessel.startswith(name + " (")}
    if not status["ok"]:
        status["reason"] = "cv2.ocl.haveOpenCL() %s, cv2.ocl.useOpenCL() %s, device %r" \
                           % (have, use, name)
    return status


def case_row(args, dtype, spec, src, runs, ocv_cl):
    row = {"dtype": dtype, "kernel": spec, "tessel": runs["cpu"][dtype][1].get(spec)}
    opencl = "opencl" in runs
    if opencl:
        row["tessel_opencl"] = runs["opencl"][dtype][1].get(spec)
    try:
        k, separable = tessel_kernel(args, spec)
        check_gaussian_radius(spec, k)
        if args.backend != "opencl":
            if opencl:
                cv2.ocl.setUseOpenCL(False)  # numpy in and out: OpenCV's CPU path only
            row.update(anchors_for_case(args, k, separable, src, spec))
        if ocv_cl and ocv_cl["ok"]:
            cv2.ocl.setUseOpenCL(True)
            row.update(opencl_anchor_for_case(args, k, separable, src))
    except RuntimeError as e:
        row["error"] = str(e)
    if row["tessel"] is None and "error" not in row:
        row["error"] = "tessel-bench failed on this case (its message is above)"
    if opencl and row["tessel_opencl"] is None and "error" not in row:
        row["error"] = "tessel-bench --backend opencl failed on this case (its message is above)"
    return row


def run_cases(args):
    runs = run_tessel(args)
    opencl_machines = {d: m for d, (m, _) in runs.get("opencl", {}).items()}
    env_source = import_opencv(args, opencl_machines)
    cv2.setNumThreads(args.threads)
    ocv_cl = opencv_opencl_status(env_source, opencl_machines) if "opencl" in runs else None
    rows = []
    for dtype, specs in dtype_specs(args).items():
        src = random_image(args, dtype)
        rows += [case_row(args, dtype, spec, src, runs, ocv_cl) for spec in specs]
    machines = {b: {d: m for d, (m, _) in per_dtype.items()} for b, per_dtype in runs.items()}
    return machines, ocv_cl, rows, sum("error" in r for r in rows)


def run_signals(args):
    """1-D moving averages: tessel-bench on a one-row f32 image of
    signal_length samples (box:Wx1), then uniform_filter1d and pandas on the
    same samples. Rows of the 1-D table."""
    if args.signal_length <= 0:
        return []
    try:
        import pandas
    except ImportError:
        sys.exit("compare.py: pandas is missing: pip install -r bench/requirements.txt")
    n = args.signal_length
    specs = ["box:%dx1" % w for w in args.windows]
    rc, out, err = run_bench(args, [
        "--sizes", "%dx1" % n, "--kernels", ";".join(specs), "--dtype", "f32",
        "--threads", str(args.threads), "--repeat", str(args.repeat),
        "--warmup", str(args.warmup)])
    if rc != 0:
        print("compare.py: tessel-bench (1-D) reported failures:\n%s" % err.strip(),
              file=sys.stderr)
    cases = {l["kernel"]: l for l in (json.loads(t) for t in out.splitlines() if t.strip())
             if "kernel" in l}
    x = np.random.default_rng(IMAGE_SEED).uniform(0.001, 1.001, n).astype(np.float32)
    y = np.empty_like(x)
    series = pandas.Series(x)
    rows = []
    for w, spec in zip(args.windows, specs):
        row = {"window": w, "samples": n, "tessel": cases.get(spec),
               "uniform_filter1d": time_calls(
                   lambda: scipy.ndimage.uniform_filter1d(x, w, output=y, mode="reflect"),
                   n, args.repeat, args.warmup),
               "pandas_rolling_mean": time_calls(lambda: series.rolling(w).mean(), n,
                                                 args.repeat, args.warmup),
               "pandas": pandas.__version__}
        if row["tessel"] is None:
            row["error"] = "tessel-bench failed on this case (its message is above)"
        rows.append(row)
    return rows


SIGNAL_HEADER = ["moving average", "tessel method", "tessel Msamples/s",
                 "uniform_filter1d Msamples/s", "tessel/uniform_filter1d",
                 "pandas rolling Msamples/s", "tessel/pandas", "note"]
SIGNAL_LEFT_COLUMNS = {0, 1, 7}


def signal_table_rows(rows):
    out = []
    for r in rows:
        t = (r["tessel"] or {}).get("mpix_s")
        u, p = r["uniform_filter1d"]["mpix_s"], r["pandas_rolling_mean"]["mpix_s"]
        out.append(["%d of %.3g f32 samples" % (r["window"], r["samples"]),
                    (r["tessel"] or {}).get("method", "-"), fmt(t, ".0f"), fmt(u, ".0f"),
                    fmt(ratio(t, u), ".2f"), fmt(p, ".0f"), fmt(ratio(t, p), ".2f"),
                    r.get("error", "")])
    return out


def goal_14_lines(args, rows, signal_rows):
    """Issue 14's goals: each listed case at least GOAL_14 times its anchor
    (judged at 4096x4096 and 10^7 samples only)."""
    by_case = {(r["dtype"], r["kernel"]): r for r in rows}
    judged = (args.width, args.height) == (4096, 4096)
    lines, missed = [], []
    for case, anchor in GOAL_14_CASES:
        r = by_case.get(case)
        if r is None:
            continue
        v = ratio((r["tessel"] or {}).get("mpix_s"), (r.get("opencv") or {}).get("mpix_s"))
        if v is None or v < GOAL_14:
            missed.append("%s %s" % case)
        lines.append("%s %s / %s %s" % (case[0], case[1], anchor, fmt(v, ".2f")))
    for r in signal_rows:
        t = (r["tessel"] or {}).get("mpix_s")
        for anchor in ("uniform_filter1d", "pandas_rolling_mean"):
            v = ratio(t, r[anchor]["mpix_s"])
            if v is None or v < GOAL_14:
                missed.append("window %d / %s" % (r["window"], anchor))
        judged = judged and r["samples"] == 10 ** 7
    if not lines and not signal_rows:
        return []
    verdict = ("met" if not missed else "NOT met: " + ", ".join(missed)) if judged \
        else "not judged (the goals are for 4096x4096 and 10^7 samples)"
    return ["issue 14 goals (>= %.1fx the anchor): %s; %s" % (GOAL_14, "; ".join(lines), verdict)]


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


OPENCL_HEADER = ["case", "tessel method", "tessel OpenCL Mpix/s", "of limit",
                 "tessel CPU Mpix/s", "OpenCL/CPU", "OpenCV", "OpenCV OpenCL Mpix/s",
                 "tessel/OpenCV", "note"]
LEFT_COLUMNS = {0, 1, 4, 9}  # text columns of HEADER
OPENCL_LEFT_COLUMNS = {0, 1, 6, 9}


def ratio(a, b):
    return a / b if a and b else None


def opencl_table_rows(rows):
    out = []
    for r in rows:
        t, c = r.get("tessel_opencl") or {}, r["tessel"] or {}
        cv = r.get("opencv_opencl") or {}
        tm, cm, vm = t.get("mpix_s"), c.get("mpix_s"), cv.get("mpix_s")
        frac = t.get("fraction_of_limit")
        out.append([
            "%s %s" % (r["dtype"], r["kernel"]),
            t.get("method", "-"),
            fmt(tm, ".0f"),
            "-" if frac is None else "%.0f%% %s" % (100 * frac, t["limit_kind"]),
            fmt(cm, ".0f"),
            fmt(ratio(tm, cm), ".2f"),
            r.get("opencv_opencl_function", "-"),
            fmt(vm, ".1f"),
            fmt(ratio(tm, vm), ".1f"),
            r.get("error", ""),
        ])
    return out


def run_lines(args, when, commit):
    scipy_runs = " (SciPy: %d)" % args.scipy_repeat if args.backend != "opencl" else ""
    return ["date %s, tessel commit %s, OpenCV %s, SciPy %s, NumPy %s, Python %s"
            % (when, commit, cv2.__version__, scipy.__version__, np.__version__,
               platform.python_version()),
            "image %dx%d, %d channel(s), %d thread(s), median of %d after %d warm-up%s"
            % (args.width, args.height, args.channels, args.threads, args.repeat,
               args.warmup, scipy_runs)]


def machine_lines(machines):
    lines = []
    for dtype, m in machines.items():
        if m and not m["bench_optimized"]:
            lines.append("WARNING: tessel-bench is not an optimised build: use a Release build")
        if m:
            lines.append("machine (%s run): %s, %d cores, tessel device %s, copy %.1f GB/s, "
                         "%.0f GFMA/s (%s)" % (dtype, m["cpu"], m["cores"], m["device"],
                                               m["copy_gbytes_s"], m["gfma_s"], m["fma_isa"]))
    return lines


def opencl_machine_lines(machines):
    """tessel's OpenCL device and the limits its cases are measured against:
    the host's for a CPU-type device (PoCL), the device's own otherwise."""
    lines = []
    for dtype, m in machines.items():
        if not m:
            continue
        line = "OpenCL (%s run): tessel device %s, %s, %d compute units; " \
               % (dtype, m["device"], m["device_kind"], m["compute_units"])
        if m["limits"] == "host":
            line += "limits from the host: copy %.1f GB/s, %.0f GFMA/s (the device's own " \
                    "copy %.1f GB/s, %.0f GFMA/s)" % (m["copy_gbytes_s"], m["gfma_s"],
                                                      m["device_copy_gbytes_s"],
                                                      m["device_gfma_s"])
        else:
            line += "limits from the device: copy %.1f GB/s, %.0f GFMA/s" \
                    % (m["device_copy_gbytes_s"], m["device_gfma_s"])
        lines.append(line)
    return lines


def opencv_opencl_lines(status):
    if not status["ok"]:
        return ["OpenCV OpenCL: NOT in use (%s, OPENCV_OPENCL_DEVICE=%r): its columns are empty"
                % (status["reason"], status["env"])]
    env = "OPENCV_OPENCL_DEVICE=%r %s" % (status["env"], status["env_source"]) \
        if status["env"] is not None else "OPENCV_OPENCL_DEVICE unset"
    lines = ["OpenCV OpenCL: in use (cv2.ocl.useOpenCL() True), device %r (%s); UMat in and "
             "out, each call timed up to cv2.ocl.finish()" % (status["device"], env)]
    if not status["same_device"]:
        lines.append("WARNING: OpenCV's OpenCL device is not tessel's: set "
                     "OPENCV_OPENCL_DEVICE to compare on one device")
    return lines


def goal_verdict(values, goal, judged):
    if not judged:
        return "not judged"
    if not values or None in values:
        return "incomplete"
    return "met" if min(values) >= goal else "NOT met"


def goal_lines(args, rows, opencl_machines):
    """Issue 4's OpenCL goals on the f32 dense 3x3..9x9 cases of this run:
    judged only at the goals' image size, the OpenCV one only on a CPU-type
    OpenCL device (PoCL)."""
    by_case = {(r["dtype"], r["kernel"]): r for r in rows}
    present = [by_case[c] for c in GOAL_CASES if c in by_case]
    if not present:
        return []

    def ratios(other):
        return [ratio((r.get("tessel_opencl") or {}).get("mpix_s"),
                      (r.get(other) or {}).get("mpix_s")) for r in present]

    over_cv, over_cpu = ratios("opencv_opencl"), ratios("tessel")
    full_size = (args.width, args.height) == (4096, 4096)
    pocl = (opencl_machines.get("f32") or {}).get("device_kind") == "cpu"
    size = "" if full_size else \
        " (this run is %dx%d; the goals are for 4096x4096)" % (args.width, args.height)
    return ["issue 4 goals, %s%s: tessel OpenCL / OpenCV OpenCL %s, goal >= %g on PoCL: %s; "
            "tessel OpenCL / tessel CPU %s, goal >= %g: %s"
            % (", ".join("%s %s" % (r["dtype"], r["kernel"]) for r in present), size,
               ", ".join(fmt(v, ".1f") for v in over_cv), GOAL_OVER_OPENCV,
               goal_verdict(over_cv, GOAL_OVER_OPENCV, full_size and pocl),
               ", ".join(fmt(v, ".2f") for v in over_cpu), GOAL_OVER_CPU,
               goal_verdict(over_cpu, GOAL_OVER_CPU, full_size))]


def print_plain(lines, header, cells, left, after):
    for line in lines:
        print(line)
    cells = [header] + cells
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    for c in cells:
        print("  ".join(v.ljust(w) for v, w in zip(c, widths)).rstrip())
    for line in after:
        print(line)


def print_markdown(lines, header, cells, left, after):
    for line in lines:
        print("- " + line)
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i in left else "---:" for i in range(len(header))) + "|")
    for c in cells:
        print("| " + " | ".join(v.replace("|", "\\|") for v in c) + " |")
    if after:
        print()
    for line in after:
        print(line)


def print_tables(args, machines, ocv_cl, rows, signal_rows, when, commit):
    show = print_markdown if args.markdown else print_plain
    lines = run_lines(args, when, commit) + machine_lines(machines["cpu"])
    if args.backend != "opencl":
        show(lines, HEADER, table_rows(rows), LEFT_COLUMNS, [])
        lines = []
        if signal_rows:
            print()
            pandas_version = signal_rows[0]["pandas"]
            show(["1-D moving averages, pandas %s; the anchors run on one thread" % pandas_version],
                 SIGNAL_HEADER, signal_table_rows(signal_rows), SIGNAL_LEFT_COLUMNS,
                 goal_14_lines(args, rows, signal_rows))
        else:
            for line in goal_14_lines(args, rows, signal_rows):
                print(line)
    if args.backend != "cpu":
        if args.backend == "both":
            print()
        lines += opencl_machine_lines(machines["opencl"]) + opencv_opencl_lines(ocv_cl)
        show(lines, OPENCL_HEADER, opencl_table_rows(rows), OPENCL_LEFT_COLUMNS,
             goal_lines(args, rows, machines["opencl"]))


def write_json(args, path, machines, ocv_cl, rows, signal_rows, when, commit):
    result = {"date": when, "commit": commit, "opencv": cv2.__version__,
              "scipy": scipy.__version__, "numpy": np.__version__,
              "settings": {k: getattr(args, k) for k in (
                  "width", "height", "channels", "threads", "repeat", "warmup",
                  "scipy_repeat", "scipy_max", "quick", "backend", "device",
                  "signal_length", "windows")},
              "machines": machines["cpu"], "cases": rows, "signals": signal_rows}
    if ocv_cl is not None:
        result["machines_opencl"] = machines["opencl"]
        result["opencv_opencl"] = ocv_cl
    with open(path, "w") as f:
        json.dump(result, f, indent=1)


def main(argv):
    args = parse_args(argv)
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    commit = git_commit()
    machines, ocv_cl, rows, failures = run_cases(args)
    signal_rows = run_signals(args) if args.backend != "opencl" else []
    failures += sum("error" in r for r in signal_rows)
    print_tables(args, machines, ocv_cl, rows, signal_rows, when, commit)
    if args.json:
        write_json(args, args.json, machines, ocv_cl, rows, signal_rows, when, commit)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
