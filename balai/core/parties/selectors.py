"""Reads on the registry of legal persons. An entity is platform-level (no tenant): what scopes every read
is the viewer, who must currently represent it; for anyone else it does not exist (404, never 403)."""

from __future__ import annotations

from functools import cache

from django.db.models import QuerySet
from django.http import Http404

from balai.core.tenants import regions

from .models import LegalEntity, Representative


def entities_represented_by(*, user, kind: str | None = None) -> QuerySet[LegalEntity]:
    """The entities `user` currently represents, by name; only one kind when `kind` is given.

    A queryset (a ModelChoiceField can take it); each entity once, since a person holds at most one
    current representation of an entity.
    """
    if user is None or not user.is_authenticated:
        return LegalEntity.objects.none()
    entities = LegalEntity.objects.filter(representatives__user=user, representatives__until__isnull=True)
    if kind is not None:
        entities = entities.filter(kind=kind)
    return entities.order_by("name", "pk")


def entity_for_representative(*, user, pk: int) -> LegalEntity:
    """The entity `pk` if `user` currently represents it; Http404 otherwise (unknown or not theirs alike)."""
    entity = entities_represented_by(user=user).filter(pk=pk).first()
    if entity is None:
        raise Http404
    return entity


def is_representative(*, user, entity: LegalEntity) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Representative.objects.filter(entity=entity, user=user, until__isnull=True).exists()


def entity_representatives(*, entity: LegalEntity) -> list[Representative]:
    """Everyone who represents or represented the entity: current ones first by start, then ended ones, latest first."""
    rows = list(Representative.objects.filter(entity=entity).select_related("user", "added_by", "ended_by"))
    current = sorted((r for r in rows if r.until is None), key=lambda r: (r.since, r.pk))
    ended = sorted((r for r in rows if r.until is not None), key=lambda r: (r.until, r.pk), reverse=True)
    return current + ended


def representative_of_entity(*, entity: LegalEntity, pk: int) -> Representative:
    """One current representative of this entity; Http404 for another entity's or an ended one."""
    representative = (
        Representative.objects.filter(entity=entity, pk=pk, until__isnull=True).select_related("user").first()
    )
    if representative is None:
        raise Http404
    return representative


@cache
def regency_choices() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Every regency and city of the Kemendagri list, grouped by province, for a select."""
    provinces = {r.code: r.name for r in regions.all_regions(level=1)}
    grouped: dict[str, list[tuple[str, str]]] = {}
    for region in sorted(regions.all_regions(level=2), key=lambda r: r.code):
        grouped.setdefault(region.province_code, []).append((region.code, region.name))
    return tuple((provinces.get(code, code), tuple(options)) for code, options in sorted(grouped.items()))


def regency_from_nik(nik: str | None) -> str:
    """The regency/city code that a NIK's first four digits name (`3673...` → `36.73`), or ""."""
    if not nik or len(nik) < 4 or not nik[:4].isdigit():
        return ""
    code = f"{nik[:2]}.{nik[2:4]}"
    region = regions.get(code)
    return code if region is not None and region.level == 2 else ""
