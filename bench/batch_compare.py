#!/usr/bin/env python3
"""tessel's batch filter next to an OpenCV multiprocessing pool and libvips,
on the same files and cores, in one run (bench/batch_compare.sh runs it).

For each format (PNG -> PNG, JPEG -> JPEG at quality 90, TIFF -> TIFF with
deflate) the same folder of COUNT RGB photographs of SIZE x SIZE pixels is
blurred (Gaussian, sigma 2) by:
  tessel   `tessel filter in/* -k gaussian:sigma=2 -o out/` (its defaults:
           the batch's devices, I/O threads and levels);
  opencv   bench/opencv_pool.py: Pool(JOBS) of imread -> GaussianBlur ->
           imwrite, OpenCV's default PNG settings;
  vips     `vips gaussblur IN OUT 2` per file through `xargs -P JOBS`
           (libvips' defaults: PNG at zlib level 6; its kernel stops at a
           smaller amplitude than tessel's and OpenCV's, so it does less work).
Each job is timed from outside (wall clock, and the CPU time of the
processes), ROUNDS times with the tools' order rotated between rounds so
that a busy neighbour hurts each alike; the median is reported. Output sizes
are the sums over the folder.

Also measured: each format's decode and encode Mpix/s on one thread, tessel
(bench/tessel-codec-bench) and OpenCV (cv2.setNumThreads(1)) on the same
files; and the streamed 20000^2 u8 TIFF (bench/tessel-tiff-stream-bench).

The inputs are made once (a stamp file keeps them) from the bundled
photographs: random crops scaled to SIZE x SIZE (bicubic) plus Gaussian
noise of 2.5 levels, as a camera's, saved by OpenCV.
"""
import argparse
import glob
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PHOTOS = ['examples/data/astronaut.png', 'examples/data/hubble_deep_field.jpg']
FORMATS = {'png': '.png', 'jpeg': '.jpg', 'tiff': '.tif'}
TARGET_OPENCV, TARGET_VIPS, TARGET_PNG_SIZE = 1.5, 2.0, 1.10


def parse():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--tessel', default=os.path.join(ROOT, 'build/tessel'))
    p.add_argument('--bench-dir', default=os.path.join(ROOT, 'build/bench'),
                   help='folder of tessel-codec-bench and tessel-tiff-stream-bench')
    p.add_argument('--dir', default=os.path.join(ROOT, 'build/batch-compare'),
                   help='inputs and outputs (about 1.5 GB for 60 images of 2048^2)')
    p.add_argument('--count', type=int, default=60)
    p.add_argument('--size', type=int, default=2048)
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--jobs', type=int, default=os.cpu_count() or 2,
                   help='OpenCV pool processes and xargs -P for vips (default: the cores)')
    p.add_argument('--formats', default='png,jpeg,tiff')
    p.add_argument('--tools', default='tessel,opencv,vips')
    p.add_argument('--codec-files', type=int, default=8, help='files per format for the codec rates')
    p.add_argument('--no-stream', action='store_true', help='skip the streamed 20000^2 TIFF')
    p.add_argument('--json', help='write every figure to this file')
    return p.parse_args()


# ------------------------------------------------------------------ inputs

def make_inputs(a):
    stamp = os.path.join(a.dir, f'inputs-{a.count}x{a.size}.stamp')
    if os.path.exists(stamp):
        return
    rng = np.random.default_rng(15)
    photos = [cv2.imread(os.path.join(ROOT, p), cv2.IMREAD_COLOR) for p in PHOTOS]
    for fmt, ext in FORMATS.items():
        os.makedirs(os.path.join(a.dir, 'in_' + fmt), exist_ok=True)
    for i in range(a.count):
        src = photos[i % len(photos)]
        h, w = src.shape[:2]
        s = rng.uniform(0.55, 1.0)
        ch, cw = int(h * s), int(w * s)
        y, x = rng.integers(0, h - ch + 1), rng.integers(0, w - cw + 1)
        img = cv2.resize(src[y:y + ch, x:x + cw], (a.size, a.size), interpolation=cv2.INTER_CUBIC)
        if i % 3 == 1:
            img = cv2.flip(img, 1)
        img = np.clip(img + rng.normal(0, 2.5, img.shape), 0, 255).astype(np.uint8)
        name = f'img{i:03d}'
        cv2.imwrite(os.path.join(a.dir, 'in_png', name + '.png'), img)
        cv2.imwrite(os.path.join(a.dir, 'in_jpeg', name + '.jpg'), img, [cv2.IMWRITE_JPEG_QUALITY, 90])
        cv2.imwrite(os.path.join(a.dir, 'in_tiff', name + '.tif'), img, [cv2.IMWRITE_TIFF_COMPRESSION, 8])
    open(stamp, 'w').close()


def inputs_of(a, fmt):
    return sorted(glob.glob(os.path.join(a.dir, 'in_' + fmt, '*' + FORMATS[fmt])))[:a.count]


# ------------------------------------------------------------------- tools

def command(a, tool, fmt, files, out):
    if tool == 'tessel':
        cmd = [a.tessel, 'filter', *files, '-k', 'gaussian:sigma=2', '-o', out + '/', '--force', '-q']
        return cmd + (['--quality', '90'] if fmt == 'jpeg' else []), None
    if tool == 'opencv':
        return [sys.executable, os.path.join(HERE, 'opencv_pool.py'), str(a.jobs), '2', out, *files], None
    options = {'png': '', 'jpeg': '[Q=90]', 'tiff': '[compression=deflate]'}[fmt]
    lines = ''.join(f'{f}\n{os.path.join(out, os.path.basename(f))}{options}\n2\n' for f in files)
    return ['xargs', '-P', str(a.jobs), '-n', '3', '-d', '\n', 'vips', 'gaussblur'], lines


def run_tool(a, tool, fmt):
    files = inputs_of(a, fmt)
    out = os.path.join(a.dir, f'out_{tool}_{fmt}')
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    cmd, stdin = command(a, tool, fmt, files, out)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, input=stdin, text=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f'{tool} {fmt} failed ({r.returncode}): {r.stderr[-2000:]}')
    written = glob.glob(os.path.join(out, '*'))
    if len(written) != len(files):
        raise SystemExit(f'{tool} {fmt}: {len(written)} outputs for {len(files)} inputs')
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {'seconds': wall, 'cpu_seconds': cpu, 'bytes': sum(os.path.getsize(p) for p in written)}


def run_batches(a, formats, tools):
    runs = {(t, f): [] for t in tools for f in formats}
    for r in range(a.rounds):
        for f in formats:
            order = tools[r % len(tools):] + tools[:r % len(tools)]
            for t in order:
                m = run_tool(a, t, f)
                runs[(t, f)].append(m)
                print(f'  round {r + 1}: {f:4s} {t:6s} {m["seconds"]:6.2f} s '
                      f'(cpu {m["cpu_seconds"]:6.2f} s), {m["bytes"] / 1e6:7.1f} MB', flush=True)
    return {k: {'seconds': statistics.median(x['seconds'] for x in v),
                'all_seconds': [x['seconds'] for x in v],
                'cpu_seconds': statistics.median(x['cpu_seconds'] for x in v),
                'bytes': v[-1]['bytes']} for k, v in runs.items()}


# ------------------------------------------------------------------ codecs

def opencv_codecs(files, fmt):
    cv2.setNumThreads(1)
    params = {'jpeg': [cv2.IMWRITE_JPEG_QUALITY, 90], 'png': [],
              'tiff': [cv2.IMWRITE_TIFF_COMPRESSION, 8]}[fmt]
    imgs = [cv2.imread(f, cv2.IMREAD_UNCHANGED) for f in files]
    mpix = sum(i.shape[0] * i.shape[1] for i in imgs) / 1e6
    out = os.path.join(os.path.dirname(files[0]), '..', 'opencv_codec' + FORMATS[fmt])
    t0 = time.perf_counter()
    for f in files:
        cv2.imread(f, cv2.IMREAD_UNCHANGED)
    t1 = time.perf_counter()
    for i in imgs:
        cv2.imwrite(out, i, params)
    t2 = time.perf_counter()
    os.remove(out)
    return {'decode_mpix_s': mpix / (t1 - t0), 'encode_mpix_s': mpix / (t2 - t1)}


def codec_rates(a, formats):
    rates = {}
    for f in formats:
        files = inputs_of(a, f)[:a.codec_files]
        r = subprocess.run([os.path.join(a.bench_dir, 'tessel-codec-bench'), '--repeat', '2',
                            '--dir', a.dir, *files], capture_output=True, text=True, check=True)
        rates[f] = {'tessel': json.loads(r.stdout.strip().splitlines()[0]),
                    'opencv': opencv_codecs(files, f)}
    return rates


def stream_figures(a):
    r = subprocess.run([os.path.join(a.bench_dir, 'tessel-tiff-stream-bench'), a.tessel,
                        '--device', 'cpu', '--dir', a.dir], capture_output=True, text=True)
    if r.returncode != 0:
        return {'error': r.stderr[-500:]}
    rows = {}
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[1] in ('cli', 'api'):
            rows[f'{parts[0]} {parts[1]}'] = {'seconds': float(parts[-4]), 'mpix_s': float(parts[-3]),
                                              'peak_mib': float(parts[-2]), 'output_mib': float(parts[-1])}
    return rows


# ------------------------------------------------------------------ report

def machine():
    model = platform.processor()
    try:
        with open('/proc/cpuinfo') as f:
            model = next(l.split(':', 1)[1].strip() for l in f if l.startswith('model name'))
    except (OSError, StopIteration):
        pass
    commit = subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'],
                            capture_output=True, text=True).stdout.strip()
    vips = subprocess.run(['vips', '--version'], capture_output=True, text=True).stdout.strip()
    return {'cpu': model, 'cores': os.cpu_count(), 'date': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
            'commit': commit, 'opencv': cv2.__version__, 'vips': vips,
            'load_average': os.getloadavg()}


def report(a, m, batches, formats, tools, rates, stream):
    print(f'\n- {m["date"]}, tessel commit {m["commit"]}, {m["cpu"]}, {m["cores"]} cores, '
          f'load average at the end {m["load_average"][0]:.1f}; OpenCV {m["opencv"]}, {m["vips"]}')
    print(f'- {a.count} RGB images of {a.size}x{a.size}, Gaussian sigma 2, median of {a.rounds} '
          f'rounds (tools interleaved), {a.jobs} processes for OpenCV and vips\n')
    print('| job | tool | seconds | CPU seconds | output MB | tessel speed-up |')
    print('|---|---|---:|---:|---:|---:|')
    for f in formats:
        base = batches.get(('tessel', f))
        for t in tools:
            b = batches[(t, f)]
            ratio = b['seconds'] / base['seconds'] if base else float('nan')
            print(f'| {f} -> {f} | {t} | {b["seconds"]:.2f} | {b["cpu_seconds"]:.2f} | '
                  f'{b["bytes"] / 1e6:.1f} | {"" if t == "tessel" else f"{ratio:.2f}x"} |')
    print('\n| format | tessel decode Mpix/s | OpenCV decode | tessel encode Mpix/s | OpenCV encode | tessel codec |')
    print('|---|---:|---:|---:|---:|---|')
    for f, r in rates.items():
        t, o = r['tessel'], r['opencv']
        print(f'| {f} | {t["decode_mpix_s"]:.0f} | {o["decode_mpix_s"]:.0f} | {t["encode_mpix_s"]:.0f} | '
              f'{o["encode_mpix_s"]:.0f} | {t["decoder"]} / {t["encoder"]} |')
    if stream:
        print('\n| streamed 20000^2 TIFF | seconds | Mpix/s | peak MiB | output MiB |')
        print('|---|---:|---:|---:|---:|')
        for k, v in stream.items():
            if isinstance(v, dict):
                print(f'| {k} | {v["seconds"]:.2f} | {v["mpix_s"]:.1f} | {v["peak_mib"]:.1f} | {v["output_mib"]:.1f} |')
    print('\nTargets:')
    for f in ('png', 'jpeg'):
        if ('tessel', f) not in batches:
            continue
        tess = batches[('tessel', f)]['seconds']
        for t, goal in (('opencv', TARGET_OPENCV), ('vips', TARGET_VIPS)):
            if (t, f) in batches:
                r = batches[(t, f)]['seconds'] / tess
                print(f'- {f}: tessel {r:.2f}x {t} (target {goal}x): {"met" if r >= goal else "missed"}')
    if ('tessel', 'png') in batches and ('opencv', 'png') in batches:
        r = batches[('tessel', 'png')]['bytes'] / batches[('opencv', 'png')]['bytes']
        print(f'- PNG output size {r:.3f} of OpenCV\'s (target <= {TARGET_PNG_SIZE}): '
              f'{"met" if r <= TARGET_PNG_SIZE else "missed"}')
    u8 = stream.get('u8 cli') if stream else None
    if u8:
        print(f'- streamed u8 TIFF with deflate {u8["seconds"]:.2f} s (target <= 1.44 s, half of 2.88) '
              f'with peak {u8["peak_mib"]:.0f} MiB (target < 95 MiB, a quarter of the 381 MiB image)')


def main():
    a = parse()
    os.chdir(ROOT)
    formats = [f for f in a.formats.split(',') if f]
    tools = [t for t in a.tools.split(',') if t]
    if 'vips' in tools and shutil.which('vips') is None:
        raise SystemExit('vips not found (apt-get install libvips-tools), or pass --tools tessel,opencv')
    os.makedirs(a.dir, exist_ok=True)
    print(f'inputs: {a.count} x {a.size}^2 in {a.dir}', flush=True)
    make_inputs(a)
    batches = run_batches(a, formats, tools)
    rates = codec_rates(a, formats)
    stream = {} if a.no_stream else stream_figures(a)
    m = machine()
    report(a, m, batches, formats, tools, rates, stream)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'machine': m, 'count': a.count, 'size': a.size, 'rounds': a.rounds,
                       'batches': {f'{t} {f}': v for (t, f), v in batches.items()},
                       'codecs': rates, 'stream': stream}, f, indent=1)


if __name__ == '__main__':
    main()
