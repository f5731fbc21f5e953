"""Filter a Zarr array larger than the workers' memory with tessel.dask.

Makes a float32 Zarr array of SIZE x SIZE samples (1 GiB at the default
16384) in CHUNK x CHUNK chunks, starts a dask.distributed LocalCluster of
WORKERS processes on the loopback interface, each allowed MEMORY bytes,
and writes the Gaussian of the array into a second Zarr array, chunk by
chunk: no worker ever holds the array. OME-Zarr images are Zarr arrays
too (one per resolution level): open a level with da.from_zarr(path,
component="0") and write the result the same way.

    python python/examples/zarr_gaussian.py /tmp/zarr-demo
    python python/examples/zarr_gaussian.py /tmp/zarr-demo --size 4096 --check
"""
import argparse
import os
import time

import dask.array as da
import numpy as np
from distributed import Client, LocalCluster

import tessel.dask


def make_input(path, size, chunk):
    """A random array written chunk by chunk (never whole in memory)."""
    x = da.random.default_rng(0).random((size, size), chunks=chunk, dtype=np.float32)
    x.to_zarr(path, overwrite=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--size", type=int, default=16384)
    parser.add_argument("--chunk", type=int, default=2048)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory", default="400MiB", help="memory limit per worker")
    parser.add_argument("--sigma", type=float, default=3.0)
    parser.add_argument("--check", action="store_true",
                        help="compare with tessel.ndimage on the whole array (needs it in memory)")
    args = parser.parse_args()
    source = os.path.join(args.folder, "input.zarr")
    target = os.path.join(args.folder, "gaussian.zarr")
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, memory_limit=args.memory,
                      host="127.0.0.1", dashboard_address=None, processes=True) as cluster, \
            Client(cluster):
        make_input(source, args.size, args.chunk)
        start = time.perf_counter()
        x = da.from_zarr(source)
        y = tessel.dask.gaussian_filter(x, args.sigma, mode="reflect")
        y.to_zarr(target, overwrite=True)
        seconds = time.perf_counter() - start
    nbytes = args.size * args.size * 4
    print(f"{args.size}x{args.size} float32 ({nbytes / 2**20:.0f} MiB) in {args.chunk}^2 chunks "
          f"on {args.workers} workers of {args.memory}: {seconds:.1f} s")
    if args.check:
        from tessel import ndimage
        whole = ndimage.gaussian_filter(da.from_zarr(source).compute(), args.sigma)
        same = np.array_equal(da.from_zarr(target).compute(), whole)
        print("equal to tessel.ndimage on the whole array:", same)
        raise SystemExit(0 if same else 1)


if __name__ == "__main__":
    main()
