"""The registry of red-flag checks. Modules register theirs from `AppConfig.ready()`.

A module declares a check once, with the code that fingerprints each problem it finds:

    from balai.core.integrity.registry import EvidenceLink, FindingDraft, IntegrityCheck, register_check

    def out_of_order_approvals(tenant, since):
        for later, earlier in _pairs(tenant, since):
            yield FindingDraft(
                subject=later,
                summary=f"Berkas {later.number} disetujui sebelum {earlier.number}.",
                evidence=[("Berkas yang disetujui lebih dulu", later), ("Berkas yang menunggu", earlier),
                          ("Riwayat berkas", reverse("permits:detail", kwargs={...}))],
                concerns=[later.approved_by_id],
                fingerprint=f"{later.pk}:{earlier.pk}",
            )

    register_check(IntegrityCheck(code="permits.out_of_order_approval", module="permits",
                                  title=_("Berkas disetujui tidak urut"), description=_("..."),
                                  severity="high", run=out_of_order_approvals))

`run(tenant, since)` returns an iterable of `FindingDraft`. `since` is when the last error-free run of
this check for this tenant started (None the first time): a check may look only at what changed since
then, or scan everything; either way the fingerprint makes re-runs idempotent (see services).
A check runs only for tenants that have its module switched on ("core" checks run everywhere).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SEVERITIES = ("low", "medium", "high")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
MAX_FINGERPRINT = 200


@dataclass(frozen=True)
class EvidenceLink:
    """One piece of evidence: a label and, when there is one, where to look.

    `url` must be a path on this site (`/kota-serang/...`) or an http(s) address; `obj` is a model
    instance (its type, id and text are kept, and its `get_absolute_url()` when it has one).
    """

    label: str
    url: str = ""
    obj: Any = None


@dataclass(frozen=True)
class FindingDraft:
    """What a check reports about one problem.

    - `subject`: the object the finding is about: a model instance, or `(content_type, id)` where
      content_type is a `ContentType` or an "app_label.model" label.
    - `summary`: one or two sentences for the inspector, in Indonesian.
    - `evidence`: a list of `EvidenceLink`, or of `(label, url)` / `(label, model instance)` /
      `(label, None)` pairs.
    - `concerns`: the user ids (or users) whose conduct the finding is about. They never see it.
    - `fingerprint`: a stable key of the problem within its check (not the whole tenant): the same
      problem found again must give the same fingerprint, a different problem a different one.
    - `severity`: leave None for the check's own severity; set it to grade one finding differently.
    """

    subject: Any
    summary: str
    fingerprint: str
    evidence: list = field(default_factory=list)
    concerns: list = field(default_factory=list)
    severity: str | None = None


@dataclass(frozen=True)
class IntegrityCheck:
    code: str
    module: str
    title: Any
    description: Any
    severity: str
    run: Callable[[Any, datetime | None], Iterable[FindingDraft]] = field(compare=True)

    def __post_init__(self) -> None:
        if not CODE_RE.match(self.code) or len(self.code) > 80:
            raise ValueError(f"Check code {self.code!r} must look like 'module.check_name'.")
        if not self.code.startswith(f"{self.module}."):
            raise ValueError(f"Check {self.code!r} must be namespaced by its module {self.module!r}.")
        if self.severity not in SEVERITIES:
            raise ValueError(f"Check {self.code!r}: severity must be one of {', '.join(SEVERITIES)}.")
        if not callable(self.run):
            raise ValueError(f"Check {self.code!r}: run must be callable as run(tenant, since).")


_checks: dict[str, IntegrityCheck] = {}


def register_check(check: IntegrityCheck) -> IntegrityCheck:
    """Register a check; registering the very same check again is harmless, a different one is refused."""
    existing = _checks.get(check.code)
    if existing is not None and existing != check:
        raise ValueError(f"Integrity check {check.code!r} is already registered.")
    _checks[check.code] = check
    return check


def unregister_check(code: str) -> None:
    """For tests that register a check of their own."""
    _checks.pop(code, None)


def checks(*, module: str | None = None) -> list[IntegrityCheck]:
    found = sorted(_checks.values(), key=lambda c: c.code)
    return [c for c in found if module is None or c.module == module]


def check(code: str) -> IntegrityCheck:
    try:
        return _checks[code]
    except KeyError:
        raise LookupError(f"No integrity check {code!r} is registered.") from None


def check_modules() -> list[str]:
    return sorted({c.module for c in _checks.values()})
