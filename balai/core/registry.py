"""The explicit registry through which modules plug into the core.

Each module (and each core app that brings roles) registers a `ModuleManifest` from its
`AppConfig.ready()`: its roles with their permissions, and its typed tenant settings with defaults.
The core reads only this registry; it never imports a module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    """A role a person can hold in one tenant. `officer` roles require two-factor authentication."""

    code: str
    label: Any
    permissions: frozenset[str] = frozenset()
    officer: bool = True
    description: Any = ""


@dataclass(frozen=True)
class Setting:
    """One typed tenant setting of a module, with its platform default."""

    name: str
    label: Any
    type: type
    default: Any
    help_text: Any = ""
    min_value: int | None = None
    max_value: int | None = None
    choices: tuple[tuple[str, Any], ...] = ()

    def clean(self, raw: Any) -> Any:
        if self.type is bool:
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.lower() in {"1", "true", "on", "ya", "yes"}:
                return True
            if raw in (None, "", 0, "0") or (isinstance(raw, str) and raw.lower() in {"false", "off", "tidak", "no"}):
                return False
            raise ValidationError(_("Pilih ya atau tidak."), code="invalid")
        if self.type is int:
            try:
                value = int(str(raw).strip())
            except (TypeError, ValueError):
                raise ValidationError(_("Masukkan bilangan bulat, misalnya 10."), code="invalid") from None
            if self.min_value is not None and value < self.min_value:
                raise ValidationError(
                    _("Nilai paling kecil adalah %(min)s.") % {"min": self.min_value}, code="min_value"
                )
            if self.max_value is not None and value > self.max_value:
                raise ValidationError(
                    _("Nilai paling besar adalah %(max)s.") % {"max": self.max_value}, code="max_value"
                )
            return value
        value = "" if raw is None else str(raw).strip()
        if self.choices and value not in {code for code, _label in self.choices}:
            raise ValidationError(_("Pilih salah satu pilihan yang tersedia."), code="invalid_choice")
        return value


@dataclass(frozen=True)
class ModuleManifest:
    code: str
    name: Any
    description: Any = ""
    roles: tuple[Role, ...] = ()
    settings: tuple[Setting, ...] = ()
    # Core manifests are always on; only service modules are switched per tenant.
    switchable: bool = True
    # Named URL of the module's public entry page for a tenant, when it has one.
    entry_url_name: str | None = None
    # Named URL of the module's back office, offered to those holding one of its roles.
    office_url_name: str | None = None
    # Named URL of the module's settings for the tenant administrator (its catalogue, ...).
    admin_url_name: str | None = None
    demo_loader: Callable[..., None] | None = field(default=None, compare=False)

    def default_settings(self) -> dict[str, Any]:
        return {s.name: s.default for s in self.settings}

    def clean_settings(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Validate `raw` against the declared settings; unknown keys are refused, missing ones defaulted."""
        known = {s.name: s for s in self.settings}
        errors: dict[str, list[ValidationError]] = {}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            errors["__all__"] = [
                ValidationError(_("Pengaturan tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)})
            ]
        cleaned = self.default_settings()
        for name, spec in known.items():
            if name in raw:
                try:
                    cleaned[name] = spec.clean(raw[name])
                except ValidationError as exc:
                    errors[name] = [exc]
        if errors:
            raise ValidationError(errors)
        return cleaned


_modules: dict[str, ModuleManifest] = {}


def register_module(manifest: ModuleManifest) -> None:
    existing = _modules.get(manifest.code)
    if existing is not None and existing != manifest:
        raise ValueError(f"Module {manifest.code!r} is already registered.")
    for role in manifest.roles:
        if not role.code.startswith(f"{manifest.code}."):
            raise ValueError(f"Role {role.code!r} must be namespaced by its module {manifest.code!r}.")
    _modules[manifest.code] = manifest


def modules(*, switchable: bool | None = None) -> list[ModuleManifest]:
    found = list(_modules.values())
    if switchable is not None:
        found = [m for m in found if m.switchable == switchable]
    return found


def module(code: str) -> ModuleManifest:
    try:
        return _modules[code]
    except KeyError:
        raise LookupError(f"No module {code!r} is registered.") from None


def roles() -> dict[str, Role]:
    return {role.code: role for m in _modules.values() for role in m.roles}


def role(code: str) -> Role:
    try:
        return roles()[code]
    except KeyError:
        raise LookupError(f"No role {code!r} is registered.") from None


def permissions_of(role_codes: Iterable[str]) -> frozenset[str]:
    known = roles()
    perms: set[str] = set()
    for code in role_codes:
        if code in known:
            perms |= known[code].permissions
    return frozenset(perms)
