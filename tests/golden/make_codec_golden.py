#!/usr/bin/env python3
"""Codec golden files for tests/test_codecs.c: small PNG and JPEG files of
every kind tessel reads, each with the pixels OpenCV's cv2.imread decodes
from it, so that the C test needs no OpenCV.

Run from the repository root with OpenCV, NumPy and Pillow in a virtual
environment (never the system Python):

    python3 -m venv build/golden-venv
    build/golden-venv/bin/pip install opencv-python-headless numpy pillow
    build/golden-venv/bin/python tests/golden/make_codec_golden.py

It writes tests/golden/codecs/: each input file, NAME.want.npy with OpenCV's
pixels in tessel's layout (RGB(A) order; grey+alpha as two channels), and
manifest.txt, one line per check:

    file FILE WANT.npy upright|stored    decode FILE, compare exactly
    photo PATH WIDTH HEIGHT CHANNELS DTYPE FNV64   a bundled photograph, by hash

`upright` reads with the EXIF orientation applied (cv2.IMREAD_COLOR does the
same); `stored` with tessel_read_options.keep_orientation (cv2's
IMREAD_IGNORE_ORIENTATION). The outputs are committed.

Inputs: OpenCV writes the PNGs and JPEGs it can write (8/16-bit grey, RGB,
RGBA; JPEG 4:2:0, 4:2:2, 4:4:4, progressive, grey); the PNG writer below
writes the rest (grey+alpha, palettes with and without transparency, 1, 2
and 4-bit grey, a tRNS colour key, Adam7 interlacing, every row filter);
Pillow writes a CMYK JPEG; EXIF orientations 2..8 are spliced into a JPEG.
"""
import os
import struct
import zlib

import cv2
import numpy as np
from PIL import Image

OUT = 'tests/golden/codecs'
PHOTOS = ['examples/data/astronaut.png', 'examples/data/hubble_deep_field.jpg',
          'examples/data/astronaut_48.jpg', 'examples/data/astronaut_48.png',
          'examples/data/camera_48.png', 'examples/data/camera_48_16bit.png']
W, H = 61, 43  # odd sizes: partial JPEG blocks and chroma samples

rng = np.random.default_rng(2024)
manifest = []


def photo_like(h, w, channels, top=255):
    """Smooth structure plus a little noise, as a photograph has."""
    y, x = np.mgrid[0:h, 0:w]
    planes = []
    for c in range(channels):
        v = 0.5 + 0.35 * np.sin(x / (4.0 + c) + c) * np.cos(y / (5.0 + 2 * c)) + 0.1 * (x + y) / (w + h)
        v += rng.normal(0, 0.03, (h, w))
        planes.append(np.clip(v, 0, 1) * top)
    img = np.stack(planes, axis=-1).round()
    return img.astype(np.uint16 if top > 255 else np.uint8)


def to_tessel(img, grey_alpha=False):
    """OpenCV's BGR(A) as tessel's RGB(A); grey+alpha from cv2's BGRA."""
    if img.ndim == 2:
        return img
    if grey_alpha:
        assert (img[..., 0] == img[..., 1]).all() and (img[..., 1] == img[..., 2]).all()
        return np.ascontiguousarray(img[..., [0, 3]])
    order = [2, 1, 0, 3][:img.shape[2]]
    return np.ascontiguousarray(img[..., order])


def add(name, data_or_writer, flags=cv2.IMREAD_UNCHANGED, grey_alpha=False, mode='upright'):
    path = os.path.join(OUT, name)
    if isinstance(data_or_writer, bytes):
        with open(path, 'wb') as f:
            f.write(data_or_writer)
    else:
        data_or_writer(path)
    want = to_tessel(cv2.imread(path, flags), grey_alpha)
    stem = name.rsplit('.', 1)[0] + ('' if mode == 'upright' else '.stored')
    np.save(os.path.join(OUT, stem + '.want.npy'), want)
    manifest.append(f'file {name} {stem}.want.npy {mode}')


# ------------------------------------------------------------ PNG writer

def chunk(kind, data):
    body = kind + data
    return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return np.where((pa <= pb) & (pa <= pc), a, np.where(pb <= pc, b, c))


def filter_rows(raw, bpp):
    """raw: rows of bytes (uint8 2-D). Row y takes filter y % 5."""
    out = []
    prev = np.zeros(raw.shape[1], np.int32)
    for y, row in enumerate(raw.astype(np.int32)):
        kind = y % 5
        left = np.concatenate([np.zeros(bpp, np.int32), row[:-bpp]])
        upleft = np.concatenate([np.zeros(bpp, np.int32), prev[:-bpp]])
        pred = [0, left, prev, (left + prev) // 2, paeth(left, prev, upleft)][kind]
        out.append(bytes([kind]) + ((row - pred) & 0xFF).astype(np.uint8).tobytes())
        prev = row
    return b''.join(out)


def pack_rows(samples, depth):
    """samples: (h, w*c) integers of `depth` bits -> rows of bytes."""
    h = samples.shape[0]
    if depth == 16:
        return samples.astype('>u2').view(np.uint8).reshape(h, -1)
    if depth == 8:
        return samples.astype(np.uint8)
    per = 8 // depth
    w = samples.shape[1]
    padded = np.zeros((h, -(-w // per) * per), np.uint8)
    padded[:, :w] = samples
    rows = np.zeros((h, padded.shape[1] // per), np.uint8)
    for k in range(per):
        rows |= (padded[:, k::per] << (8 - depth * (k + 1))).astype(np.uint8)
    return rows


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(samples, colour, depth, palette=None, trns=None, interlace=False, extra=b''):
    """samples: (h, w, c) of the stored sample values (palette indices for type 3)."""
    h, w, c = samples.shape
    bpp = max(1, c * depth // 8)
    if interlace:
        data = b''
        for x0, y0, dx, dy in ADAM7:
            sub = samples[y0::dy, x0::dx]
            if sub.size:
                data += filter_rows(pack_rows(sub.reshape(sub.shape[0], -1), depth), bpp)
    else:
        data = filter_rows(pack_rows(samples.reshape(h, -1), depth), bpp)
    out = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, depth, colour, 0, 0, int(interlace)))
    out += extra
    if palette is not None:
        out += chunk(b'PLTE', palette.astype(np.uint8).tobytes())
    if trns is not None:
        out += chunk(b'tRNS', trns)
    z = zlib.compress(data, 6)
    return out + chunk(b'IDAT', z[:len(z) // 2]) + chunk(b'IDAT', z[len(z) // 2:]) + chunk(b'IEND', b'')


def make_pngs():
    rgb8, rgb16 = photo_like(H, W, 3), photo_like(H, W, 3, 65535)
    rgba8, rgba16 = photo_like(H, W, 4), photo_like(H, W, 4, 65535)
    grey8, grey16 = photo_like(H, W, 1)[..., 0], photo_like(H, W, 1, 65535)[..., 0]
    for name, img in [('png_rgb8', rgb8), ('png_rgb16', rgb16), ('png_rgba8', rgba8),
                      ('png_rgba16', rgba16), ('png_grey8', grey8), ('png_grey16', grey16)]:
        add(name + '.png', lambda p, img=img: cv2.imwrite(p, img))
    ga = photo_like(H, W, 2)
    add('png_grey_alpha8.png', png(ga, 4, 8), grey_alpha=True)
    add('png_grey_alpha16.png', png(photo_like(H, W, 2, 65535), 4, 16), grey_alpha=True)
    add('png_filters_rgb8.png', png(rgb8, 2, 8))
    add('png_filters_grey16.png', png(grey16[..., None], 0, 16))
    palette = rng.integers(0, 256, (256, 3))
    idx = rng.integers(0, 256, (H, W, 1))
    add('png_palette8.png', png(idx, 3, 8, palette))
    alpha = bytes(rng.integers(0, 256, 200).astype(np.uint8))
    add('png_palette8_trns.png', png(idx, 3, 8, palette, alpha))
    add('png_palette4.png', png(idx % 16, 3, 4, palette[:16]))
    for depth in (1, 2, 4):
        add(f'png_grey{depth}.png', png(rng.integers(0, 1 << depth, (H, W, 1)), 0, depth))
    add('png_rgb8_trns.png', png(rgb8, 2, 8, trns=struct.pack('>HHH', *map(int, rgb8[3, 5]))))
    add('png_rgb8_interlaced.png', png(rgb8, 2, 8, interlace=True))
    add('png_rgb16_interlaced.png', png(rgb16, 2, 16, interlace=True))
    add('png_grey4_interlaced.png', png(rng.integers(0, 16, (H, W, 1)), 0, 4, interlace=True))
    add('png_palette8_interlaced.png', png(idx, 3, 8, palette, interlace=True))


# ------------------------------------------------------------------ JPEG

def exif_orientation(value):
    """An APP1 segment whose EXIF IFD0 holds one tag: Orientation."""
    tiff = b'MM\x00\x2a' + struct.pack('>I', 8) + struct.pack('>H', 1)
    tiff += struct.pack('>HHIHH', 0x0112, 3, 1, value, 0) + struct.pack('>I', 0)
    body = b'Exif\x00\x00' + tiff
    return b'\xff\xe1' + struct.pack('>H', len(body) + 2) + body


def make_jpegs():
    rgb = photo_like(H, W, 3)
    bgr = rgb[..., ::-1]
    q = [cv2.IMWRITE_JPEG_QUALITY, 90]
    add('jpeg_420.jpg', lambda p: cv2.imwrite(p, bgr, q))
    add('jpeg_422.jpg', lambda p: cv2.imwrite(p, bgr, q + [cv2.IMWRITE_JPEG_SAMPLING_FACTOR, 0x211111]))
    add('jpeg_444.jpg', lambda p: cv2.imwrite(p, bgr, q + [cv2.IMWRITE_JPEG_SAMPLING_FACTOR, 0x111111]))
    add('jpeg_progressive.jpg', lambda p: cv2.imwrite(p, bgr, q + [cv2.IMWRITE_JPEG_PROGRESSIVE, 1]))
    add('jpeg_grey.jpg', lambda p: cv2.imwrite(p, rgb[..., 1], q))
    cmyk = photo_like(H, W, 4)
    add('jpeg_cmyk.jpg', lambda p: Image.fromarray(cmyk, 'CMYK').save(p, quality=90),
        flags=cv2.IMREAD_COLOR)
    ok, base = cv2.imencode('.jpg', bgr, q)
    base = base.tobytes()
    for value in range(2, 9):
        data = base[:2] + exif_orientation(value) + base[2:]
        add(f'jpeg_exif{value}.jpg', data, flags=cv2.IMREAD_COLOR)
        add(f'jpeg_exif{value}.jpg', data, flags=cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION,
            mode='stored')


def fnv64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def add_photos():
    for path in PHOTOS:
        img = to_tessel(cv2.imread(path, cv2.IMREAD_UNCHANGED))
        c = 1 if img.ndim == 2 else img.shape[2]
        digest = fnv64(np.ascontiguousarray(img).astype('<' + img.dtype.str[1:]).tobytes())
        manifest.append(f'photo {path} {img.shape[1]} {img.shape[0]} {c} '
                        f'{"u16" if img.dtype == np.uint16 else "u8"} {digest:016x}')


def main():
    os.makedirs(OUT, exist_ok=True)
    make_pngs()
    make_jpegs()
    add_photos()
    with open(os.path.join(OUT, 'manifest.txt'), 'w') as f:
        f.write(f'# made by tests/golden/make_codec_golden.py with OpenCV {cv2.__version__}\n')
        f.write('\n'.join(manifest) + '\n')


if __name__ == '__main__':
    main()
