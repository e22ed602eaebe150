"""Bearer tokens (`Authorization: Bearer balai_<prefix>_<secret>`), each valid on its own tenant only.

A personal token authenticates as its owner, who then acts with their roles in that tenant narrowed
to the token's scopes. An integration client's token authenticates as an `ApiClient`, which holds no
roles: it acts with what its scopes grant.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header

from .errors import TokenExpired, TokenInvalid, TokenWrongTenant
from .models import ApiToken
from .selectors import token_from_header
from .services import token_touch


class ApiClient(AnonymousUser):
    """The principal of an integration client's token: authenticated, but no person and no roles."""

    is_active = True

    def __init__(self, token: ApiToken):
        self.token = token
        self.full_name = f"{token.client_name} (klien API)"
        self.email = ""

    @property
    def is_anonymous(self):
        return False

    @property
    def is_authenticated(self):
        return True

    def __str__(self) -> str:
        return self.full_name

    def __eq__(self, other):
        return isinstance(other, ApiClient) and other.token.pk == self.token.pk

    def __hash__(self):
        return hash(("api-client", self.token.pk))


class TokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise TokenInvalid()
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise TokenInvalid() from None
        token = token_from_header(raw)
        if token is None:
            raise TokenInvalid()
        if not token.is_usable() or not token.tenant.is_active:
            raise TokenExpired()
        if token.kind == ApiToken.Kind.USER and not token.user.is_active:
            raise TokenExpired()
        tenant = getattr(request, "tenant", None)
        if tenant is not None and tenant.pk != token.tenant_id:
            # Another Pemda's address: refused before anything there is looked up, as for an outsider.
            raise TokenWrongTenant()
        token_touch(token=token)
        principal = token.user if token.kind == ApiToken.Kind.USER else ApiClient(token)
        return principal, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class CsrfSessionAuthentication(SessionAuthentication):
    """The browser session (for the docs page and for the pages' own scripts), with CSRF enforced."""
