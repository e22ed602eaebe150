"""The scopes an API token may carry, registered by core and by the modules.

A scope names what a token may reach through the API (`orgs:read`, `permits:write`) and the tenant
permissions it stands for. A user token acts with the intersection of its scopes and the person's
roles in the tenant; an integration client's token, which has no roles, acts with the permissions its
scopes grant and nothing else.

Modules register their scopes from `AppConfig.ready()`:

    from balai.core.api.scopes import Scope, register_scope
    register_scope(Scope("permits:read", _("Membaca permohonan izin"), grants=frozenset({"permits.view"})))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Scope:
    code: str
    label: Any
    # Tenant permissions an integration client holds through this scope (user tokens keep their roles').
    grants: frozenset[str] = frozenset()


_scopes: dict[str, Scope] = {}


def register_scope(scope: Scope) -> None:
    """Add a scope; registering the same scope twice is harmless, a different one under a taken code is refused."""
    if ":" not in scope.code:
        raise ValueError(f"Scope {scope.code!r} must read '<area>:<access>', such as 'orgs:read'.")
    existing = _scopes.get(scope.code)
    if existing is not None and existing != scope:
        raise ValueError(f"Scope {scope.code!r} is already registered.")
    _scopes[scope.code] = scope


def scopes() -> list[Scope]:
    return sorted(_scopes.values(), key=lambda s: s.code)


def scope(code: str) -> Scope:
    try:
        return _scopes[code]
    except KeyError:
        raise LookupError(f"No scope {code!r} is registered.") from None


def scope_choices() -> list[tuple[str, str]]:
    return [(s.code, f"{s.code} — {s.label}") for s in scopes()]


def granted_permissions(codes) -> frozenset[str]:
    """The tenant permissions an integration client holds through these scopes."""
    perms: set[str] = set()
    for code in codes:
        if code in _scopes:
            perms |= _scopes[code].grants
    return frozenset(perms)


CORE_SCOPES = (
    Scope("orgs:read", _("Membaca struktur organisasi dan data pegawai"), grants=frozenset({"orgs.view"})),
    Scope("orgs:write", _("Menambah dan mengubah data pegawai"), grants=frozenset({"orgs.manage"})),
)
