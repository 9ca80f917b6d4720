"""OpenAPI generation: unique operation ids for the two URL dialects, aliases
tagged, and the bearer scheme described."""

import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from zou_site.routers import is_alias_path

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


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "zou_site.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


class RefreshTokenScheme(BearerTokenScheme):
    target_class = "zou_site.authentication.RefreshTokenAuthentication"
    name = "refreshTokenAuth"

    def get_security_definition(self, auto_schema):
        return {**super().get_security_definition(auto_schema), "description": "The refresh token from auth/login."}
