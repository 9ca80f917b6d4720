"""OpenAPI generation: unique operation ids for the two URL dialects, aliases
tagged, and the error answers of every operation (the bearer schemes are
described beside their classes, in production.auth.authentication)."""

import re

from drf_spectacular.openapi import AutoSchema

from zou_site.api.routers import is_alias_path

ALIAS_TAG = "aliases (Zou's later URL dialect)"


class ZouAutoSchema(AutoSchema):
    def get_operation_id(self):
        words = re.sub(r"[{}]", "", self.path.strip("/")).replace("-", "_dash_")
        words = re.sub(r"[^a-zA-Z0-9_]+", "_", words)
        return f"{self.method.lower()}_{words}".strip("_")

    def get_tags(self):
        if is_alias_path(self.path):
            return [ALIAS_TAG]
        return super().get_tags()

    def get_description(self):
        description = super().get_description() or ""
        if is_alias_path(self.path):
            return (description + "\n\nAlias kept for gazu and Zou's later URL dialect.").strip()
        return description


HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error answer: JSON with a message naming the field, the CSV line or the Shotgun record.",
    "properties": {
        "message": {"type": "string"},
        "errors": {
            "description": "Field errors ({field: [messages]}), or the list of a CSV sheet's or a Shotgun batch's errors.",
            "oneOf": [{"type": "object", "additionalProperties": True}, {"type": "array", "items": {}}],
        },
        "login": {"type": "boolean", "description": "401 only: false, the token is missing, expired or revoked."},
    },
    "required": ["message"],
    "additionalProperties": True,
}
ERROR_ANSWERS = {
    "400": "Bad input; nothing was changed.",
    "401": "No valid token (or refused login credentials).",
    "403": "The row is visible to this person but not changeable by them.",
    "404": "No such row, or not visible to this person.",
    "413": "The body or the upload is larger than the server accepts.",
    "503": "The database is unavailable: retry after the Retry-After header's seconds.",
}


def document_errors(result, generator, request, public):
    """POSTPROCESSING_HOOKS: every operation states the error answers every
    route can give, with their body, unless its view documents one itself.
    One place, so a new view cannot forget them."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_ANSWERS.items():
                responses.setdefault(status, {"description": description, "content": body})
            responses["503"].setdefault("headers", {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}})
    return result
