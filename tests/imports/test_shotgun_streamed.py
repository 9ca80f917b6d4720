"""A Shotgun body read one record at a time (imports/shotgun/streamed.py):
counted in one pass, read again on each iteration; anything the streaming
pass cannot read is left to the whole-body parser, which names the fault."""

import io
import json

from imports.shotgun.streamed import spool, streamed_records
from zou_site.parsers import MAX_JSON_DEPTH


def streamed(text):
    return streamed_records(spool(io.BytesIO(text.encode() if isinstance(text, str) else text)))


def test_an_array_is_counted_and_read_again_each_time():
    records = [{"type": "Shot", "id": n, "cut": 1.5, "links": [{"id": n + 1}]} for n in range(3)]
    found = streamed("  \n" + json.dumps(records))
    assert len(found) == 3
    assert list(found) == records and list(found) == records
    assert json.loads(found.payload().read()) == records


def test_other_bodies_are_left_to_the_whole_body_parser():
    deep = "[" + "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH + "]"
    for body in ('{"records": []}', "[1, 2", '[{"a": "\\udc00"}]', deep, "", b"[\xff]"):
        assert streamed(body) is None, body
    shallow = "[" + "[" * (MAX_JSON_DEPTH - 2) + "]" * (MAX_JSON_DEPTH - 2) + "]"
    assert len(streamed(shallow)) == 1
