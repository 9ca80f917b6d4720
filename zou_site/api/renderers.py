"""The API's JSON renderer: DRF's text, written by orjson (issue 16).

A page of 100 tasks or a project's whole list spent more time in the json
module than in PostgreSQL. orjson writes the same compact UTF-8 text for
what answers hold (strings, ints, lists, dicts, None; floats in their
shortest form, as repr); everything else (UUIDs, datetimes with their `Z`,
dates, Decimals, lazy strings) goes through DRF's own encoder as before.
What orjson refuses (an int past 64 bits, a key that is not a string) and a
pretty-printed answer (`Accept: application/json; indent=4`) go through
DRF's renderer unchanged.
"""

import orjson
from rest_framework.renderers import JSONRenderer

_LINE_SEPARATORS = (("\u2028".encode(), b"\\u2028"), ("\u2029".encode(), b"\\u2029"))


class ZouJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            text = orjson.dumps(data, default=self.encoder_class().default, option=orjson.OPT_PASSTHROUGH_DATETIME)
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF's renderer: JSON that is also a strict JavaScript subset.
        for raw, escaped in _LINE_SEPARATORS:
            if raw in text:
                text = text.replace(raw, escaped)
        return text
