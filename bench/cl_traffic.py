#!/usr/bin/env python3
"""Global memory traffic and instructions per output pixel of tessel's tiled
(GPU-shaped) OpenCL kernels, counted by Oclgrind's --inst-counts on its
simulated device: a device-independent view of what bounds a GPU on dense
3x3 to 9x9 kernels and separable Gaussians.

For each case it runs `tessel filter` under `oclgrind --inst-counts` with
TESSEL_CL_KERNELS=tiled and sums, over the convolution kernels launched, the
bytes of global loads and stores and the instructions executed (every LLVM
instruction Oclgrind interprets, as its compiler built the kernel), each
over the output pixels. The floor is the input read once plus the output
written once (4 + 4 bytes for f32, 1 + 1 for u8).

    bench/cl_traffic.py [--tessel build/tessel] [--sizes 512,1024] [--before OLD_TESSEL]
                        [--local-mem-size BYTES] [--only TEXT] [--markdown]

--before runs another build of the command the same way (for example one
made from an earlier commit with its tiled kernels forced) and adds its
figures and the ratio of instructions. --local-mem-size gives the simulated
device another local memory size than Oclgrind's 32 KiB (NVIDIA's OpenCL
reports 48 KiB, AMD's 64 KiB), which sets how wide the fused separable
kernel's strips are; --only keeps the cases whose label contains TEXT. Needs only Python's standard library,
oclgrind and the tessel command; inputs are random .npy files made here.
"""
import argparse
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

CASES = [  # (label, kernel spec, method, dtype)
    ("dense 3x3", "box:3x3", "direct", "f32"),
    ("dense 5x5", "box:5x5", "direct", "f32"),
    ("dense 7x7", "box:7x7", "direct", "f32"),
    ("dense 9x9", "box:9x9", "direct", "f32"),
    ("separable gaussian sigma 1", "gaussian:sigma=1", "separable", "f32"),
    ("separable gaussian sigma 2", "gaussian:sigma=2", "separable", "f32"),
    ("separable gaussian sigma 4", "gaussian:sigma=4", "separable", "f32"),
    ("separable gaussian sigma 8", "gaussian:sigma=8", "separable", "f32"),
    ("dense 3x3", "box:3x3", "direct", "u8"),
    ("dense 9x9", "box:9x9", "direct", "u8"),
    ("separable gaussian sigma 2", "gaussian:sigma=2", "separable", "u8"),
    ("separable gaussian sigma 8", "gaussian:sigma=8", "separable", "u8"),
]
CONV_KERNELS = ("tessel_conv", "tessel_conv_tiled", "tessel_conv_separable", "tessel_conv_vec")


def write_npy(path, width, height, dtype, rng):
    descr = "<f4" if dtype == "f32" else "|u1"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }" % (descr, height, width)
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        n = width * height
        if dtype == "f32":
            f.write(struct.pack("<%df" % n, *(rng.random() for _ in range(n))))
        else:
            f.write(bytes(rng.randrange(256) for _ in range(n)))


def counts(output):
    """{kernel: (instructions, global load bytes, global store bytes)}."""
    result, kernel = {}, None
    for line in output.splitlines():
        m = re.match(r"Instructions executed for kernel '(\w+)':", line)
        if m:
            kernel = m.group(1)
            result.setdefault(kernel, [0, 0, 0])
            continue
        m = re.match(r"\s*(\d+) - (.*)", line)
        if not (m and kernel):
            continue
        result[kernel][0] += int(m.group(1))
        b = re.match(r"(load|store) global \((\d+) bytes\)", m.group(2))
        if b:
            result[kernel][1 if b.group(1) == "load" else 2] += int(b.group(2))
    return result


def measure(tessel, npy, spec, method, work, local_mem):
    env = dict(os.environ, TESSEL_CL_KERNELS="tiled", TESSEL_CACHE_DIR=os.path.join(work, "cache"))
    env.pop("TESSEL_DEVICE", None)
    out = os.path.join(work, "out.npy")
    sim = ["oclgrind", "--inst-counts"]
    if local_mem:
        sim += ["--local-mem-size", str(local_mem)]
    run = subprocess.run(sim + [tessel, "filter", npy, "-k", spec,
                          "--method", method, "--device", "opencl", "-o", out, "--force", "-v"],
                         env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("tessel failed on %s %s:\n%s" % (spec, method, run.stdout + run.stderr))
    kernels = {k: v for k, v in counts(run.stdout + run.stderr).items() if k in CONV_KERNELS}
    detail = re.findall(r"tessel:\s+(?:tiled|vector) kernels: (.*)", run.stderr)
    total = [sum(v[i] for v in kernels.values()) for i in range(3)]
    return total, sorted(kernels), detail[0] if detail else ""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tessel", default="build/tessel")
    p.add_argument("--before", help="another tessel command to count the same way")
    p.add_argument("--sizes", default="512,1024")
    p.add_argument("--local-mem-size", type=int, help="the simulated device's local memory, bytes")
    p.add_argument("--only", default="", help="only the cases whose label contains this")
    p.add_argument("--markdown", action="store_true", help="a Markdown table")
    args = p.parse_args()
    rng = random.Random(20240711)
    with tempfile.TemporaryDirectory() as work:
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            inputs = {}
            for label, spec, method, dtype in CASES:
                if args.only not in label:
                    continue
                if dtype not in inputs:
                    inputs[dtype] = os.path.join(work, "in_%d_%s.npy" % (size, dtype))
                    write_npy(inputs[dtype], size, size, dtype, rng)
                pixels = size * size
                floor = 8 if dtype == "f32" else 2
                (inst, loads, stores), names, detail = measure(
                    args.tessel, inputs[dtype], spec, method, work, args.local_mem_size)
                row = {"case": "%s %s %dx%d" % (dtype, label, size, size),
                       "bytes": (loads + stores) / pixels, "floor": floor,
                       "inst": inst / pixels, "kernels": ", ".join(names), "detail": detail}
                if args.before:
                    (inst0, loads0, stores0), names0, _ = measure(
                        args.before, inputs[dtype], spec, method, work, args.local_mem_size)
                    row["bytes_before"] = (loads0 + stores0) / pixels
                    row["inst_before"] = inst0 / pixels
                rows.append(row)
                print_row(row, args.markdown, first=len(rows) == 1, before=bool(args.before))


def print_row(r, markdown, first, before):
    if markdown:
        if first:
            head = "| case | bytes/px | floor | ratio |"
            rule = "| --- | ---: | ---: | ---: |"
            if before:
                head += " bytes/px before | ratio before |"
                rule += " ---: | ---: |"
            head += " instr/px |"
            rule += " ---: |"
            if before:
                head += " instr/px before | cut |"
                rule += " ---: | ---: |"
            print(head + "\n" + rule)
        line = "| %s | %.2f | %d | %.2f |" % (r["case"], r["bytes"], r["floor"],
                                              r["bytes"] / r["floor"])
        if before:
            line += " %.2f | %.2f |" % (r["bytes_before"], r["bytes_before"] / r["floor"])
        line += " %.0f |" % r["inst"]
        if before:
            line += " %.0f | %.1fx |" % (r["inst_before"], r["inst_before"] / r["inst"])
        print(line, flush=True)
    else:
        text = "%-38s %6.2f B/px (floor %d, %.2fx)  %7.0f instr/px" % (
            r["case"], r["bytes"], r["floor"], r["bytes"] / r["floor"], r["inst"])
        if before:
            text += "  | before %6.2f B/px, %7.0f instr/px, cut %.1fx" % (
                r["bytes_before"], r["inst_before"], r["inst_before"] / r["inst"])
        print(text + "  [%s]" % r["detail"], flush=True)


if __name__ == "__main__":
    main()
