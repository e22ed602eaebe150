"""Rules a module's workflow keeps whatever a tenant's override says.

A tenant administrator may reshape a module's workflow (labels, SLA, steps, roles), but some of it is what
makes the module lawful: a permit is not issued before its fee is paid, the officer who verified a file does
not approve it. A module declares those rules when it registers its workflow
(`register_workflow(..., invariants=[...])`); `definition_override` refuses an override that breaks one,
naming what is wrong and what to do. The module still checks them where it acts (defence in depth): an
override written into the database by hand skips this check.

Rules are stated over what an action does, not its code, so that a new action cannot slip past them:

- `RequiredGuard(guard, into=(states), effects=(effects), why=)`: every action that enters one of the
  states, or runs one of the effects, carries the guard.
- `RequiredSeparation(into=(states), forbid=(actions), why=)`: every action a person performs that enters
  one of the states forbids whoever performed one of `forbid` on the file (those of them the definition
  has); actions only the system performs are exempt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .definitions import PSEUDO_ROLES


@dataclass(frozen=True)
class RequiredGuard:
    guard: str
    into: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    why: str = ""


@dataclass(frozen=True)
class RequiredSeparation:
    into: tuple[str, ...]
    forbid: tuple[str, ...]
    why: str = ""


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _actions(data: Mapping[str, Any]) -> list[dict]:
    raw = data.get("actions") if isinstance(data, Mapping) else None
    return [a for a in raw or [] if isinstance(a, dict) and isinstance(a.get("code"), str)]


def invariant_errors(invariants: Iterable, data: Mapping[str, Any]) -> list[str]:
    """Every invariant `data` breaks, as sentences saying what is wrong and what to do; [] when it keeps them."""
    errors: list[str] = []
    actions = _actions(data)
    codes = {a["code"] for a in actions}
    for rule in invariants:
        for action in actions:
            code = action["code"]
            if isinstance(rule, RequiredGuard):
                runs = [e for e in _names(action.get("effects", [])) if e in rule.effects]
                enters = action.get("to") in rule.into
                if (enters or runs) and rule.guard not in _names(action.get("guards", [])):
                    errors.append(
                        _(
                            'Aksi "%(action)s" %(what)s tanpa penjaga "%(guard)s" yang diwajibkan modul%(why)s. '
                            'Tambahkan "%(guard)s" ke guards aksi itu, atau kembalikan alur bawaan.'
                        )
                        % {
                            "action": code,
                            "what": (
                                _('menuju status "%(state)s"') % {"state": action.get("to")}
                                if enters
                                else _('menjalankan efek "%(effect)s"') % {"effect": runs[0]}
                            ),
                            "guard": rule.guard,
                            "why": f" ({rule.why})" if rule.why else "",
                        }
                    )
            elif isinstance(rule, RequiredSeparation):
                people = [r for r in _names(action.get("roles", [])) if r not in PSEUDO_ROLES]
                if action.get("to") not in rule.into or not people:
                    continue
                missing = [
                    other
                    for other in rule.forbid
                    if other in codes and other not in _names(action.get("forbid_same_actor_as", []))
                ]
                if missing:
                    errors.append(
                        _(
                            'Aksi "%(action)s" menuju status "%(state)s" harus melarang petugas yang sudah '
                            "melakukan %(others)s pada berkas yang sama (pemisahan tugas%(why)s). Tambahkan %(others)s "
                            "ke forbid_same_actor_as aksi itu, atau kembalikan alur bawaan."
                        )
                        % {
                            "action": code,
                            "state": action.get("to"),
                            "others": ", ".join(f'"{m}"' for m in missing),
                            "why": f": {rule.why}" if rule.why else "",
                        }
                    )
    return errors
