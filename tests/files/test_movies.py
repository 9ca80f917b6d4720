"""How a movie preview is checked without a movie library (files.movies):
its boxes must tile the file, it must hold a movie header, and its first box
must be one its extension allows. Table tests, no database."""

import io
import struct

import pytest

from files.movies import MovieError, check_movie
from tests.files.media import box, movie, movie_header, picture


def check(data, extension):
    check_movie(io.BytesIO(data), extension, len(data))


@pytest.mark.parametrize(
    "data, extension",
    [
        (movie(), "mp4"),
        (movie(), "m4v"),
        (movie(b"qt  "), "mov"),
        # QuickTime files older than `ftyp` open with the movie itself.
        (box(b"moov", movie_header()) + box(b"mdat", b"\0" * 64), "mov"),
        # A last box of size 0 runs to the end of the file.
        (movie()[:-len(box(b"mdat", bytes(range(256)) * 24))] + struct.pack(">I4s", 0, b"mdat") + b"\1" * 99, "mp4"),
        # A 64-bit box size.
        (movie(frames=0)[: -8] + struct.pack(">I4sQ", 1, b"mdat", 16 + 5) + b"12345", "mp4"),
    ],
    ids=["mp4", "m4v", "mov", "old-quicktime", "size-0-last-box", "large-size"],
)
def test_movies_pass(data, extension):
    check(data, extension)


@pytest.mark.parametrize(
    "data, extension, reason",
    [
        (picture(), "mp4", "does not start a box"),
        (b"just some text, renamed", "mov", "does not fit"),
        (movie()[:-10], "mp4", "does not fit"),
        (movie() + b"\0\0", "mp4", "ends inside a box header"),
        (box(b"ftyp", b"isom\0\0\0\0") + box(b"mdat", b"\0" * 32), "mp4", "no movie header"),
        (box(b"moov", movie_header()), "mp4", "does not start as a .mp4"),
        (b"", "mp4", "does not start as a .mp4"),
        (movie(), "avi", "not a movie extension"),
    ],
    ids=["png-renamed", "text-renamed", "truncated", "trailing-bytes", "no-moov", "mp4-without-ftyp", "empty", "avi"],
)
def test_what_is_refused_says_why(data, extension, reason):
    with pytest.raises(MovieError, match=reason):
        check(data, extension)
