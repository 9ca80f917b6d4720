"""Movie previews are stored as uploaded, never transcoded: no movie library
runs on the server, so a movie is checked by its structure instead.

Accepted: the ISO base media family (MP4, M4V, QuickTime MOV), what studio
review tools export. Such a file is a chain of boxes, each starting with its
size and a four-letter type; a file is accepted when its extension is one of
the family's, its boxes tile the whole file exactly, its types are printable
four-letter codes, and it holds the movie header box (`moov`) players need.
A renamed picture, text, a truncated upload or any other container fails.
Pure functions: bytes in, an error or nothing out.
"""

import struct

MOVIE_EXTENSIONS = ("mp4", "m4v", "mov")
CONTENT_TYPES = {"mp4": "video/mp4", "m4v": "video/x-m4v", "mov": "video/quicktime"}
# What may open an MP4; QuickTime files written before `ftyp` existed open with these too.
_FIRST_BOXES = {"mp4": {b"ftyp"}, "m4v": {b"ftyp"}, "mov": {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip"}}
_HEADER = struct.Struct(">I4s")
_LARGE_SIZE = struct.Struct(">Q")


class MovieError(Exception):
    """The upload is not a movie of its extension; the message says why."""


def _box_types(stream, length):
    """The top-level box types, checking that the boxes tile `length` bytes."""
    types = []
    offset = 0
    while offset < length:
        stream.seek(offset)
        header = stream.read(_HEADER.size)
        if len(header) < _HEADER.size:
            raise MovieError(f"the file ends inside a box header at byte {offset}")
        size, box_type = _HEADER.unpack(header)
        header_size = _HEADER.size
        if size == 1:
            large = stream.read(_LARGE_SIZE.size)
            if len(large) < _LARGE_SIZE.size:
                raise MovieError(f"the file ends inside a box header at byte {offset}")
            size = _LARGE_SIZE.unpack(large)[0]
            header_size += _LARGE_SIZE.size
        elif size == 0:  # the last box runs to the end of the file
            size = length - offset
        if not all(0x20 <= byte < 0x7F for byte in box_type):
            raise MovieError(f"byte {offset} does not start a box")
        if size < header_size or offset + size > length:
            raise MovieError(f"the '{box_type.decode()}' box at byte {offset} does not fit in the file")
        types.append(box_type)
        offset += size
    return types


def check_movie(stream, extension, length):
    """Raise MovieError unless `stream` (seekable, `length` bytes) is a movie
    of the ISO base media family matching `extension`."""
    if extension not in MOVIE_EXTENSIONS:
        raise MovieError(f"'.{extension}' is not a movie extension ({', '.join(MOVIE_EXTENSIONS)})")
    types = _box_types(stream, length)
    stream.seek(0)
    if not types or types[0] not in _FIRST_BOXES[extension]:
        raise MovieError(f"it does not start as a .{extension} movie does")
    if b"moov" not in types:
        raise MovieError("it has no movie header ('moov' box)")
