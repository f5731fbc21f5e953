#!/usr/bin/env python3
"""tessel's Python package against SciPy, OpenCV, pyclesperanto and dask-image,
in one run on the same arrays (bench/RESULTS.md, "Python").

    build/venv/bin/pip install -r bench/requirements.txt
    build/venv/bin/python bench/python_compare.py [--quick]

Prints a table per part: in-memory filters on 4096^2 float32 (tessel.ndimage,
scipy.ndimage, cv2, pyclesperanto on the same OpenCL device tessel would use,
and tessel's C plan as the floor of the Python layer); the call overhead on
64^2 and 512^2 against the C plan; threads (GIL release); tessel.dask against
dask_image.ndfilters on a 16384^2 float32 array in 4096^2 chunks on a
2-worker LocalCluster. Times are medians of repeated runs after a warm-up.
"""
import argparse
import os
import platform
import statistics
import sys
import threading
import time

import numpy as np
import scipy.ndimage as sp

import tessel
from tessel import ndimage as tn


def median_time(fn, repeat, warmup=1):
    return median_times([fn], repeat, warmup)[0]


def median_times(fns, repeat, warmup=1):
    """Medians of the functions' times, run in turn (interleaved, so that a
    change of load on the machine touches them alike)."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, ts in zip(fns, times):
            t = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t)
    return [statistics.median(ts) for ts in times]


def gaussian_kernel(sigma, truncate=4.0):
    """scipy.ndimage's Gaussian weights (radius int(truncate * sigma + 0.5)) as a
    tessel.Kernel: the C plan then does what tessel.ndimage.gaussian_filter does."""
    radius = int(truncate * sigma + 0.5)
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    g = np.exp(-0.5 * (x / sigma) ** 2)
    g /= g.sum()
    return tessel.Kernel.from_factors(g, g)


def row(name, seconds, base=None, note=""):
    ratio = f"{base / seconds:8.2f}x" if base else " " * 9
    print(f"  {name:42s} {seconds * 1e3:10.2f} ms {ratio}  {note}")


def optional(module):
    try:
        import importlib
        return importlib.import_module(module)
    except Exception as err:  # noqa: BLE001 - report and go on
        print(f"  ({module} unavailable: {err})")
        return None


def in_memory(size, repeat):
    print(f"\nIn memory: {size}x{size} float32 (ratios: scipy.ndimage time / this time)")
    a = np.random.default_rng(0).random((size, size), dtype=np.float32)
    out = np.empty_like(a)
    cv2, cle = optional("cv2"), optional("pyclesperanto")
    cases = [("gaussian sigma 2", lambda x, **kw: tn.gaussian_filter(x, 2, **kw),
              lambda x: sp.gaussian_filter(x, 2), gaussian_kernel(2), None)]
    for k in (3, 5, 9):
        w = np.random.default_rng(k).random((k, k)).astype(np.float32)
        cases.append((f"dense {k}x{k} correlate", lambda x, w=w, **kw: tn.correlate(x, w, **kw),
                      lambda x, w=w: sp.correlate(x, w), tessel.Kernel(w), w))
    for name, ours, scipy_fn, kernel, dense in cases:
        print(f" {name}")
        base = median_time(lambda: scipy_fn(a), max(1, repeat // 3))
        row("scipy.ndimage", base, base)
        # the C plan with the same weights, anchor and border: the floor of the Python layer
        plan = tessel.Plan(a.shape, kernel, correlate=True, border="reflect")
        t_py, t_out, t_c = median_times(
            [lambda: ours(a), lambda: ours(a, output=out), lambda: plan(a, out)], repeat)
        row("tessel.ndimage", t_py, base, f"Python/C time {t_py / t_c:.3f}")
        row("tessel.ndimage, output=", t_out, base, f"Python/C time {t_out / t_c:.3f}")
        row("tessel C plan (the floor)", t_c, base)
        if cv2 is not None:
            if dense is None:
                fn = lambda: cv2.GaussianBlur(a, (17, 17), 2, borderType=cv2.BORDER_REFLECT)
            else:
                fn = lambda: cv2.filter2D(a, -1, dense, borderType=cv2.BORDER_REFLECT)
            row("cv2", median_time(fn, repeat), base)
        if cle is not None:
            try:
                g = cle.push(a)
                if dense is None:
                    fn = lambda: cle.pull(cle.gaussian_blur(g, sigma_x=2, sigma_y=2))
                else:
                    kg = cle.push(dense)
                    fn = lambda: cle.pull(cle.convolve(g, kg))
                row(f"pyclesperanto ({cle.get_device().name[:20]})", median_time(fn, repeat), base,
                    "incl. pull")
            except Exception as err:  # noqa: BLE001
                print(f"  (pyclesperanto failed: {err})")


def overhead(repeat):
    print("\nCall overhead (gaussian sigma 2, float32; ratio: C plan time / this time)")
    for size in (64, 512):
        a = np.random.default_rng(1).random((size, size), dtype=np.float32)
        kernel = gaussian_kernel(2)
        plan = tessel.Plan(a.shape, kernel, correlate=True)
        out = np.empty_like(a)
        t_c, t_f, t_n = median_times(
            [lambda: plan(a, out), lambda: tessel.filter(a, kernel, correlate=True),
             lambda: tn.gaussian_filter(a, 2)], repeat * 20)
        print(f" {size}x{size}")
        row("tessel C plan", t_c, t_c)
        row("tessel.filter", t_f, t_c, f"+{(t_f - t_c) * 1e6:.0f} us")
        row("tessel.ndimage.gaussian_filter", t_n, t_c, f"+{(t_n - t_c) * 1e6:.0f} us")


def threads(repeat):
    print("\nThreads (GIL released): 8 x dense 9x9 on 1024^2, one CPU thread per call")
    a = np.random.default_rng(2).random((1024, 1024), dtype=np.float32)
    w = np.random.default_rng(3).random((9, 9))

    def work(n):
        with tessel.using_device("cpu", threads=1):
            for _ in range(n):
                tn.correlate(a, w)

    def run(count):
        ts = [threading.Thread(target=work, args=(8 // count,)) for _ in range(count)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    one = median_time(lambda: run(1), repeat)
    row("1 thread", one, one)
    for n in sorted({2, os.cpu_count() or 2}):
        if n > 1 and 8 % n == 0:
            row(f"{n} threads", median_time(lambda: run(n), repeat), one)


def dask_cluster(size, chunk, repeat):
    print(f"\nDask: {size}^2 float32 in {chunk}^2 chunks, 2-worker LocalCluster "
          "(ratio: dask_image time / this time)")
    import dask.array as da
    from distributed import Client, LocalCluster
    import tessel.dask as td
    di = optional("dask_image.ndfilters")
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None, memory_limit=None) as cluster, Client(cluster):
        x = da.random.default_rng(0).random((size, size), chunks=chunk, dtype=np.float32).persist()
        w = np.random.default_rng(5).random((5, 5)).astype(np.float32)
        cases = [("gaussian sigma 2", lambda: td.gaussian_filter(x, 2),
                  lambda: di.gaussian_filter(x, 2) if di else None),
                 ("dense 5x5", lambda: td.correlate(x, w), lambda: di.correlate(x, w) if di else None)]
        for name, ours, theirs in cases:
            print(f" {name}")
            base = median_time(lambda: theirs().sum().compute(), repeat) if di else None
            if base:
                row("dask_image.ndfilters", base, base)
            row("tessel.dask", median_time(lambda: ours().sum().compute(), repeat), base)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller arrays, fewer repeats")
    args = parser.parse_args()
    size, dsize, chunk, repeat = (1024, 4096, 1024, 3) if args.quick else (4096, 16384, 4096, 7)
    print(f"tessel {tessel.__version__}, Python {platform.python_version()}, "
          f"numpy {np.__version__}, device {tessel.device_name()}, {os.cpu_count()} cores, "
          f"{platform.processor() or platform.machine()}")
    in_memory(size, repeat)
    overhead(repeat)
    threads(repeat)
    dask_cluster(dsize, chunk, max(1, repeat // 3))


if __name__ == "__main__":
    sys.exit(main())
