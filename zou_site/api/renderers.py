"""The API's JSON, written by orjson with DRF's and the json module's bytes
(issue 16).

A page of 100 tasks or a project's whole list spent more time in the json
module than in PostgreSQL. orjson writes the same compact UTF-8 text for
what answers hold (strings, ints, lists, dicts, None, floats); UUIDs,
datetimes (with DRF's `Z`), dates, Decimals and lazy strings go through
DRF's own encoder as before. Where orjson's text would differ (an int past
64 bits, a key that is not a string, a float of magnitude 1e-9 to 1e-4, which
orjson writes 1e-7 or 0.00001) and for a pretty-printed answer (`Accept: application/json;
indent=4`), the json module writes the answer as before.
"""

import re

import orjson
from rest_framework.renderers import JSONRenderer

_LINE_SEPARATORS = (("\u2028".encode(), b"\\u2028"), ("\u2029".encode(), b"\\u2029"))
# orjson and the json module write the same text for every float but those of magnitude
# 1e-9 to 1e-4: 1e-7 for 1e-07, 0.00001 for 1e-05. A number ends at `,`, `}`, `]` or the
# end, so ids' "1e-5ecd" never match. (Literals first: the searches skip ahead in C,
# ~15% of orjson's own time on a big list.)
_SHORT_EXPONENT = re.compile(rb"e-\d(?:[,}\]]|$)")


def dumps(value, default):
    """orjson's compact bytes of `value`, or None where they would not be the
    json module's (then the caller uses it)."""
    try:
        text = orjson.dumps(value, default=default, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return None
    if b"0.0000" in text or _SHORT_EXPONENT.search(text):
        return None
    return text


class ZouJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        text = dumps(data, self.encoder_class().default)
        if text is None:
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF's renderer: JSON that is also a strict JavaScript subset.
        for raw, escaped in _LINE_SEPARATORS:
            if raw in text:
                text = text.replace(raw, escaped)
        return text
