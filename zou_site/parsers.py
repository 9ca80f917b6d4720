import io
import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

# Deeper JSON than this is refused: real payloads nest a few levels, and
# Python's recursion limit must never be what answers.
MAX_JSON_DEPTH = 64


def _storable(text):
    """Text PostgreSQL (and any UTF-8 store) can keep: no NUL, no lone
    surrogate (JSON may carry `\udc00`, which UTF-8 cannot encode)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def nul_path(value, path="body"):
    """Where text that cannot be stored (a NUL character or a lone
    surrogate) hides in parsed data, or None (iterative: the data may be deep)."""
    if isinstance(value, (dict, list)) and _all_storable(value):
        return None
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if not _storable(item):
                return where
        elif isinstance(item, dict):
            for key, inner in item.items():
                stack.append((str(key), where))
                stack.append((inner, str(key)))
        elif isinstance(item, (list, tuple)):
            stack.extend((inner, where) for inner in item)
    return None


def _all_storable(value):
    """The common case in one pass of C code: the data as JSON text has no
    escaped NUL and encodes to UTF-8. False (look closer) when unsure: text
    holding a backslash before "u0000" reads like a NUL here."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
        text.encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError, RecursionError):
        return False
    return "\\u0000" not in text


def too_deep(raw, limit=MAX_JSON_DEPTH):
    """Whether raw JSON text nests deeper than the limit (strings skipped)."""
    depth, in_string, escaped = 0, False, False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def refuse_nul(data):
    where = nul_path(data)
    if where:
        raise ParseError(f"'{where}' contains a NUL character or an unpaired surrogate.")
    return data


class ZouJSONParser(JSONParser):
    """JSON bodies, refused when nested past MAX_JSON_DEPTH or holding NUL
    characters (PostgreSQL text cannot hold them: bad input, not a DB failure).
    A view whose service names better where such text lies may leave it to it."""

    refuses_unstorable_text = True

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        text = raw.decode((parser_context or {}).get("encoding") or "utf-8", errors="replace")
        if too_deep(text):
            raise ParseError(f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels.")
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        return refuse_nul(data) if self.refuses_unstorable_text else data


class ZouMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        refuse_nul({key: result.data.getlist(key) for key in result.data})
        return result


class ZouFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        refuse_nul({key: data.getlist(key) for key in data})
        return data
