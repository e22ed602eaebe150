"""Workflow definitions as data: their format, the validator, and the registry modules ship defaults to.

A definition is a JSON-able dict, the same whether a module ships it or a tenant administrator uploads
it as an override::

    {
      "code": "permits.application",                   # dotted: the module, then the case
      "label": {"id": "Permohonan izin", "en": "Permit application"},
      "sla_days": 5,                                   # the file's SLA in working days (optional;
                                                       #   a module may set it per instance)
      "states": [
        {"code": "draft", "label": "Draf", "start": true, "clock": "stopped"},
        {"code": "verification", "label": "Verifikasi", "sla_days": 2, "assign": "balanced"},
        {"code": "returned", "label": "Dikembalikan", "clock": "paused", "sla_days": 10},
        {"code": "issued", "label": "Terbit", "terminal": true}
      ],
      "actions": [
        {"code": "submit", "label": "Ajukan", "from": ["draft", "returned"], "to": "verification",
         "roles": ["owner"], "requires": ["documents"]},
        {"code": "return", "label": "Kembalikan untuk diperbaiki", "from": ["verification"],
         "to": "returned", "roles": ["permits.verifier"], "requires": ["comment"]},
        {"code": "issue", "label": "Terbitkan", "from": ["verification"], "to": "issued",
         "roles": ["permits.head"], "forbid_same_actor_as": ["submit"], "guards": ["permits.bill_paid"]}
      ],
      "escalations": [
        {"state": "verification", "after_days": 0, "do": "notify", "notify_roles": ["permits.head"]}
      ]
    }

States
    ``code`` (a-z, 0-9, _), ``label`` (text, or {"id": ..., "en": ...}), ``start`` (exactly one),
    ``terminal`` (at least one; no action may leave it), ``sla_days`` (working days allowed in this
    step, counted from entering it, whatever the clock), ``clock`` (the file's SLA clock while here:
    "running"; "paused", the file is with the applicant and the pause is shown; "stopped", before the
    file counts or after it is decided; default "running", "stopped" for start and terminal states),
    ``assign`` (who holds the file on entering: "clear" (default), "keep" (the same assignee),
    "previous" (whoever last acted from this state, else balanced), "balanced" (the role holder with
    the fewest open files)).
Actions
    ``code``, ``label``, ``from`` (states), ``to`` (a state), ``roles`` (role codes of the registry, or
    the pseudo-roles "owner", the applicant of the file, and "system", the platform itself:
    escalations and payment callbacks), ``requires`` (any of "comment", "documents", "reason_code"),
    ``assignee_only`` (only the assigned officer; an unassigned file is refused), ``forbid_same_actor_as``
    (action codes: whoever performed one of them on this file may not perform this one: segregation of
    duties), ``guards`` and ``effects`` (names a module registered with `register_guard` /
    `register_effect`), ``fifo`` (acting on a file while an older one of the same queue waits in the same
    state needs a reason code), ``notify`` (whom to tell: "owner", "assignee" and role codes; default
    ["owner", "assignee"]), ``style`` ("primary", "secondary", "danger": how the button looks).
    Whoever acts through a real role must be the assignee when the file is assigned.
Escalations
    ``state``, ``after_days`` (working days past the due date; 0 fires on the first working day after
    it), ``basis`` (which due date: "step" (default), the file's current due date, the earlier of the
    step's SLA and the file's; "file", the file's own SLA only, counted on its clock, whatever the step's:
    a deadline set by regulation, such as fiktif positif), ``do``: "notify" (``notify_roles`` and the
    assignee; the pseudo-role "unit_head" is the head of the file's unit in the organisation structure,
    else of the nearest unit above it that has one, else the tenant's administrators), "reassign" (to
    another holder of the state's roles, fewest open files first) or "auto_action" (``action``, which
    must leave that state and allow the "system" pseudo-role, e.g. fiktif positif). Each fires once per
    visit of the state.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
DEFINITION_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

OWNER = "owner"
SYSTEM = "system"
PSEUDO_ROLES = frozenset({OWNER, SYSTEM})

RUNNING, PAUSED, STOPPED = "running", "paused", "stopped"
CLOCKS = (RUNNING, PAUSED, STOPPED)
ASSIGN_MODES = ("clear", "keep", "previous", "balanced")
REQUIREMENTS = ("comment", "documents", "reason_code")
ESCALATION_KINDS = ("notify", "reassign", "auto_action")
ESCALATION_BASES = ("step", "file")
UNIT_HEAD = "unit_head"
STYLES = ("primary", "secondary", "danger")
NOTIFY_PSEUDO = frozenset({"owner", "assignee"})

TOP_KEYS = {"code", "label", "description", "sla_days", "states", "actions", "escalations"}
STATE_KEYS = {"code", "label", "description", "start", "terminal", "sla_days", "clock", "assign"}
ACTION_KEYS = {
    "code", "label", "from", "to", "roles", "requires", "assignee_only", "forbid_same_actor_as",
    "guards", "effects", "fifo", "notify", "style",
}
ESCALATION_KEYS = {"code", "state", "after_days", "basis", "do", "action", "notify_roles"}

Label = str | Mapping[str, str]


def label_text(label: Label | None, language: str | None = None) -> str:
    """The label in the active language (Indonesian when there is no translation)."""
    if label is None:
        return ""
    if isinstance(label, str):
        return label
    lang = (language or get_language() or "id")[:2]
    return label.get(lang) or label.get("id") or next(iter(label.values()), "")


@dataclass(frozen=True)
class State:
    code: str
    label: Label
    start: bool = False
    terminal: bool = False
    sla_days: int | None = None
    clock: str = RUNNING
    assign: str = "clear"
    description: Label = ""

    @property
    def name(self) -> str:
        return label_text(self.label) or self.code


@dataclass(frozen=True)
class Action:
    code: str
    label: Label
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    requires: frozenset[str] = frozenset()
    assignee_only: bool = False
    forbid_same_actor_as: tuple[str, ...] = ()
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    fifo: bool = False
    notify: tuple[str, ...] = ("owner", "assignee")
    style: str = "primary"

    @property
    def name(self) -> str:
        return label_text(self.label) or self.code

    @property
    def real_roles(self) -> tuple[str, ...]:
        return tuple(r for r in self.roles if r not in PSEUDO_ROLES)


@dataclass(frozen=True)
class Escalation:
    code: str
    state: str
    do: str
    after_days: int = 0
    action: str | None = None
    notify_roles: tuple[str, ...] = ()
    basis: str = "step"


@dataclass(frozen=True)
class Definition:
    """A parsed, valid definition. Build it with `parse`, which validates first."""

    code: str
    label: Label
    sla_days: int | None
    states: dict[str, State]
    actions: dict[str, Action]
    escalations: tuple[Escalation, ...] = ()
    description: Label = ""

    @property
    def name(self) -> str:
        return label_text(self.label) or self.code

    @property
    def start(self) -> State:
        return next(s for s in self.states.values() if s.start)

    def actions_from(self, state: str) -> list[Action]:
        return [a for a in self.actions.values() if state in a.sources]

    def state_roles(self, state: str) -> set[str]:
        """Real roles that can act on a file in `state`."""
        return {r for a in self.actions_from(state) for r in a.real_roles}

    def escalations_for(self, state: str) -> list[Escalation]:
        return [e for e in self.escalations if e.state == state]


class DefinitionInvalid(ValueError):
    """A definition that cannot be loaded; `errors` lists every problem in plain Indonesian."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


# --- the registry ------------------------------------------------------------------------------------

Guard = Callable[..., str | None]
Effect = Callable[..., None]


@dataclass(frozen=True)
class Registered:
    data: dict[str, Any]
    digest: str
    subject_url: Callable[[Any], str] | None = field(default=None, compare=False)
    on_change: Callable[..., None] | None = field(default=None, compare=False)
    may_view: Callable[..., bool] | None = field(default=None, compare=False)
    invariants: tuple = field(default=(), compare=False)


_workflows: dict[str, Registered] = {}
_guards: dict[str, Guard] = {}
_effects: dict[str, Effect] = {}


def digest_of(data: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def register_workflow(
    data: Mapping[str, Any],
    *,
    subject_url: Callable[[Any], str] | None = None,
    on_change: Callable[..., None] | None = None,
    may_view: Callable[..., bool] | None = None,
    invariants: Iterable = (),
) -> None:
    """Register a module's default definition (call it from the module's `AppConfig.ready`).

    The shape is checked at once (ValueError naming every problem); roles, guards and effects, which
    other apps may register later, are checked by the system check `workflow.E001` and whenever a
    tenant's copy is made. `subject_url(instance)` gives the module's page for a file, for inbox links.
    `on_change(instance=)` runs inside the transaction after every transition of one of its files, the
    effects and the audit entry written (a module keeps what it derives from the history up to date);
    it may raise to undo the transition.
    `may_view(tenant=, user=) -> bool` decides who may open its files on the engine's own pages (a file's
    page and the shared inbox); without it, every officer of the tenant may. It is asked per workflow
    and person, not per file, so that the inbox leaves a whole workflow out in its one query; a module
    that needs finer rules keeps them on its own pages. The engine still lets whoever may hand a file
    out (`services.may_assign`) see what assigning needs, never its history or notes.
    `invariants` (`invariants.RequiredGuard`, `invariants.RequiredSeparation`) are rules no tenant's
    override may break (checked when one is saved); the default itself must keep them (ValueError).
    Registering the same definition twice is harmless; a different one under the same code is refused.
    """
    data = json.loads(json.dumps(data))
    errors = definition_validate(data, check_registry=False)
    if errors:
        raise DefinitionInvalid(errors)
    from .invariants import invariant_errors

    invariants = tuple(invariants)
    broken = invariant_errors(invariants, data)
    if broken:
        raise ValueError(f"Workflow {data['code']!r} breaks its own invariants: {'; '.join(broken)}")
    entry = Registered(
        data=data, digest=digest_of(data), subject_url=subject_url, on_change=on_change, may_view=may_view,
        invariants=invariants,
    )
    existing = _workflows.get(data["code"])
    if existing is not None and existing.digest != entry.digest:
        raise ValueError(f"Workflow {data['code']!r} is already registered with another definition.")
    _workflows[data["code"]] = entry


def registered_workflows() -> dict[str, Registered]:
    return dict(_workflows)


def registered_workflow(code: str) -> Registered:
    try:
        return _workflows[code]
    except KeyError:
        raise LookupError(f"No workflow {code!r} is registered.") from None


def register_guard(name: str, guard: Guard) -> None:
    """A named check a definition's action can require: `guard(instance=, action=, actor=, data=)` returns
    None to allow or a message (what is missing and what to do) to refuse. Runs under the row lock."""
    if _guards.get(name, guard) is not guard:
        raise ValueError(f"Guard {name!r} is already registered.")
    _guards[name] = guard


def register_effect(name: str, effect: Effect) -> None:
    """A named step run inside the transition's transaction after the state changed:
    `effect(instance=, transition=, actor=, data=)`. It may raise to undo the whole transition."""
    if _effects.get(name, effect) is not effect:
        raise ValueError(f"Effect {name!r} is already registered.")
    _effects[name] = effect


def guard(name: str) -> Guard:
    return _guards[name]


def effect(name: str) -> Effect:
    return _effects[name]


# --- validation --------------------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_label(value: Any, where: str, errors: list[str], *, required: bool = True) -> None:
    if value is None or value == "":
        if required:
            errors.append(_("%(where)s: label kosong. Tulis nama yang dibaca orang, misalnya \"Verifikasi\".") % {"where": where})
        return
    if isinstance(value, str):
        return
    if isinstance(value, dict) and isinstance(value.get("id"), str) and value["id"].strip() and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return
    errors.append(
        _("%(where)s: label harus teks, atau objek {\"id\": \"...\", \"en\": \"...\"} dengan teks bahasa Indonesia.")
        % {"where": where}
    )


def _check_keys(item: dict, allowed: set[str], where: str, errors: list[str]) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        errors.append(
            _("%(where)s: kunci tidak dikenal %(keys)s. Kunci yang boleh: %(allowed)s.")
            % {"where": where, "keys": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
        )


def _check_sla(value: Any, where: str, errors: list[str]) -> None:
    if value is not None and (not _is_int(value) or value < 0 or value > 3650):
        errors.append(
            _("%(where)s: sla_days harus bilangan bulat hari kerja dari 0 sampai 3650, atau null bila tanpa SLA.")
            % {"where": where}
        )


def _str_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def definition_validate(
    data: Any, *, check_registry: bool = True, expected_code: str | None = None
) -> list[str]:
    """Every problem of a definition, as sentences that say what is wrong and what to do; [] when valid.

    With `check_registry`, role codes must be registered roles (or "owner"/"system") and guards and
    effects must be registered. Refused: unknown keys, states or actions; duplicate codes; not exactly one
    start state; no terminal state; a terminal state with an outgoing action; a state unreachable from the
    start; a non-terminal state with no outgoing action or from which no terminal state can be reached;
    a malformed SLA; escalations that cannot work.
    """
    errors: list[str] = []
    if not isinstance(data, dict):
        return [_("Definisi harus berupa objek JSON ({ ... }) dengan kunci code, label, states dan actions.")]
    _check_keys(data, TOP_KEYS, _("Definisi"), errors)
    code = data.get("code")
    if not isinstance(code, str) or not DEFINITION_CODE_RE.match(code):
        errors.append(
            _("Kode definisi harus bertitik dan berhuruf kecil, diawali kode modul, misalnya \"permits.application\".")
        )
    elif expected_code and code != expected_code:
        errors.append(
            _("Kode definisi \"%(code)s\" tidak sama dengan alur yang diubah (\"%(expected)s\"). Jangan ubah kodenya.")
            % {"code": code, "expected": expected_code}
        )
    _check_label(data.get("label"), _("Definisi"), errors)
    _check_sla(data.get("sla_days"), _("Definisi"), errors)

    known_roles = None
    if check_registry:
        from balai.core import registry

        known_roles = set(registry.roles())

    # States.
    states: dict[str, dict] = {}
    raw_states = data.get("states")
    if not isinstance(raw_states, list) or not raw_states:
        errors.append(_("Daftar states kosong atau bukan daftar. Tulis setidaknya satu status awal dan satu status akhir."))
        raw_states = []
    for index, item in enumerate(raw_states, 1):
        if not isinstance(item, dict):
            errors.append(_("Status ke-%(n)s bukan objek JSON.") % {"n": index})
            continue
        scode = item.get("code")
        where = _("Status \"%(code)s\"") % {"code": scode} if isinstance(scode, str) else _("Status ke-%(n)s") % {"n": index}
        if not isinstance(scode, str) or not CODE_RE.match(scode):
            errors.append(
                _("%(where)s: kode status harus huruf kecil, angka dan garis bawah, diawali huruf (misalnya \"verification\").")
                % {"where": where}
            )
            continue
        if scode in states:
            errors.append(_("Kode status \"%(code)s\" dipakai dua kali. Setiap status harus berkode unik.") % {"code": scode})
            continue
        states[scode] = item
        _check_keys(item, STATE_KEYS, where, errors)
        _check_label(item.get("label"), where, errors)
        _check_sla(item.get("sla_days"), where, errors)
        for flag in ("start", "terminal"):
            if flag in item and not isinstance(item[flag], bool):
                errors.append(_("%(where)s: %(flag)s harus true atau false.") % {"where": where, "flag": flag})
        if item.get("start") and item.get("terminal"):
            errors.append(_("%(where)s tidak boleh sekaligus status awal dan status akhir.") % {"where": where})
        clock = item.get("clock")
        if clock is not None and clock not in CLOCKS:
            errors.append(
                _("%(where)s: clock harus salah satu dari %(choices)s.") % {"where": where, "choices": ", ".join(CLOCKS)}
            )
        if item.get("terminal") and clock == RUNNING:
            errors.append(
                _("%(where)s adalah status akhir, jadi jam SLA tidak boleh berjalan di sana; pakai clock \"stopped\".")
                % {"where": where}
            )
        assign = item.get("assign")
        if assign is not None and assign not in ASSIGN_MODES:
            errors.append(
                _("%(where)s: assign harus salah satu dari %(choices)s.")
                % {"where": where, "choices": ", ".join(ASSIGN_MODES)}
            )
    starts = [c for c, s in states.items() if s.get("start") is True]
    terminals = [c for c, s in states.items() if s.get("terminal") is True]
    if states and len(starts) != 1:
        errors.append(
            _("Harus ada tepat satu status awal (\"start\": true); sekarang ada %(n)s%(list)s.")
            % {"n": len(starts), "list": f" ({', '.join(starts)})" if starts else ""}
        )
    if states and not terminals:
        errors.append(_("Tidak ada status akhir (\"terminal\": true). Tandai status selesai, misalnya \"issued\" atau \"rejected\"."))

    # Actions.
    actions: dict[str, dict] = {}
    edges: dict[str, set[str]] = {c: set() for c in states}
    raw_actions = data.get("actions")
    if not isinstance(raw_actions, list) or not raw_actions:
        errors.append(_("Daftar actions kosong atau bukan daftar. Tulis aksi yang memindahkan berkas antarstatus."))
        raw_actions = []
    for index, item in enumerate(raw_actions, 1):
        if not isinstance(item, dict):
            errors.append(_("Aksi ke-%(n)s bukan objek JSON.") % {"n": index})
            continue
        acode = item.get("code")
        where = _("Aksi \"%(code)s\"") % {"code": acode} if isinstance(acode, str) else _("Aksi ke-%(n)s") % {"n": index}
        if not isinstance(acode, str) or not CODE_RE.match(acode):
            errors.append(
                _("%(where)s: kode aksi harus huruf kecil, angka dan garis bawah, diawali huruf (misalnya \"approve\").")
                % {"where": where}
            )
            continue
        if acode in actions:
            errors.append(
                _("Kode aksi \"%(code)s\" dipakai dua kali. Gabungkan status asalnya di \"from\" atau beri kode lain.")
                % {"code": acode}
            )
            continue
        actions[acode] = item
        _check_keys(item, ACTION_KEYS, where, errors)
        _check_label(item.get("label"), where, errors)
        sources = _str_list(item.get("from"))
        if not sources:
            errors.append(_("%(where)s: \"from\" harus berisi status asal (satu kode atau daftar kode).") % {"where": where})
            sources = []
        target = item.get("to")
        if not isinstance(target, str) or target not in states:
            errors.append(
                _("%(where)s: status tujuan \"%(state)s\" tidak ada di daftar status. Tambahkan status itu atau perbaiki kodenya.")
                % {"where": where, "state": target}
            )
            target = None
        for source in sources:
            if source not in states:
                errors.append(
                    _("%(where)s: status asal \"%(state)s\" tidak ada di daftar status. Tambahkan status itu atau perbaiki kodenya.")
                    % {"where": where, "state": source}
                )
            elif states[source].get("terminal") is True:
                errors.append(
                    _("Status akhir \"%(state)s\" tidak boleh punya aksi keluar (%(action)s). Hapus aksinya atau jangan tandai status itu terminal.")
                    % {"state": source, "action": acode}
                )
            elif target is not None:
                edges[source].add(target)
        roles = _str_list(item.get("roles"))
        if not roles:
            errors.append(
                _("%(where)s: \"roles\" harus berisi setidaknya satu peran yang boleh melakukannya.") % {"where": where}
            )
            roles = []
        for role in roles:
            if known_roles is not None and role not in PSEUDO_ROLES and role not in known_roles:
                errors.append(
                    _("%(where)s: peran \"%(role)s\" tidak dikenal. Pakai kode peran terdaftar (misalnya core.officer) atau \"owner\" untuk pemohon.")
                    % {"where": where, "role": role}
                )
        requires = _str_list(item.get("requires", []))
        if requires is None or any(r not in REQUIREMENTS for r in requires):
            errors.append(
                _("%(where)s: requires hanya boleh berisi %(choices)s.")
                % {"where": where, "choices": ", ".join(REQUIREMENTS)}
            )
        for flag in ("assignee_only", "fifo"):
            if flag in item and not isinstance(item[flag], bool):
                errors.append(_("%(where)s: %(flag)s harus true atau false.") % {"where": where, "flag": flag})
        if item.get("style") is not None and item.get("style") not in STYLES:
            errors.append(
                _("%(where)s: style harus salah satu dari %(choices)s.") % {"where": where, "choices": ", ".join(STYLES)}
            )
        for kind, table in (("guards", _guards), ("effects", _effects)):
            names = _str_list(item.get(kind, []))
            if names is None:
                errors.append(_("%(where)s: %(kind)s harus daftar nama.") % {"where": where, "kind": kind})
                continue
            if check_registry:
                for name in names:
                    if name not in table:
                        errors.append(
                            _("%(where)s: %(kind)s \"%(name)s\" tidak terdaftar oleh modul mana pun. Periksa ejaannya.")
                            % {"where": where, "kind": kind, "name": name}
                        )
        notify = _str_list(item.get("notify", []))
        if notify is None:
            errors.append(_("%(where)s: notify harus daftar penerima.") % {"where": where})
        elif known_roles is not None:
            for who in notify:
                if who not in NOTIFY_PSEUDO and who not in known_roles:
                    errors.append(
                        _("%(where)s: penerima notifikasi \"%(who)s\" tidak dikenal. Pakai \"owner\", \"assignee\" atau kode peran.")
                        % {"where": where, "who": who}
                    )
    for acode, item in actions.items():
        others = _str_list(item.get("forbid_same_actor_as", []))
        if others is None:
            errors.append(_("Aksi \"%(code)s\": forbid_same_actor_as harus daftar kode aksi.") % {"code": acode})
            continue
        for other in others:
            if other not in actions:
                errors.append(
                    _("Aksi \"%(code)s\": forbid_same_actor_as menyebut aksi \"%(other)s\" yang tidak ada.")
                    % {"code": acode, "other": other}
                )

    # Shape of the graph: reachable from the start, and a way out of every state.
    if len(starts) == 1 and terminals:
        reachable, todo = {starts[0]}, [starts[0]]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in reachable:
                    reachable.add(nxt)
                    todo.append(nxt)
        unreachable = [c for c in states if c not in reachable]
        for scode in unreachable:
            errors.append(
                _("Status \"%(state)s\" tidak dapat dicapai dari status awal \"%(start)s\". Tambahkan aksi menuju ke sana atau hapus statusnya.")
                % {"state": scode, "start": starts[0]}
            )
        reverse: dict[str, set[str]] = {c: set() for c in states}
        for source, targets in edges.items():
            for target in targets:
                reverse[target].add(source)
        finishing, todo = set(terminals), list(terminals)
        while todo:
            for prev in reverse.get(todo.pop(), ()):
                if prev not in finishing:
                    finishing.add(prev)
                    todo.append(prev)
        for scode, item in states.items():
            if item.get("terminal") is True:
                continue
            if not edges[scode]:
                errors.append(
                    _("Status \"%(state)s\" buntu: bukan status akhir tetapi tidak punya aksi keluar. Tambahkan aksi dari status itu atau tandai terminal.")
                    % {"state": scode}
                )
            elif scode not in finishing:
                errors.append(
                    _("Dari status \"%(state)s\" tidak ada jalan ke status akhir mana pun; berkas akan berputar tanpa selesai.")
                    % {"state": scode}
                )

    # Escalations.
    raw_escalations = data.get("escalations", [])
    if not isinstance(raw_escalations, list):
        errors.append(_("escalations harus berupa daftar."))
        raw_escalations = []
    seen_escalations: set[str] = set()
    for index, item in enumerate(raw_escalations, 1):
        where = _("Eskalasi ke-%(n)s") % {"n": index}
        if not isinstance(item, dict):
            errors.append(_("%(where)s bukan objek JSON.") % {"where": where})
            continue
        _check_keys(item, ESCALATION_KEYS, where, errors)
        state = item.get("state")
        if state not in states:
            errors.append(_("%(where)s: status \"%(state)s\" tidak ada di daftar status.") % {"where": where, "state": state})
            continue
        if states[state].get("terminal") is True:
            errors.append(_("%(where)s: status akhir \"%(state)s\" tidak punya tenggat untuk dieskalasi.") % {"where": where, "state": state})
        after = item.get("after_days", 0)
        if not _is_int(after) or after < 0:
            errors.append(_("%(where)s: after_days harus bilangan bulat hari kerja, 0 atau lebih.") % {"where": where})
        if item.get("basis", "step") not in ESCALATION_BASES:
            errors.append(
                _("%(where)s: basis harus \"step\" (tenggat langkah) atau \"file\" (SLA berkas).") % {"where": where}
            )
        do = item.get("do")
        ecode = item.get("code") or f"{state}.{do}.{after}"
        if not isinstance(ecode, str) or ecode in seen_escalations:
            errors.append(_("%(where)s: kode eskalasi \"%(code)s\" dipakai dua kali; beri kode lain.") % {"where": where, "code": ecode})
        seen_escalations.add(str(ecode))
        if do not in ESCALATION_KINDS:
            errors.append(
                _("%(where)s: do harus salah satu dari %(choices)s.")
                % {"where": where, "choices": ", ".join(ESCALATION_KINDS)}
            )
        elif do == "auto_action":
            action = actions.get(item.get("action"))
            if action is None or state not in (_str_list(action.get("from")) or []):
                errors.append(
                    _("%(where)s: aksi otomatis \"%(action)s\" harus berupa aksi yang keluar dari status \"%(state)s\".")
                    % {"where": where, "action": item.get("action"), "state": state}
                )
            elif SYSTEM not in (_str_list(action.get("roles")) or []):
                errors.append(
                    _("%(where)s: aksi \"%(action)s\" dijalankan sistem, jadi roles-nya harus memuat \"system\".")
                    % {"where": where, "action": item.get("action")}
                )
        elif do == "notify":
            roles = _str_list(item.get("notify_roles"))
            if not roles:
                errors.append(_("%(where)s: notify_roles harus berisi peran yang diberi tahu.") % {"where": where})
            elif known_roles is not None:
                for role in roles:
                    if role != UNIT_HEAD and role not in known_roles:
                        errors.append(
                            _("%(where)s: peran \"%(role)s\" tidak dikenal.") % {"where": where, "role": role}
                        )
        elif do == "reassign":
            has_roles = any(
                state in (_str_list(a.get("from")) or [])
                and [r for r in (_str_list(a.get("roles")) or []) if r not in PSEUDO_ROLES]
                for a in actions.values()
            )
            if not has_roles:
                errors.append(
                    _("%(where)s: tidak ada petugas yang dapat menerima berkas di status \"%(state)s\" (tidak ada aksi berperan petugas).")
                    % {"where": where, "state": state}
                )
    for scode, item in states.items():
        if item.get("assign") in ("balanced", "previous") and not any(
            scode in (_str_list(a.get("from")) or [])
            and [r for r in (_str_list(a.get("roles")) or []) if r not in PSEUDO_ROLES]
            for a in actions.values()
        ):
            errors.append(
                _("Status \"%(state)s\": assign \"%(mode)s\" butuh aksi berperan petugas dari status itu.")
                % {"state": scode, "mode": item.get("assign")}
            )
    return errors


def parse(data: Mapping[str, Any], *, check_registry: bool = False) -> Definition:
    """A `Definition` from valid data (DefinitionInvalid otherwise)."""
    errors = definition_validate(data, check_registry=check_registry)
    if errors:
        raise DefinitionInvalid(errors)
    states = {}
    for item in data["states"]:
        terminal, start = bool(item.get("terminal")), bool(item.get("start"))
        states[item["code"]] = State(
            code=item["code"],
            label=item["label"],
            start=start,
            terminal=terminal,
            sla_days=item.get("sla_days"),
            clock=item.get("clock") or (STOPPED if terminal or start else RUNNING),
            assign=item.get("assign") or "clear",
            description=item.get("description", ""),
        )
    actions = {}
    for item in data["actions"]:
        actions[item["code"]] = Action(
            code=item["code"],
            label=item["label"],
            sources=tuple(_str_list(item["from"]) or ()),
            target=item["to"],
            roles=tuple(_str_list(item["roles"]) or ()),
            requires=frozenset(_str_list(item.get("requires", [])) or ()),
            assignee_only=bool(item.get("assignee_only", False)),
            forbid_same_actor_as=tuple(_str_list(item.get("forbid_same_actor_as", [])) or ()),
            guards=tuple(_str_list(item.get("guards", [])) or ()),
            effects=tuple(_str_list(item.get("effects", [])) or ()),
            fifo=bool(item.get("fifo", False)),
            notify=tuple(_str_list(item["notify"]) or ()) if "notify" in item else ("owner", "assignee"),
            style=item.get("style") or "primary",
        )
    escalations = tuple(
        Escalation(
            code=item.get("code") or f"{item['state']}.{item['do']}.{item.get('after_days', 0)}",
            state=item["state"],
            do=item["do"],
            after_days=item.get("after_days", 0),
            action=item.get("action"),
            notify_roles=tuple(_str_list(item.get("notify_roles", [])) or ()),
            basis=item.get("basis", "step"),
        )
        for item in data.get("escalations", [])
    )
    return Definition(
        code=data["code"],
        label=data["label"],
        sla_days=data.get("sla_days"),
        states=states,
        actions=actions,
        escalations=escalations,
        description=data.get("description", ""),
    )


def roles_in(definition: Definition) -> Iterable[str]:
    return sorted({r for a in definition.actions.values() for r in a.real_roles})
