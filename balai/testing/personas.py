"""The people every test meets, across two tenants, defined once.

Kota Serang (`serang`) and Kota Cilegon (`cilegon`) each have an administrator, an officer, an
inspector and a citizen; `gilang` is a registered person with no role anywhere. The isolation
harness and the browser journeys use these same names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from balai.core.accounts.models import Membership, User
from balai.core.tenants.models import Tenant
from balai.core.tenants.services import tenant_create

PASSWORD = "rahasia-Balai-2026"

# persona kind -> the roles it holds in its own tenant
PERSONA_ROLES: dict[str, list[str]] = {
    "admin": ["core.tenant_admin", "core.officer"],
    "officer": ["core.officer"],
    "inspector": ["core.inspector"],
    "citizen": ["core.citizen"],
}
# Persona kinds the harness checks; "anonymous" is not logged in, "outsider" has no role in the tenant.
PERSONA_KINDS = ["anonymous", "outsider", "citizen", "officer", "inspector", "admin"]

PEOPLE = {
    "serang": {"admin": "Ayu Lestari", "officer": "Budi Santoso", "inspector": "Sari Wulandari", "citizen": "Citra Dewi"},
    "cilegon": {"admin": "Dewi Anggraini", "officer": "Eko Prasetyo", "inspector": "Rudi Hartono", "citizen": "Fajar Nugroho"},
}
TENANT_CODES = {"serang": "36.73", "cilegon": "36.72"}


@dataclass
class TenantWorld:
    key: str
    tenant: Tenant
    people: dict[str, User]
    # Objects that apps create for the harness (see each app's tests/routes.py `build`).
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    serang: TenantWorld
    cilegon: TenantWorld
    outsider: User

    def tenant(self, key: str) -> TenantWorld:
        return getattr(self, key)

    def person(self, tenant_key: str, kind: str) -> User | None:
        if kind == "anonymous":
            return None
        if kind == "outsider":
            return self.outsider
        return self.tenant(tenant_key).people[kind]


def email_for(name: str) -> str:
    return name.lower().replace(" ", ".") + "@contoh.id"


def make_person(full_name: str, *, tenant: Tenant | None = None, roles: list[str] | None = None) -> User:
    user = User.objects.create_user(email_for(full_name), PASSWORD, full_name=full_name, email_verified_at=timezone.now())
    if tenant is not None:
        Membership.objects.create(user=user, tenant=tenant, roles=roles or [])
    return user


def build_world() -> World:
    worlds = {}
    for key, code in TENANT_CODES.items():
        tenant = Tenant.objects.filter(code=code).first() or tenant_create(code=code)
        people = {kind: make_person(name, tenant=tenant, roles=PERSONA_ROLES[kind]) for kind, name in PEOPLE[key].items()}
        worlds[key] = TenantWorld(key=key, tenant=tenant, people=people)
    return World(serang=worlds["serang"], cilegon=worlds["cilegon"], outsider=make_person("Gilang Ramadhan"))
