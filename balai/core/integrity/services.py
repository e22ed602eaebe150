"""Writes of the integrity engine: run the registered checks, and triage what they found.

Idempotence. A finding is identified by (tenant, check, fingerprint). A run that reports a fingerprint
already known updates that finding (`last_seen_at`, `last_run`, summary, severity) instead of adding
one. Whether the problem is "the same" as the one an inspector judged is decided by the evidence: a
digest of the evidence and the people concerned.

- Evidence unchanged: the status stays whatever the inspectorate decided (a dismissed finding stays
  dismissed, an explained one explained).
- Evidence changed: the new evidence replaces the old (the old one is kept on a system note), and a
  finding that was explained or dismissed is reopened, because the judgement was made on other
  facts. Open and escalated findings keep their status.
- A finding no longer reported is not closed by the engine: its `last_seen_at` stops moving, and the
  inspectorate decides.

Findings are written in the platform language (settings.LANGUAGE_CODE) whoever started the run, so
that a run from an English page does not change every evidence label and reopen everything.

Who may not see a finding: the people in its `concerns`, whatever their roles (see selectors).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from balai.core import registry as core_registry
from balai.core.accounts.selectors import user_has_perm
from balai.core.audit.services import audit_record, audit_refusal
from balai.core.tenants.models import Tenant
from balai.core.tenants.selectors import tenant_module_enabled

from . import registry
from .models import CheckCursor, CheckRun, Finding, FindingConcern, FindingNote
from .registry import MAX_FINGERPRINT, SEVERITIES, EvidenceLink, FindingDraft, IntegrityCheck

logger = logging.getLogger(__name__)

VIEW_PERM = "integrity.view"
MAX_ERROR_TEXT = 500
MAX_EVIDENCE_ITEMS = 50


# --- normalising what checks report -------------------------------------------------------------


@dataclass(frozen=True)
class _Subject:
    content_type: ContentType
    id: str
    repr: str


def _subject(value: Any) -> _Subject:
    if isinstance(value, models.Model):
        if value.pk is None:
            raise ValueError("A finding's subject must be a saved object.")
        return _Subject(ContentType.objects.get_for_model(value), str(value.pk), str(value)[:200])
    if isinstance(value, tuple | list) and len(value) == 2:
        kind, pk = value
        if isinstance(kind, str):
            app_label, _dot, model = kind.lower().partition(".")
            kind = ContentType.objects.get_by_natural_key(app_label, model)
        if not isinstance(kind, ContentType) or pk in (None, ""):
            raise ValueError("A finding's subject is a model instance or (content type, id).")
        model_class = kind.model_class()
        found = model_class._default_manager.filter(pk=pk).first() if model_class else None
        return _Subject(kind, str(pk), (str(found) if found is not None else f"{kind.name} #{pk}")[:200])
    raise ValueError("A finding's subject is a model instance or (content type, id).")


def _safe_url(url: str) -> str:
    """Only links into this site or to http(s) addresses become links; anything else (javascript:) none."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    if url.lower().startswith(("https://", "http://")):
        return url
    return ""


def _evidence_item(item: Any) -> dict[str, str]:
    if isinstance(item, EvidenceLink):
        label, url, obj = item.label, item.url, item.obj
    elif isinstance(item, tuple | list) and len(item) == 2:
        label, ref = item
        url, obj = (ref, None) if isinstance(ref, str) or ref is None else ("", ref)
    else:
        raise ValueError("Evidence is a list of EvidenceLink or (label, url or object) pairs.")
    entry = {"label": str(label)[:300], "url": _safe_url(url or ""), "type": "", "id": "", "repr": ""}
    if obj is not None:
        if not isinstance(obj, models.Model) or obj.pk is None:
            raise ValueError("An evidence object must be a saved model instance.")
        entry.update(type=obj._meta.label_lower, id=str(obj.pk), repr=str(obj)[:200])
        if not entry["url"] and hasattr(obj, "get_absolute_url"):
            try:
                entry["url"] = _safe_url(obj.get_absolute_url())
            except Exception:  # noqa: BLE001 - a link we cannot build is left out, the reference stays
                entry["url"] = ""
    return entry


def _concern_ids(values: Iterable[Any]) -> list[int]:
    return sorted({int(v.pk if isinstance(v, models.Model) else v) for v in values if v is not None})


def _check_users_exist(drafts: list[_Normalised]) -> None:
    ids = sorted({uid for d in drafts for uid in d.concerns})
    known: set[int] = set()
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        known |= set(get_user_model().objects.filter(pk__in=chunk).values_list("pk", flat=True))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValueError(f"Findings name unknown users as concerned: {unknown[:20]}.")


def _digest(evidence: list[dict], concerns: list[int]) -> str:
    raw = json.dumps({"evidence": evidence, "concerns": concerns}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class _Normalised:
    fingerprint: str
    subject: _Subject
    summary: str
    evidence: list[dict]
    concerns: list[int]
    severity: str
    digest: str


def _normalise(check: IntegrityCheck, draft: FindingDraft) -> _Normalised:
    if not isinstance(draft, FindingDraft):
        raise ValueError(f"Check {check.code} must yield FindingDraft, not {type(draft).__name__}.")
    fingerprint = str(draft.fingerprint or "").strip()
    if not fingerprint or len(fingerprint) > MAX_FINGERPRINT:
        raise ValueError(f"Check {check.code}: a fingerprint must be 1 to {MAX_FINGERPRINT} characters.")
    severity = draft.severity or check.severity
    if severity not in SEVERITIES:
        raise ValueError(f"Check {check.code}: severity {severity!r} is not one of {', '.join(SEVERITIES)}.")
    summary = str(draft.summary or "").strip()
    if not summary:
        raise ValueError(f"Check {check.code}: a finding needs a summary.")
    evidence = [_evidence_item(item) for item in list(draft.evidence)[:MAX_EVIDENCE_ITEMS]]
    concerns = _concern_ids(draft.concerns)
    return _Normalised(fingerprint, _subject(draft.subject), summary, evidence, concerns, severity, _digest(evidence, concerns))


# --- running checks -------------------------------------------------------------------------------


def _module_is_on(tenant: Tenant, module: str) -> bool:
    try:
        manifest = core_registry.module(module)
    except LookupError:
        return False
    return not manifest.switchable or tenant_module_enabled(tenant=tenant, module=module)


def _apply(*, tenant: Tenant, check: IntegrityCheck, drafts: list[_Normalised], run: CheckRun) -> tuple[int, int, int]:
    """Upsert one check's findings; all or nothing. Returns (new, seen again, reopened)."""
    _check_users_exist(drafts)
    by_fingerprint: dict[str, _Normalised] = {}
    for draft in drafts:
        if draft.fingerprint in by_fingerprint:
            raise ValueError(f"Check {check.code} reported fingerprint {draft.fingerprint!r} twice in one run.")
        by_fingerprint[draft.fingerprint] = draft
    now = timezone.now()
    new = seen = reopened = 0
    with transaction.atomic():
        fingerprints = list(by_fingerprint)
        existing: dict[str, Finding] = {}
        for start in range(0, len(fingerprints), 500):
            chunk = fingerprints[start : start + 500]
            for finding in Finding.objects.select_for_update().filter(
                tenant=tenant, check_code=check.code, fingerprint__in=chunk
            ):
                existing[finding.fingerprint] = finding

        created = [
            Finding(
                tenant=tenant, check_code=check.code, module=check.module, severity=d.severity,
                subject_type=d.subject.content_type, subject_id=d.subject.id, subject_repr=d.subject.repr,
                summary=d.summary, evidence=d.evidence, evidence_digest=d.digest, concerns=d.concerns,
                fingerprint=d.fingerprint, status=Finding.Status.OPEN, first_seen_at=now, last_seen_at=now,
                run=run, last_run=run,
            )
            for fp, d in by_fingerprint.items()
            if fp not in existing
        ]
        Finding.objects.bulk_create(created, batch_size=500)
        if any(f.pk is None for f in created):  # a backend that does not return ids from bulk inserts
            ids = dict(
                Finding.objects.filter(tenant=tenant, check_code=check.code, run=run).values_list("fingerprint", "pk")
            )
            for finding in created:
                finding.pk = ids[finding.fingerprint]
        new = len(created)
        concern_rows = [
            FindingConcern(tenant=tenant, finding=f, user_id=uid) for f in created for uid in f.concerns
        ]

        untouched: list[int] = []  # only seen again
        updated: list[Finding] = []
        notes: list[FindingNote] = []
        replaced_concerns: list[int] = []
        for fp, finding in existing.items():
            draft = by_fingerprint[fp]
            seen += 1
            wording = (finding.summary, finding.severity, finding.subject_repr)
            finding.last_seen_at, finding.last_run = now, run
            finding.summary, finding.severity = draft.summary, draft.severity
            finding.subject_repr = draft.subject.repr
            if finding.evidence_digest == draft.digest:
                if wording == (finding.summary, finding.severity, finding.subject_repr):
                    untouched.append(finding.pk)
                else:
                    updated.append(finding)
                continue
            before = finding.evidence
            finding.evidence, finding.evidence_digest = draft.evidence, draft.digest
            if finding.concerns != draft.concerns:
                replaced_concerns.append(finding.pk)
                concern_rows += [FindingConcern(tenant=tenant, finding=finding, user_id=uid) for uid in draft.concerns]
            finding.concerns = draft.concerns
            if finding.status in (Finding.Status.EXPLAINED, Finding.Status.DISMISSED):
                notes.append(
                    FindingNote(
                        tenant=tenant, finding=finding, author=None, at=now, evidence_before=before,
                        status_from=finding.status, status_to=Finding.Status.OPEN,
                        text=_(
                            "Bukti berubah sejak temuan ini ditelaah, sehingga temuan dibuka kembali. "
                            "Bukti sebelumnya disimpan pada catatan ini."
                        ),
                    )
                )
                finding.status, finding.status_changed_at = Finding.Status.OPEN, now
                reopened += 1
            updated.append(finding)

        for start in range(0, len(untouched), 500):
            Finding.objects.filter(pk__in=untouched[start : start + 500]).update(last_seen_at=now, last_run=run)
        Finding.objects.bulk_update(
            updated,
            ["last_seen_at", "last_run", "summary", "severity", "subject_repr", "evidence", "evidence_digest",
             "concerns", "status", "status_changed_at"],
            batch_size=500,
        )
        if replaced_concerns:
            FindingConcern.objects.filter(tenant=tenant, finding_id__in=replaced_concerns).delete()
        FindingConcern.objects.bulk_create(concern_rows, batch_size=1000)
        FindingNote.objects.bulk_create(notes, batch_size=500)
        CheckCursor.objects.update_or_create(
            tenant=tenant, check_code=check.code, defaults={"last_success_started_at": run.started_at}
        )
    return new, seen, reopened


def checks_run(
    *, tenant: Tenant, codes: Iterable[str] | None = None, trigger: str, actor=None
) -> CheckRun:
    """Run the registered checks (or those named by `codes`) for one tenant and record what they found.

    Guarantees: the run is recorded (and audited as `integrity.checks_run`) whatever the checks do; a
    check that raises is recorded in `run.errors` with its findings untouched, and the others still
    run; each check's findings are upserted all or nothing, idempotently by fingerprint (see the
    module docstring for what a re-run does to a triaged finding). Checks of modules the tenant has not
    switched on are skipped. Raises LookupError for an unknown check code, before anything is written.
    Not one transaction: each check commits on its own, so a long run does not hold the write lock.
    """
    if trigger not in CheckRun.Trigger.values:
        raise ValueError(f"Trigger must be one of {', '.join(CheckRun.Trigger.values)}.")
    selected = registry.checks() if codes is None else [registry.check(code) for code in dict.fromkeys(codes)]
    run = CheckRun.objects.create(
        tenant=tenant, started_at=timezone.now(), trigger=trigger,
        started_by=actor if actor is not None and actor.is_authenticated else None,
    )
    cursors = dict(CheckCursor.objects.filter(tenant=tenant).values_list("check_code", "last_success_started_at"))
    ran, skipped, errors = [], [], {}
    with translation.override(settings.LANGUAGE_CODE):
        for check in selected:
            if not _module_is_on(tenant, check.module):
                skipped.append(check.code)
                continue
            ran.append(check.code)
            # Inside a caller's transaction, a savepoint keeps a failing check's queries from breaking it.
            guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
            try:
                with guard:
                    drafts = [_normalise(check, d) for d in (check.run(tenant, cursors.get(check.code)) or [])]
                    new, seen, reopened = _apply(tenant=tenant, check=check, drafts=drafts, run=run)
            except Exception as exc:  # noqa: BLE001 - one broken check must not stop the others
                logger.exception("Integrity check %s failed for tenant %s", check.code, tenant.slug)
                errors[check.code] = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_TEXT]
                continue
            run.findings_new += new
            run.findings_seen += seen
            run.findings_reopened += reopened

    with transaction.atomic():
        run.checks, run.skipped, run.errors = ran, skipped, errors
        run.finished_at = timezone.now()
        run.save(
            update_fields=["checks", "skipped", "errors", "finished_at", "findings_new", "findings_seen", "findings_reopened"]
        )
        audit_record(
            tenant=tenant,
            actor=run.started_by,
            action="integrity.checks_run",
            obj=run,
            data={
                "trigger": trigger,
                "checks": ran,
                "skipped": skipped,
                "failed": sorted(errors),
                "new": run.findings_new,
                "seen": run.findings_seen,
                "reopened": run.findings_reopened,
            },
        )
    return run


def run_all_tenants(*, codes: Iterable[str] | None = None) -> list[CheckRun]:
    """The scheduled run: every active tenant, one after the other; one tenant's failure is logged and
    does not stop the rest."""
    codes = list(codes) if codes is not None else None
    runs = []
    for tenant in Tenant.objects.filter(is_active=True).order_by("code"):
        try:
            runs.append(checks_run(tenant=tenant, codes=codes, trigger=CheckRun.Trigger.SCHEDULED))
        except Exception:  # noqa: BLE001 - the next tenant still gets its run
            logger.exception("Integrity run failed for tenant %s", tenant.slug)
    return runs


# --- triage ---------------------------------------------------------------------------------------


def finding_concerns(finding: Finding, user) -> bool:
    return bool(user is not None and user.is_authenticated) and FindingConcern.objects.filter(
        tenant_id=finding.tenant_id, finding=finding, user=user
    ).exists()


def finding_triage(*, finding: Finding, status: str, note: str, actor) -> FindingNote:
    """Record an inspector's judgement of a finding: a note, and a status (the same one to only add a note).

    Guarantees: a note is required (ValidationError on `note`); the status change is one the finding
    allows from its current status (ValidationError on `status`); the actor holds `integrity.view` in
    the finding's tenant and is not among the people it concerns (PermissionDenied; a concerned person's
    attempt is recorded on the audit chain as `integrity.finding_triage_refused`); the note, the status
    and the audit entry `integrity.finding_triage` are written together or not at all. The audit entry
    keeps the statuses and only the SHA-256 of the note, which may name people.
    """
    text = (note or "").strip()
    errors = {}
    if status not in Finding.Status.values:
        errors["status"] = _("Pilih status hasil telaah: terbuka, dijelaskan, ditingkatkan atau diabaikan.")
    if not text:
        errors["note"] = _("Tulis catatan telaah: apa yang sudah diperiksa dan mengapa statusnya demikian.")
    if errors:
        raise ValidationError(errors)
    tenant = finding.tenant
    if finding_concerns(finding, actor):
        audit_refusal(
            tenant=tenant, actor=actor, action="integrity.finding_triage_refused", obj=finding,
            object_repr=str(finding), data={"reason": "actor_concerned"},
        )
        raise PermissionDenied(_("Anda tidak dapat menelaah temuan yang menyangkut diri Anda sendiri."))
    if not user_has_perm(user=actor, tenant=tenant, perm=VIEW_PERM):
        raise PermissionDenied(_("Hanya inspektorat Pemda ini yang dapat menelaah temuan."))

    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(tenant=tenant, pk=finding.pk)
        old = locked.status
        if status != old and status not in Finding.TRANSITIONS[old]:
            raise ValidationError(
                {
                    "status": _(
                        "Temuan berstatus %(old)s tidak dapat langsung menjadi %(new)s. Pilih salah satu status lain yang tersedia."
                    )
                    % {"old": Finding.Status(old).label, "new": Finding.Status(status).label}
                }
            )
        now = timezone.now()
        entry = FindingNote.objects.create(
            tenant=tenant, finding=locked, author=actor, text=text, status_from=old, status_to=status, at=now
        )
        if status != old:
            locked.status, locked.status_changed_at = status, now
            locked.save(update_fields=["status", "status_changed_at"])
        audit_record(
            tenant=tenant,
            actor=actor,
            action="integrity.finding_triage",
            obj=locked,
            object_repr=str(locked),
            data={
                "check": locked.check_code,
                "from": old,
                "to": status,
                "note_id": entry.pk,
                "note_sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
        )
    finding.status, finding.status_changed_at = locked.status, locked.status_changed_at
    return entry
