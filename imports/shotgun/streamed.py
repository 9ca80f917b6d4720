"""A request's JSON array of Shotgun records kept as a file and read one record
at a time (ijson), so that a 100k-record body is never held parsed whole:
checked and counted in one pass when it arrives, then read again by the
import, or handed as it is to a job's storage."""

import tempfile

import ijson

from zou_site.parsers import MAX_JSON_DEPTH

# The body stays in memory up to this size, then goes to a temporary file.
SPOOL_IN_MEMORY = 1 << 20
READ_SIZE = 1 << 16


class StreamedRecords:
    """The records of a JSON array in `file`: len() is their count, each
    iteration reads them again from the start."""

    def __init__(self, file, count):
        self.file, self.count = file, count

    def __len__(self):
        return self.count

    def __iter__(self):
        self.file.seek(0)
        return ijson.items(self.file, "item", use_float=True)

    def payload(self):
        """The body as received, for a job's storage."""
        self.file.seek(0)
        return self.file


def spool(stream):
    """The stream copied into a temporary file (in memory while small)."""
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    while chunk := stream.read(READ_SIZE):
        file.write(chunk)
    file.seek(0)
    return file


def _nesting(value):
    """How deep containers nest in a parsed value (iterative)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, depth)
        stack.extend((inner, depth + 1) for inner in item if isinstance(inner, (dict, list)))
    return deepest


def streamed_records(file):
    """StreamedRecords when `file` holds a well-formed JSON array of values no
    deeper than the parser allows, else None: the caller then parses it whole,
    which says what is wrong as it always has (a broken body, a lone surrogate)."""
    file.seek(0)
    head = file.read(64).lstrip()
    if not head.startswith(b"["):
        return None
    count = 0
    try:
        for record in StreamedRecords(file, 0):
            if _nesting(record) >= MAX_JSON_DEPTH:
                return None
            count += 1
    except (ijson.JSONError, ValueError):  # UnicodeDecodeError is a ValueError
        return None
    return StreamedRecords(file, count)
