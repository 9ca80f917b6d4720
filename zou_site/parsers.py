from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def nul_path(value, path="body"):
    """Where a NUL character hides in parsed JSON, or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = nul_path(str(key), path) or nul_path(item, str(key))
        if found:
            return found
    return None


class ZouJSONParser(JSONParser):
    """JSON bodies, with NUL characters refused: PostgreSQL text cannot hold
    them, so they are bad input rather than a database failure."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        where = nul_path(data)
        if where:
            raise ParseError(f"'{where}' contains a NUL character.")
        return data
