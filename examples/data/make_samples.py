# Makes the 48x48 sample files that tests/test_io.c reads, one per format,
# from the photographs astronaut.png and camera.pgm beside this script, with
# writers other than tessel's (OpenCV, NumPy, and the TGA and GIF writers
# below).
# Run once as  python3 make_samples.py . .  ; the outputs are committed.
import struct, sys
import numpy as np, cv2

src, out = sys.argv[1], sys.argv[2]
S = 48
rgb = cv2.resize(cv2.imread(f'{src}/astronaut.png', cv2.IMREAD_COLOR), (S, S), interpolation=cv2.INTER_AREA)
grey = cv2.resize(cv2.imread(f'{src}/camera.pgm', cv2.IMREAD_GRAYSCALE), (S, S), interpolation=cv2.INTER_AREA)

def tga_header(kind, bits, descriptor):
    return struct.pack('<BBBHHBHHHHBB', 0, 0, kind, 0, 0, 0, 0, 0, S, S, bits, descriptor)

def tga_rle(rows, pixel_bytes):
    data = bytearray()
    flat = [bytes(p) for p in rows.reshape(-1, pixel_bytes)]
    i = 0
    while i < len(flat):
        run = 1
        while i + run < len(flat) and run < 128 and flat[i + run] == flat[i]:
            run += 1
        if run > 1:
            data += bytes([0x80 | (run - 1)]) + flat[i]
            i += run
        else:
            raw = 1
            while i + raw < len(flat) and raw < 128 and (i + raw + 1 >= len(flat) or flat[i + raw] != flat[i + raw + 1]):
                raw += 1
            data += bytes([raw - 1]) + b''.join(flat[i:i + raw])
            i += raw
    return bytes(data)

def gif_grey(img):
    """A GIF with a palette of the 256 greys. Its LZW stream never lets the
    code table grow: a clear code every 254 pixels keeps codes 9 bits wide."""
    h, w = img.shape
    codes, clear, end = [], 256, 257
    for i, v in enumerate(img.reshape(-1)):
        if i % 254 == 0:
            codes.append(clear)
        codes.append(int(v))
    codes.append(end)
    bits = sum(c << (9 * i) for i, c in enumerate(codes))
    data = bits.to_bytes((9 * len(codes) + 7) // 8, 'little')
    blocks = b''.join(bytes([len(data[i:i + 255])]) + data[i:i + 255] for i in range(0, len(data), 255))
    palette = bytes(v for g in range(256) for v in (g, g, g))
    return (b'GIF89a' + struct.pack('<HHBBB', w, h, 0xF7, 0, 0) + palette +
            b',' + struct.pack('<HHHHB', 0, 0, w, h, 0) + bytes([8]) + blocks + b'\x00;')

cv2.imwrite(f'{out}/astronaut_48.png', rgb)
cv2.imwrite(f'{out}/astronaut_48.bmp', rgb)
cv2.imwrite(f'{out}/astronaut_48.ppm', rgb)
cv2.imwrite(f'{out}/astronaut_48.jpg', rgb, [cv2.IMWRITE_JPEG_QUALITY, 90])
cv2.imwrite(f'{out}/astronaut_48.gif', rgb)
cv2.imwrite(f'{out}/astronaut_48.hdr', rgb.astype(np.float32) / 255)
# uncompressed true-colour TGA, rows bottom-up (the TGA default), BGR
open(f'{out}/astronaut_48.tga', 'wb').write(tga_header(2, 24, 0) + rgb[::-1].tobytes())
cv2.imwrite(f'{out}/camera_48.png', grey)
cv2.imwrite(f'{out}/camera_48.bmp', grey)
open(f'{out}/camera_48.gif', 'wb').write(gif_grey(grey))
# run-length grey TGA, rows top-down (descriptor bit 5)
open(f'{out}/camera_48_rle.tga', 'wb').write(tga_header(11, 8, 0x20) + tga_rle(grey, 1))
cv2.imwrite(f'{out}/camera_48_16bit.png', grey.astype(np.uint16) * 257)
cv2.imwrite(f'{out}/camera_48_16bit.pgm', grey.astype(np.uint16) * 257)
np.save(f'{out}/camera_48.npy', grey)
np.save(f'{out}/camera_48_f64.npy', grey.astype(np.float64) / 255)
