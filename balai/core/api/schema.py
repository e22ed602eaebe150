"""The OpenAPI description of our authentication (drf-spectacular extensions)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "balai.core.api.authentication.TokenAuthentication"
    name = "balaiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "balai_<prefix>_<secret>",
            "description": "A token of one Pemda, created on its Token API page; valid on that Pemda's addresses only.",
        }


class SessionAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "balai.core.api.authentication.CsrfSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
