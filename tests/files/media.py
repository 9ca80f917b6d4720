"""Real files for the preview tests: pictures drawn by Pillow, and a small
movie in the ISO base media format (the boxes an MP4 or MOV is made of:
`ftyp`, the movie header `moov`/`mvhd`, the media data `mdat`)."""

import io
import struct

from PIL import Image


def picture(size=(640, 360), color=(200, 90, 30), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def box(box_type, payload):
    return struct.pack(">I4s", 8 + len(payload), box_type) + payload


def movie_header(timescale=1000, duration=2000):
    """`mvhd`, version 0: times, timescale, duration, rate 1.0, volume 1.0, the identity matrix, next track id."""
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    payload = struct.pack(">I4I", 0, 0, 0, timescale, duration) + struct.pack(">IH", 0x10000, 0x100) + bytes(10)
    payload += matrix + bytes(24) + struct.pack(">I", 2)
    return box(b"mvhd", payload)


def movie(brand=b"isom", frames=24):
    """A small MP4 (brand `isom`) or MOV (brand `qt  `)."""
    ftyp = box(b"ftyp", brand + struct.pack(">I", 512) + brand + b"mp41")
    return ftyp + box(b"moov", movie_header()) + box(b"mdat", bytes(range(256)) * frames)
