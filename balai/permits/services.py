"""Writes of Perizinan Online: the catalogue and the life of an application.

Every service is keyword-only, takes `actor=`, runs in one transaction and leaves an audit trail (the
workflow engine audits every transition; the module audits its own data). A status changes only
through `balai.core.workflow.services.transition` (see balai/permits/workflow.py for the states).

Refusals: `ValidationError` (bad input: a dict keyed by field/parameter where it applies) or
`balai.core.workflow.services.TransitionDenied` (the workflow refused: wrong state, role, segregation of
duties, unpaid bill...), both with a message saying what to do. `PermissionDenied` when the actor may
not touch the file at all.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.core.accounts.models import Membership, User
from balai.core.accounts.selectors import user_has_perm
from balai.core.audit.services import audit_record, audit_refusal_soon
from balai.core.files.kinds import MB, UploadPolicy
from balai.core.files.services import file_store
from balai.core.parties import identifiers
from balai.core.parties.models import LegalEntity, Representative
from balai.core.parties.selectors import is_representative
from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for
from balai.core.workflow.models import Transition
from balai.core.workflow.services import TransitionDenied, instance_start
from balai.core.workflow.services import transition as workflow_transition

from . import requirements, selectors_catalogue
from .models import (
    FEE_MODELS,
    PERMIT_DOCUMENT_KIND,
    RECEIPT_DOCUMENT_KIND,
    Application,
    ApplicationDocument,
    CorrectionRequest,
    Inspection,
    InspectionPhoto,
    PermitType,
    PermitTypeVersion,
    SurveyResponse,
)
from .workflow import COMPLETE_ACTIONS, ESCALATION_WORKFLOWS, REJECT_ACTIONS

log = logging.getLogger(__name__)

REGISTRATION_KIND = "permits.registration"
REQUIREMENT_PURPOSE = "permits.requirement"
INSPECTION_PURPOSE = "permits.inspection"
BILL_PURPOSE = "permits.retribution"
INSPECTION_PHOTOS = UploadPolicy(kinds=frozenset({"jpeg", "png"}), max_bytes=10 * MB)
MAX_PHOTOS = 20

COUNTER_PERM = "permits.counter"
REVOKE_PERM = "permits.revoke"
ADMIN_PERM = "tenants.manage"

form_validate = requirements.form_validate


# --- refusals on the audit chain ---------------------------------------------------------------------


def transition(*, instance, action: str, actor, **kwargs) -> Transition:
    """The workflow engine's `transition`, remembering what to audit if the refusal rolls back with us."""
    try:
        return workflow_transition(instance=instance, action=action, actor=actor, **kwargs)
    except TransitionDenied as denied:
        denied.permits_refusal = dict(
            tenant=instance.tenant, actor=actor, action="workflow.transition_refused", obj=instance,
            data={"code": instance.code, "action": str(action)[:60], "state": instance.state, "reason": denied.code},
        )
        raise


def _service(fn):
    """`transaction.atomic` for services that move a file, keeping refused transitions on the audit chain:
    the engine defers that entry to the commit of the caller's transaction, which a refusal rolls back."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                return fn(*args, **kwargs)
        except TransitionDenied as denied:
            entry = getattr(denied, "permits_refusal", None)
            if entry is not None and not denied.audited:
                denied.audited = audit_refusal_soon(**entry)
            raise
        except RepresentationRefused as refused:
            audit_refusal_soon(**refused.permits_refusal)
            raise

    return wrapper


class RepresentationRefused(ValidationError):
    """A file names a registered business that its applicant does not (or no longer) represent; carries
    the audit entry of the refused attempt, written after the rollback (see `_service`)."""

    def __init__(self, message, *, audit_entry: dict):
        super().__init__(message, code="not_representative")
        self.permits_refusal = audit_entry


# --- helpers -----------------------------------------------------------------------------------------


def _same_tenant(tenant: Tenant, *objects) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "tenant_id", tenant.pk) != tenant.pk:
            raise ValueError("Objects from another tenant cannot be combined.")


def _state(application: Application) -> str:
    return application.workflow.state if application.workflow_id else "draft"


def _is_frontdesk(actor, tenant) -> bool:
    return actor is not None and user_has_perm(user=actor, tenant=tenant, perm=COUNTER_PERM)


def _may_edit(application: Application, actor) -> None:
    """The applicant, or front-office staff for a counter file, may edit the file; nobody else."""
    if actor is not None and (
        actor.pk == application.applicant_id
        or (application.channel == Application.Channel.COUNTER and _is_frontdesk(actor, application.tenant))
    ):
        return
    raise PermissionDenied(_("Hanya pemohon (atau petugas loket untuk berkas loket) yang dapat mengubah permohonan ini."))


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("permit_type", "type_version", "workflow", "tenant")
        .get(pk=application.pk, tenant_id=application.tenant_id)
    )


def _refresh(target: Application, source: Application | None = None) -> Application:
    """Copy the database's current row (effects may have changed it) into the caller's object."""
    fresh = (
        Application.objects.select_related(
            "permit_type", "type_version", "workflow", "bill", "permit_document", "receipt_document"
        )
        .get(pk=target.pk, tenant_id=target.tenant_id)
    )
    for f in Application._meta.concrete_fields:
        setattr(target, f.attname, getattr(fresh, f.attname))
    for cached in ("workflow", "permit_type", "type_version", "bill", "permit_document", "receipt_document"):
        setattr(target, cached, getattr(fresh, cached))
    return target


def _reload_workflow(application: Application) -> None:
    if application.workflow_id:
        application.workflow.refresh_from_db()


def _open_correction(application: Application) -> CorrectionRequest | None:
    return (
        CorrectionRequest.objects.filter(tenant_id=application.tenant_id, application=application, resolved_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def _editable_or_refuse(application: Application, *, kind: str, code: str) -> None:
    """A draft may change freely; a returned file only in what the officer asked to fix."""
    state = _state(application)
    if state == "draft":
        return
    if state == "returned":
        correction = _open_correction(application)
        if correction is not None and correction.allows(kind, code):
            return
        raise ValidationError(
            {code: _("Bagian ini tidak diminta untuk diperbaiki, jadi tidak dapat diubah. Perbaiki hanya bagian yang ditandai petugas.")},
            code="not_asked",
        )
    raise ValidationError(
        _("Permohonan ini sudah diajukan dan tidak dapat diubah lagi (status sekarang: %(state)s).")
        % {"state": application.workflow.current_state.name if application.workflow_id else state},
        code="not_editable",
    )


def current_documents(application: Application) -> dict[str, ApplicationDocument]:
    """The current file of each documentary requirement of the application."""
    rows = ApplicationDocument.objects.filter(
        tenant_id=application.tenant_id, application=application, status=ApplicationDocument.Status.CURRENT
    ).select_related("file")
    return {row.requirement_code: row for row in rows}


def completeness_errors(application: Application) -> dict[str, str]:
    """What is still missing or invalid before the file can be submitted: field codes → message (an
    answer before the one its `min_field` names too, beside the later field, whatever page each is on),
    "business_name"/"business_nib" when the business is half described (see `business_errors`), and
    "document:<code>" → message for mandatory documents not uploaded yet. {} when complete."""
    version = application.type_version
    errors: dict[str, str] = {}
    try:
        requirements.form_validate(fields=version.form_fields, data=application.form_data)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    errors.update({k: v for k, v in business_errors(application).items() if k not in errors})
    present = current_documents(application)
    for doc in version.documents:
        if doc.get("mandatory") and doc["code"] not in present:
            errors[f"document:{doc['code']}"] = _("Unggah %(label)s.") % {"label": doc["label"]}
    return errors


def values_of(application: Application) -> dict[str, Any]:
    """The application's answers as typed values (for the fee and the inspection rule)."""
    return requirements.typed_values(fields=application.type_version.form_fields, form_data=application.form_data)


def inspection_needed(application: Application) -> bool:
    """Whether the permit type requires a field inspection for this file (its rule over the form)."""
    kind = application.permit_type.inspection
    if kind == PermitType.Inspection.ALWAYS:
        return True
    if kind == PermitType.Inspection.BY_RULE:
        return requirements.rule_matches(application.permit_type.inspection_rule, values_of(application))
    return False


def fee_quote(*, version: PermitTypeVersion, form_data: dict):
    """The fee (fees.FeeQuote) for answers already cleaned against `version` (also for the simulator)."""
    from . import fees

    values = requirements.typed_values(fields=version.form_fields, form_data=form_data)
    return fees.fee_compute(model=version.fee_model, config=version.fee_config, values=values)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    import calendar as _cal

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


def validity_until(*, valid_from: datetime.date, months: int | None) -> datetime.date | None:
    """The last day a permit valid `months` from `valid_from` is valid (None: no expiry)."""
    if not months:
        return None
    return _add_months(valid_from, months) - datetime.timedelta(days=1)


def validity_start(*, application: Application, issued_on: datetime.date) -> datetime.date:
    """The first day a permit issued on `issued_on` is valid: that day; but a renewal issued while the
    permit it renews is still in force starts the day after that one ends, so that the holder loses no
    day and the two never overlap. A renewed permit that was revoked, or has already expired, leaves no
    days to continue: the renewal starts on issue."""
    previous = application.renewal_of
    if (
        previous is not None
        and previous.valid_until is not None
        and previous.workflow_id is not None
        and previous.workflow.state == "issued"
        and issued_on <= previous.valid_until
    ):
        return previous.valid_until + datetime.timedelta(days=1)
    return issued_on


def _now() -> datetime.datetime:
    # The workflow engine's clock, so that dates recorded here agree with the file's history.
    from balai.core.workflow import clock

    return clock.now()


def _tenant_digits(tenant: Tenant) -> str:
    return "".join(ch for ch in tenant.code if ch.isdigit())


# --- the business an application is for -------------------------------------------------------------

BUSINESS_FIELDS = ("business_name", "business_nib", "business_npwp")


def _keyed(field: str, clean, value: str | None) -> str:
    """The registry's rule for an identifier (balai/core/parties/identifiers.py), its refusal keyed to `field`."""
    try:
        return clean(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}, code=exc.code) from None


def business_nib_clean(value: str | None) -> str:
    """An NIB (Nomor Induk Berusaha from OSS): 13 digits, spaces and dots allowed in between; "" for none."""
    return _keyed("business_nib", identifiers.nib_clean, value)


def business_npwp_clean(value: str | None) -> str:
    """An NPWP as its digits (15, or 16 when it is the owner's NIK), its check digit verified; "" for none."""
    return _keyed("business_npwp", identifiers.npwp_clean, value)


def business_clean(values: dict[str, str | None]) -> dict[str, str]:
    """The given business data cleaned (keys whose value is None are left out); every refusal at once,
    as a ValidationError keyed by field."""
    cleaners = {
        "business_name": lambda v: " ".join((v or "").split())[:200],
        "business_nib": business_nib_clean,
        "business_npwp": business_npwp_clean,
    }
    cleaned: dict[str, str] = {}
    refusals: dict[str, list[str]] = {}
    for attr, value in values.items():
        if value is None:
            continue
        try:
            cleaned[attr] = cleaners[attr](value)
        except ValidationError as exc:
            refusals.update(exc.message_dict)
    if refusals:
        raise ValidationError(refusals)
    return cleaned


def business_errors(application: Application) -> dict[str, str]:
    """What is missing about the business an application is for: a business applicant names the
    business and gives its NIB (an NIB or NPWP needs the business's name). {} for a personal application."""
    name = (application.business_name or "").strip()
    errors: dict[str, str] = {}
    if name and not application.business_nib:
        errors["business_nib"] = _(
            "Permohonan atas nama usaha memerlukan NIB usaha itu (13 angka dari OSS). Isi NIB, atau kosongkan nama "
            "usaha bila permohonan atas nama pribadi."
        )
    if not name and (application.business_nib or application.business_npwp):
        errors["business_name"] = _("Isi nama usaha pemilik NIB/NPWP ini, atau kosongkan NIB dan NPWP bila permohonan atas nama pribadi.")
    return errors


def registered_business(nib: str) -> LegalEntity | None:
    """The business registered in the platform's registry (core.parties) with this NIB, or None."""
    if not nib:
        return None
    return LegalEntity.objects.filter(kind=LegalEntity.Kind.BUSINESS, nib=nib).first()


def _named_business(application: Application) -> LegalEntity | None:
    """The registered business the file is for: its link, else the registered owner of its NIB (a business
    registered after the draft was saved)."""
    if application.legal_entity_id:
        return application.legal_entity
    return registered_business(application.business_nib)


def representation_errors(application: Application) -> dict[str, str]:
    """{"business_nib": message} when the file names a registered business that its applicant does not
    currently represent (a representation may have ended since the draft); {} otherwise.

    Only the applicant's representation counts: at the counter, staff submit for the applicant, who must
    be the business's representative in the registry."""
    entity = _named_business(application)
    if entity is None or is_representative(user=application.applicant, entity=entity):
        return {}
    if Representative.objects.filter(entity=entity, user_id=application.applicant_id).exists():
        message = _(
            "Perwakilan Anda untuk %(entity)s sudah diakhiri, jadi permohonan ini tidak dapat diajukan atas nama "
            "badan usaha itu. Minta pengurus %(entity)s menambahkan Anda lagi sebagai wakil (Akun saya › Badan usaha "
            "dan organisasi), atau ubah bagian usaha: ajukan atas nama pribadi atau badan usaha lain yang Anda wakili."
        ) % {"entity": entity.name}
    else:
        message = _(
            "NIB ini milik badan usaha yang terdaftar di Balai, dan Anda bukan wakilnya. Minta salah satu wakilnya "
            "menambahkan Anda (Akun saya › Badan usaha dan organisasi › Tambah wakil), atau ubah bagian usaha: "
            "ajukan atas nama pribadi atau badan usaha lain yang Anda wakili."
        )
    return {"business_nib": message}


def submission_errors(application: Application) -> dict[str, str]:
    """Everything that stops the draft from being submitted now: `completeness_errors` and
    `representation_errors` together (what the review page lists)."""
    return {**completeness_errors(application), **representation_errors(application)}


# --- the catalogue -----------------------------------------------------------------------------------


@transaction.atomic
def permit_type_save(
    *,
    tenant: Tenant,
    actor,
    permit_type: PermitType | None = None,
    code: str,
    name: str,
    description: str = "",
    unit=None,
    sla_days: int,
    sla_starts: str | None = None,
    validity_months: int | None = None,
    renewable: bool = False,
    renewal_window_days: int = 30,
    needs_appointment: bool = False,
    inspection: str = PermitType.Inspection.NEVER,
    inspection_rule: dict | None = None,
    needs_recommendation: bool = False,
    fiktif_positif: bool = False,
    escalation: str = PermitType.Escalation.NOTIFY_HEAD,
    document_kind: str = PERMIT_DOCUMENT_KIND,
    workflow_code: str | None = None,
    is_published: bool = False,
    form_fields: list[dict],
    documents: list[dict],
    fee_model: str = "none",
    fee_config: dict | None = None,
    note: str = "",
) -> PermitType:
    """Create a permit type, or update `permit_type`, and version its requirements.

    Guarantees: the code is unique in the tenant; form fields have unique codes, known types and sensible
    bounds; documents have unique codes and allowed formats; the inspection rule names numeric fields;
    the fee configuration passed `fees.fee_config_validate` over these fields; "dianggap disetujui" is
    only chosen together with fiktif positif. A change of fields, documents or fee makes a new
    `PermitTypeVersion` (applications keep the version they pinned); an unchanged one makes none. The
    workflow is one of the permits variants (`workflow_code`; None: the variant of the escalation rule,
    workflow.ESCALATION_WORKFLOWS); since a variant carries out one escalation rule, a workflow whose rule
    differs from `escalation` is refused. A change of workflow reaches only files submitted afterwards
    (running files keep their pinned definition). `document_kind` is one of the permit kinds the
    documents registry knows (or the type's current one). `sla_starts` says when a file's
    SLA clock starts ("submission", or "complete": when the verifier declares it complete); None keeps
    the type's setting ("submission" for a new type). Audited. Raises ValidationError keyed by parameter
    name, with every problem.
    """
    from . import fees

    _same_tenant(tenant, permit_type, unit)
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    code = (code or "").strip()
    name = (name or "").strip()
    if not requirements.CODE_RE.match(code.lower()) or code != code.lower():
        add("code", _("Kode harus huruf kecil, angka dan garis bawah, diawali huruf, misalnya \"reklame\"."))
    elif PermitType.objects.filter(tenant=tenant, code=code).exclude(pk=getattr(permit_type, "pk", None)).exists():
        add("code", _("Kode \"%(code)s\" sudah dipakai jenis izin lain. Pilih kode lain.") % {"code": code})
    if not name:
        add("name", _("Isi nama izin, misalnya Izin Reklame."))
    if isinstance(sla_days, bool) or not isinstance(sla_days, int) or not 1 <= sla_days <= 365:
        add("sla_days", _("SLA harus bilangan bulat hari kerja, 1 sampai 365."))
    if sla_starts is None:
        sla_starts = permit_type.sla_starts if permit_type is not None else PermitType.SlaStart.SUBMISSION
    if sla_starts not in PermitType.SlaStart.values:
        add("sla_starts", _("Pilih sejak kapan SLA dihitung: sejak permohonan diajukan, atau sejak berkas dinyatakan lengkap."))
    if validity_months is not None and (
        isinstance(validity_months, bool) or not isinstance(validity_months, int) or not 1 <= validity_months <= 600
    ):
        add("validity_months", _("Masa berlaku harus 1 sampai 600 bulan, atau kosong bila tanpa batas."))
    if renewable and not validity_months:
        add("renewable", _("Izin tanpa masa berlaku tidak perlu diperpanjang. Isi masa berlaku atau matikan perpanjangan."))
    if isinstance(renewal_window_days, bool) or not isinstance(renewal_window_days, int) or not 0 <= renewal_window_days <= 365:
        add("renewal_window_days", _("Jendela perpanjangan harus 0 sampai 365 hari."))
    if inspection not in PermitType.Inspection.values:
        add("inspection", _("Pilih kapan survei lapangan diperlukan."))
    if escalation not in PermitType.Escalation.values:
        add("escalation", _("Pilih tindakan bila tenggat terlewati."))
    elif escalation == PermitType.Escalation.AUTO_APPROVE and not fiktif_positif:
        add(
            "escalation",
            _("\"Dianggap disetujui\" hanya boleh bila izin ini berlaku fiktif positif. Centang fiktif positif atau pilih tindakan lain."),
        )
    if escalation in PermitType.Escalation.values:
        workflow_code = _workflow_checked(workflow_code, escalation=escalation, add=add)
    if document_kind != getattr(permit_type, "document_kind", None) and document_kind not in dict(
        selectors_catalogue.permit_document_kind_choices()
    ):
        add("document_kind", _("Pilih jenis dokumen izin dari daftar; templatnya diatur di halaman Templat dokumen."))
    fields, field_errors = requirements.fields_normalise(form_fields)
    for message in field_errors:
        add("form_fields", message)
    docs, doc_errors = requirements.documents_normalise(documents)
    for message in doc_errors:
        add("documents", message)
    rule: dict = {}
    if inspection == PermitType.Inspection.BY_RULE and not field_errors:
        rule, rule_errors = requirements.rule_normalise(inspection_rule, fields)
        for message in rule_errors:
            add("inspection_rule", message)
    if fee_model not in FEE_MODELS:
        add("fee_model", _("Model tarif harus salah satu dari %(models)s.") % {"models": ", ".join(FEE_MODELS)})
    elif not field_errors:
        try:
            fee_config = fees.fee_config_validate(
                model=fee_model, config=fee_config or {}, fields=requirements.fields_for_fees(fields)
            )
        except ValidationError as exc:
            for message in exc.messages:
                add("fee_config", message)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    attrs = dict(
        code=code, name=name, description=(description or "").strip(), unit=unit, sla_days=sla_days,
        sla_starts=sla_starts, validity_months=validity_months, renewable=renewable, renewal_window_days=renewal_window_days,
        needs_appointment=needs_appointment, inspection=inspection, inspection_rule=rule,
        needs_recommendation=needs_recommendation, fiktif_positif=fiktif_positif, escalation=escalation,
        workflow_code=workflow_code, document_kind=document_kind, is_published=is_published,
    )
    created = permit_type is None
    if created:
        permit_type = PermitType.objects.create(tenant=tenant, created_at=now, updated_at=now, **attrs)
        before = None
    else:
        permit_type = PermitType.objects.select_for_update().get(pk=permit_type.pk, tenant=tenant)
        before = {k: getattr(permit_type, k if k != "unit" else "unit_id") for k in attrs}
        for key, value in attrs.items():
            setattr(permit_type, key, value)
        permit_type.updated_at = now
        permit_type.save(update_fields=[*attrs, "updated_at"])
    current = permit_type.current_version
    wanted = {"form_fields": fields, "documents": docs, "fee_model": fee_model, "fee_config": fee_config or {}}
    if current is None or any(getattr(current, k) != v for k, v in wanted.items()):
        number = (current.number if current else 0) + 1
        if current is not None:
            number = max(number, (permit_type.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1)
        version = PermitTypeVersion.objects.create(
            tenant=tenant, permit_type=permit_type, number=number, note=(note or "").strip()[:300], created_by=actor,
            created_at=now, **wanted,
        )
        permit_type.current_version = version
        permit_type.save(update_fields=["current_version"])
        audit_record(
            tenant=tenant, actor=actor, action="permits.type_version", obj=version,
            data={"type": code, "version": number, "fee_model": fee_model, "fields": len(fields), "documents": len(docs)},
        )
    audit_record(
        tenant=tenant, actor=actor, action="permits.type_create" if created else "permits.type_update", obj=permit_type,
        data={"code": code, "version": permit_type.current_version.number},
        before=None if before is None else {k: str(v) for k, v in before.items()},
        after={k: str(getattr(permit_type, k if k != "unit" else "unit_id")) for k in attrs},
    )
    return permit_type


def _workflow_checked(workflow_code: str | None, *, escalation: str, add) -> str:
    """The type's workflow: the chosen variant, or the escalation rule's when none is chosen."""
    if not workflow_code:
        return ESCALATION_WORKFLOWS[escalation]
    names = dict(selectors_catalogue.permit_workflow_choices())
    if workflow_code not in names:
        add("workflow_code", _("Pilih alur kerja dari daftar alur perizinan."))
    elif selectors_catalogue.workflow_escalation(workflow_code) != escalation:
        rule = selectors_catalogue.workflow_escalation(workflow_code)
        add(
            "workflow_code",
            _(
                "Alur kerja \"%(workflow)s\" menjalankan \"%(rule)s\" bila tenggat terlewati, sedangkan tindakan yang "
                "dipilih \"%(chosen)s\". Pilih alur kerja yang sesuai, atau pilih \"Ikuti tindakan bila tenggat "
                "terlewati\"."
            ) % {
                "workflow": names[workflow_code], "rule": PermitType.Escalation(rule).label,
                "chosen": PermitType.Escalation(escalation).label,
            },
        )
    return workflow_code


@transaction.atomic
def permit_type_set_published(*, permit_type: PermitType, published: bool, actor) -> PermitType:
    """Show or hide a permit type in the public catalogue (a type without requirements stays hidden)."""
    if published and permit_type.current_version_id is None:
        raise ValidationError(_("Simpan persyaratan izin ini dulu sebelum menampilkannya di katalog."))
    PermitType.objects.filter(pk=permit_type.pk, tenant_id=permit_type.tenant_id).update(
        is_published=published, updated_at=timezone.now()
    )
    permit_type.is_published = published
    audit_record(
        tenant=permit_type.tenant, actor=actor, action="permits.type_publish", obj=permit_type,
        data={"published": published},
    )
    return permit_type


# --- drafts ------------------------------------------------------------------------------------------


@transaction.atomic
def application_create_draft(
    *,
    tenant: Tenant,
    permit_type: PermitType,
    applicant: User,
    form_data: dict,
    actor,
    channel: str = Application.Channel.ONLINE,
    business_name: str = "",
    business_nib: str = "",
    business_npwp: str = "",
    renewal_of: Application | None = None,
) -> Application:
    """Save a new draft for `applicant` on the type's current requirements (pinned).

    Guarantees: the type belongs to the tenant and is published with requirements; given answers are
    valid (missing ones may come later; ValidationError keyed by field code); a given NIB is 13 digits
    and a given NPWP passes its check digit (keyed "business_nib"/"business_npwp"); a counter draft is made
    only by front-office staff and records who entered it; an online draft only by the applicant. No
    registration number yet: it is given at submission. Audited.
    """
    _same_tenant(tenant, permit_type, renewal_of)
    if permit_type.current_version_id is None or not permit_type.is_published:
        raise ValidationError(_("Jenis izin ini belum dibuka untuk permohonan. Pilih jenis izin lain dari katalog."))
    if channel == Application.Channel.COUNTER:
        if not _is_frontdesk(actor, tenant):
            raise PermissionDenied(_("Hanya petugas loket yang dapat mengentri permohonan loket."))
    elif channel == Application.Channel.ONLINE:
        if actor is None or actor.pk != applicant.pk:
            raise PermissionDenied(_("Permohonan daring hanya dapat dibuat oleh pemohon sendiri."))
    else:
        raise ValidationError({"channel": _("Saluran harus daring atau loket.")})
    version = permit_type.current_version
    cleaned = requirements.form_validate(fields=version.form_fields, data=form_data, partial=True)
    business = business_clean(
        {"business_name": business_name, "business_nib": business_nib, "business_npwp": business_npwp}
    )
    now = timezone.now()
    application = Application.objects.create(
        tenant=tenant, permit_type=permit_type, type_version=version, applicant=applicant,
        applicant_name=(applicant.full_name or applicant.email)[:200], applicant_nik=applicant.nik or "",
        **business, legal_entity=registered_business(business["business_nib"]),
        form_data=cleaned, channel=channel, entered_by=actor if channel == Application.Channel.COUNTER else None,
        renewal_of=renewal_of, created_at=now, updated_at=now,
    )
    audit_record(
        tenant=tenant, actor=actor, action="permits.application_draft", obj=application,
        data={"type": permit_type.code, "version": version.number, "channel": channel,
              "renewal_of": renewal_of.pk if renewal_of else None},
    )
    return application


@transaction.atomic
def application_update_draft(
    *,
    application: Application,
    form_data: dict,
    actor,
    business_name: str | None = None,
    business_nib: str | None = None,
    business_npwp: str | None = None,
) -> Application:
    """Change answers of a draft, or of a returned file (only the fields the officer asked to fix).

    `form_data` holds the answers to change (others stay). Guarantees: only the applicant (or front-office
    staff for a counter file) edits; in a returned file a changed field that was not asked is refused
    (ValidationError on that field: "fix only what was asked"); answers stay valid, and so do a given
    NIB and NPWP (as at creation); a given answer is not before (below) the field its `min_field` names,
    wherever that was answered. Audited with the codes changed.
    """
    _may_edit(application, actor)
    locked = _locked(application)
    state = _state(locked)
    version = locked.type_version
    given = {k: v for k, v in (form_data or {}).items() if version.field(k) is not None}
    cleaned_given = requirements.form_validate(
        fields=[f for f in version.form_fields if f["code"] in given], data=given, partial=True
    )
    changed = sorted(
        code for code in given if cleaned_given.get(code) != locked.form_data.get(code)
    )
    for code in changed:
        _editable_or_refuse(locked, kind="field", code=code)
    merged = {**locked.form_data, **cleaned_given}
    for code in changed:
        if code not in cleaned_given:
            merged.pop(code, None)
    # A later answer checked against an earlier one saved before (another page of the form); a change of
    # the earlier one alone is checked where the later one is, and at submission (completeness_errors).
    out_of_order = requirements.order_errors(fields=version.form_fields, data=merged, codes=set(cleaned_given))
    if out_of_order:
        raise ValidationError(out_of_order)
    fields = ["form_data", "updated_at"]
    business = business_clean(
        {"business_name": business_name, "business_nib": business_nib, "business_npwp": business_npwp}
    )
    for attr, value in business.items():
        if value != getattr(locked, attr):
            _editable_or_refuse(locked, kind="field", code=attr)
            setattr(locked, attr, value)
            fields.append(attr)
            changed.append(attr)
    if "business_nib" in changed:
        # Another NIB, another business: the link follows the registry (submission checks the representation).
        locked.legal_entity = registered_business(locked.business_nib)
        fields.append("legal_entity")
    locked.form_data = merged
    locked.updated_at = timezone.now()
    locked.save(update_fields=fields)
    if changed:
        audit_record(
            tenant=locked.tenant, actor=actor, action="permits.application_update", obj=locked,
            data={"changed": changed, "state": state},
        )
    return _refresh(application, locked)


@transaction.atomic
def application_attach_document(
    *, application: Application, requirement_code: str, upload, actor
) -> ApplicationDocument:
    """Store a file for one documentary requirement; a previous file for it is superseded, not deleted.

    Guarantees: the requirement exists in the pinned version; the content is one of its formats and
    within its size (UploadRefused otherwise, a ValidationError saying what to send); in a returned file
    only a document the officer asked for may be replaced. Audited (files.store and permits.document_attach).
    """
    _may_edit(application, actor)
    locked = _locked(application)
    spec = locked.type_version.requirement(requirement_code)
    if spec is None:
        raise ValidationError({"requirement_code": _("Persyaratan dokumen ini tidak ada pada jenis izin ini.")})
    _editable_or_refuse(locked, kind="document", code=requirement_code)
    policy = UploadPolicy(kinds=frozenset(spec["kinds"]), max_bytes=spec["max_mb"] * MB)
    stored = file_store(tenant=locked.tenant, upload=upload, purpose=REQUIREMENT_PURPOSE, actor=actor, policy=policy)
    previous = list(
        ApplicationDocument.objects.select_for_update().filter(
            tenant_id=locked.tenant_id, application=locked, requirement_code=requirement_code,
            status=ApplicationDocument.Status.CURRENT,
        )
    )
    row = ApplicationDocument.objects.create(
        tenant=locked.tenant, application=locked, requirement_code=requirement_code, file=stored, uploaded_by=actor,
    )
    for old in previous:
        old.status, old.superseded_by = ApplicationDocument.Status.SUPERSEDED, row
        old.save(update_fields=["status", "superseded_by"])
    audit_record(
        tenant=locked.tenant, actor=actor, action="permits.document_attach", obj=locked,
        data={"requirement": requirement_code, "file": str(stored.public_id), "replaces": [o.pk for o in previous]},
    )
    return row


# --- submission and correction -----------------------------------------------------------------------


def _refuse_unrepresented(application: Application, actor) -> None:
    """Refuse (audited, with what is missing besides) a file naming a business its applicant does not represent."""
    refusal = representation_errors(application)
    if not refusal:
        return
    entity = _named_business(application)
    raise RepresentationRefused(
        {**completeness_errors(application), **refusal},
        audit_entry={
            "tenant": application.tenant, "actor": actor, "action": "permits.submit_refused", "obj": application,
            "data": {"reason": "not_representative", "entity": entity.pk, "applicant": application.applicant_id},
        },
    )


def _refuse_incomplete(application: Application) -> None:
    errors = completeness_errors(application)
    if errors:
        raise ValidationError(errors, code="incomplete")


def _registration_number(application: Application) -> None:
    from balai.core.documents.services import number_next
    from balai.core.workflow import clock

    tenant = application.tenant
    year = calendar_for(tenant).local_date(clock.now()).year
    seq = number_next(tenant=tenant, kind=REGISTRATION_KIND, year=year)
    application.registration_year, application.registration_seq = year, seq
    application.registration_number = f"REG-{_tenant_digits(tenant)}-{year}-{seq:06d}"


def _start_workflow(application: Application, actor) -> None:
    permit_type = application.permit_type
    # A type whose SLA counts from complete documents (PBG) holds the file's clock until the verifier
    # declares it complete (or it is deemed approved); only the steps' own deadlines run before that.
    clock_starts_on = COMPLETE_ACTIONS if permit_type.sla_starts == PermitType.SlaStart.COMPLETE else ()
    application.workflow = instance_start(
        tenant=application.tenant, code=permit_type.workflow_code, subject=application, actor=actor,
        owner=application.applicant, unit=permit_type.unit, queue=permit_type.code, sla_days=permit_type.sla_days,
        title=f"{application.registration_number or _('Draf')} · {permit_type.name}"[:200],
        clock_starts_on=clock_starts_on,
    )
    application.save(update_fields=["workflow"])


@_service
def application_submit(*, application: Application, actor) -> str:
    """Submit a draft and return its registration number (`REG-3673-2026-000123`).

    Guarantees: every required answer is valid and every mandatory document is uploaded (ValidationError
    keyed by field code and "document:<code>" otherwise, nothing changed); a file naming a registered business
    is submitted only while its applicant represents that business (refused on "business_nib" otherwise,
    nothing changed, the refusal audited as "permits.submit_refused"), and is linked to it; the number is the next of the
    tenant's year without gaps (taken in this transaction); the file enters the workflow pinned to its
    tenant's current definition, is submitted by the actor (the applicant, or front-office staff) and
    received into verification by the system (its SLA clock starts, unless the type counts it from when
    the verifier declares the file complete); notifications follow the workflow.
    """
    _may_edit(application, actor)
    locked = _locked(application)
    if _state(locked) != "draft":
        raise ValidationError(_("Permohonan ini sudah diajukan dengan nomor %(number)s.") % {"number": locked.registration_number})
    _refuse_unrepresented(locked, actor)
    _refuse_incomplete(locked)
    _registration_number(locked)
    locked.submitted_at = _now()
    locked.legal_entity = _named_business(locked)
    locked.save(
        update_fields=["registration_number", "registration_year", "registration_seq", "submitted_at", "legal_entity"]
    )
    _start_workflow(locked, actor)
    transition(instance=locked.workflow, action="submit", actor=actor)
    transition(instance=locked.workflow, action="receive", actor=None)
    _refresh(application, locked)
    return locked.registration_number


def _correction_items(application: Application, items: Iterable[dict]) -> list[dict]:
    version = application.type_version
    out, errors = [], []
    for item in items or []:
        kind, code = item.get("kind"), str(item.get("code") or "")
        note = str(item.get("note") or "").strip()[:500]
        if kind == "field" and (version.field(code) is not None or code in ("business_name", "business_nib", "business_npwp")):
            label = version.field(code)["label"] if version.field(code) else code
        elif kind == "document" and version.requirement(code) is not None:
            label = version.requirement(code)["label"]
        else:
            errors.append(_("Bagian \"%(code)s\" tidak ada pada permohonan ini.") % {"code": code})
            continue
        if not any(o["kind"] == kind and o["code"] == code for o in out):
            out.append({"kind": kind, "code": code, "label": label, "note": note})
    if errors:
        raise ValidationError({"items": errors})
    if not out:
        raise ValidationError({"items": _("Tandai setidaknya satu isian atau dokumen yang harus diperbaiki pemohon.")})
    return out


@_service
def application_return_for_correction(
    *, application: Application, items: list[dict], note: str, actor, expected_version: int | None = None
) -> CorrectionRequest:
    """Return a file in verification to the applicant, naming exactly what to fix.

    `items`: [{"kind": "field" | "document", "code": ..., "note": ...}]. Guarantees: every item exists in
    the file; a note for the applicant is given; the workflow's "return" (verifier, assignee) moves the file
    to "returned", where its SLA clock pauses; only the items may then change.
    """
    locked = _locked(application)
    cleaned = _correction_items(locked, items)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Tulis catatan untuk pemohon: apa yang kurang dan bagaimana memperbaikinya.")})
    transition(
        instance=locked.workflow, action="return", actor=actor, comment=note, data={"items": cleaned},
        expected_version=expected_version,
    )
    correction = CorrectionRequest.objects.create(
        tenant=locked.tenant, application=locked, requested_by=actor, items=cleaned, note=note
    )
    _refresh(application, locked)
    return correction


@_service
def application_resubmit(*, application: Application, actor) -> Application:
    """Send a returned file back to verification once it is complete again; the correction request is
    resolved and the SLA clock runs again. The file returns to the verifier who returned it."""
    _may_edit(application, actor)
    locked = _locked(application)
    if _state(locked) != "returned":
        raise ValidationError(_("Permohonan ini tidak sedang dikembalikan untuk diperbaiki."))
    _refuse_incomplete(locked)
    CorrectionRequest.objects.filter(tenant_id=locked.tenant_id, application=locked, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    transition(instance=locked.workflow, action="resubmit", actor=actor)
    return _refresh(application, locked)


# --- the back office ---------------------------------------------------------------------------------


def _advance_if_free(application: Application) -> None:
    """A file that reached payment with nothing to pay goes straight on to approval (system action)."""
    _reload_workflow(application)
    application.refresh_from_db(fields=["fee_amount", "bill"])
    if application.workflow.state == "awaiting_payment" and application.fee_amount == 0 and application.bill_id is None:
        transition(instance=application.workflow, action="no_fee", actor=None)


def reason_code_clean(reason_code: str) -> str:
    """A first-in-first-out reason code: empty, or one of the office's listed codes
    (services_office.FIFO_REASONS). A free-text code would let anyone jump the queue with any word and
    hide it from the integrity check, so an unknown code is refused (ValidationError on "reason_code")."""
    from .services_office import FIFO_REASON_CODES, FIFO_REASONS

    code = (reason_code or "").strip()
    if code and code not in FIFO_REASON_CODES:
        raise ValidationError(
            {
                "reason_code": _("Kode alasan \"%(code)s\" tidak dikenal. Pilih salah satu kode alasan: %(codes)s.")
                % {"code": code[:60], "codes": ", ".join(c for c, _label in FIFO_REASONS)}
            },
            code="reason_code",
        )
    return code


def _act(
    application: Application, action: str, *, actor, comment: str = "", reason_code: str = "",
    data: dict | None = None, documents: Sequence = (), expected_version: int | None = None,
) -> Transition:
    reason_code = reason_code_clean(reason_code)
    locked = _locked(application)
    if locked.workflow_id is None:
        raise ValidationError(_("Permohonan ini masih draf."))
    row = transition(
        instance=locked.workflow, action=action, actor=actor, comment=comment, reason_code=reason_code, data=data,
        documents=documents, expected_version=expected_version,
    )
    _advance_if_free(locked)
    _refresh(application, locked)
    return row


def verify_action(application: Application) -> str:
    """The verification action that applies to the file: "verify_inspect", "verify_recommend" or "verify"."""
    if inspection_needed(application):
        return "verify_inspect"
    if application.permit_type.needs_recommendation:
        return "verify_recommend"
    return "verify"


@_service
def application_verify(
    *, application: Application, actor, comment: str = "", reason_code: str = "", expected_version: int | None = None
) -> Transition:
    """Declare the file complete and correct, and send it where its type requires: to field inspection
    (when the type's rule says so), to technical recommendation, or to payment (the bill is created;
    with no fee it goes on to approval at once). First in, first out: taking a later file of the same
    type first needs a `reason_code`."""
    return _act(
        application, verify_action(application), actor=actor, comment=comment, reason_code=reason_code,
        expected_version=expected_version,
    )


@_service
def application_send_to_inspection(
    *, application: Application, actor, comment: str = "", reason_code: str = "", expected_version: int | None = None
) -> Transition:
    """Verify the file and send it to field inspection although its rule does not require one (a type
    that never needs inspection refuses)."""
    return _act(
        application, "verify_inspect", actor=actor, comment=comment, reason_code=reason_code,
        expected_version=expected_version,
    )


@_service
def application_record_inspection(
    *, application: Application, report: str, photos: Sequence = (), actor, expected_version: int | None = None
) -> Inspection:
    """Record the field inspection (report and photos, JPEG/PNG up to 10 MB each) and move the file on:
    to technical recommendation when the type needs one, else to payment. Only the inspector holding the
    file may do it (the workflow checks role and assignment; the report is kept only if it succeeds)."""
    report = (report or "").strip()
    if len(report) < 10:
        raise ValidationError({"report": _("Tulis laporan survei lapangan: apa yang diperiksa dan hasilnya.")})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Paling banyak %(n)s foto.") % {"n": MAX_PHOTOS}})
    locked = _locked(application)
    if _state(locked) != "inspection":
        raise ValidationError(_("Berkas ini tidak sedang dalam tahap survei lapangan."))
    inspection = Inspection.objects.create(tenant=locked.tenant, application=locked, inspector=actor, report=report)
    stored = []
    for photo in photos:
        file = file_store(tenant=locked.tenant, upload=photo, purpose=INSPECTION_PURPOSE, actor=actor, policy=INSPECTION_PHOTOS)
        InspectionPhoto.objects.create(tenant=locked.tenant, inspection=inspection, file=file)
        stored.append(file)
    action = "inspect_recommend" if locked.permit_type.needs_recommendation else "inspect_done"
    transition(
        instance=locked.workflow, action=action, actor=actor, comment=report, documents=stored,
        expected_version=expected_version,
    )
    _advance_if_free(locked)
    _refresh(application, locked)
    return inspection


@_service
def application_recommend(
    *, application: Application, recommendation: str, actor, expected_version: int | None = None
) -> Transition:
    """Give the technical recommendation (text kept in the history) and send the file to payment."""
    return _act(application, "recommend", actor=actor, comment=recommendation, expected_version=expected_version)


@_service
def application_approve(
    *, application: Application, actor, comment: str = "", reason_code: str = "", expected_version: int | None = None
) -> Transition:
    """Approve the file for signing. Refused to whoever verified or returned it (segregation of duties)
    and while the bill is unpaid; first in, first out with a reason code to take a later file first."""
    return _act(
        application, "approve", actor=actor, comment=comment, reason_code=reason_code, expected_version=expected_version
    )


@_service
def application_sign(
    *, application: Application, actor, reason_code: str = "", expected_version: int | None = None
) -> Transition:
    """Sign and issue the permit: the permit document (signed PDF with QR to /verify/) is issued with the
    tenant's numbering and the validity is set. Refused while the bill is unpaid; first in, first out with
    a reason code to sign a later file first."""
    return _act(application, "sign", actor=actor, reason_code=reason_code, expected_version=expected_version)


@transaction.atomic
def application_receipt_issue(*, application: Application, actor=None):
    """Issue the signed receipt of the file's paid retribution: a document numbered in the tenant's
    series, with the bill's code, amount and payment time, and its QR to /verify/ (spec: "the receipt is a
    document too"). Called by the payments paid handler; callable again if that failed.

    Guarantees: only for a bill that is paid and asks the file's fee (ValidationError otherwise);
    idempotent: a file has one receipt (the one already issued is returned). Audited (documents.issue).
    """
    from balai.core.documents.services import document_issue
    from balai.core.payments.models import Bill

    locked = _locked(application)
    if locked.receipt_document_id is not None:
        return _refresh(application, locked).receipt_document
    bill = Bill.objects.filter(tenant_id=locked.tenant_id, pk=locked.bill_id).first() if locked.bill_id else None
    if bill is None or bill.status != Bill.Status.PAID or bill.amount != locked.fee_amount:
        raise ValidationError(_("Bukti pembayaran terbit setelah retribusi permohonan ini lunas."), code="unpaid")
    unit = locked.permit_type.unit
    document = document_issue(
        tenant=locked.tenant,
        kind=RECEIPT_DOCUMENT_KIND,
        title=_("Bukti Pembayaran Retribusi"),
        template_context={
            "registration_number": locked.registration_number,
            "permit_type": locked.permit_type.name,
            "billing_code": bill.code,
            "amount": bill.amount,
            "amount_display": f"{bill.amount:,}".replace(",", "."),
            "paid_at": timezone.localtime(bill.paid_at, calendar_for(locked.tenant).zone).replace(tzinfo=None)
            if bill.paid_at else None,
            "gateway": bill.gateway,
            "description": bill.description,
        },
        recipient_name=bill.payer_name or locked.business_name or locked.applicant_name,
        recipient_id=locked.applicant_nik or None,
        subject=locked,
        signer=actor,
        signer_position=_("Diterbitkan otomatis setelah pembayaran diterima"),
        unit_code=unit.code if unit is not None else "DPMPTSP",
        actor=actor,
    )
    locked.receipt_document = document
    locked.save(update_fields=["receipt_document"])
    _refresh(application, locked)
    return document


@_service
def application_reject(
    *, application: Application, reason: str, actor, expected_version: int | None = None
) -> Transition:
    """Reject the file (from verification, inspection or approval) with a reason the applicant reads.
    An unpaid bill is cancelled."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tulis alasan penolakan; pemohon akan membacanya.")})
    action = REJECT_ACTIONS.get(_state(application), "reject")
    return _act(application, action, actor=actor, comment=reason, expected_version=expected_version)


@_service
def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    """The applicant withdraws the file before a decision (a draft too). An unpaid bill is cancelled."""
    if actor is None or actor.pk != application.applicant_id:
        raise PermissionDenied(_("Hanya pemohon yang dapat membatalkan permohonannya."))
    locked = _locked(application)
    if locked.workflow_id is None:
        _start_workflow(locked, actor)
    transition(instance=locked.workflow, action="withdraw", actor=actor, comment=(reason or "").strip())
    return _refresh(application, locked)


@_service
def application_revoke(*, application: Application, reason: str, actor) -> Application:
    """Revoke an issued permit: its document is revoked (the /verify/ page shows it, with the reason).

    Guarantees: the actor holds "permits.revoke" in the tenant (PermissionDenied otherwise, audited as a
    refusal by the engine's own check when the state is wrong); a reason of at least 5 characters. The
    workflow's "revoke" is a system action (so issued permits stay out of inboxes): the officer is named
    in the transition's data and in this module's audit entry.
    """
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Tulis alasan pencabutan (paling sedikit 5 karakter); alasan ini tampil di halaman verifikasi.")})
    if actor is None or not user_has_perm(user=actor, tenant=application.tenant, perm=REVOKE_PERM):
        raise PermissionDenied(_("Anda tidak berwenang mencabut izin."))
    locked = _locked(application)
    transition(
        instance=locked.workflow, action="revoke", actor=None, comment=reason,
        data={"officer_id": actor.pk, "officer": (actor.full_name or actor.email)[:200]},
    )
    audit_record(
        tenant=locked.tenant, actor=actor, action="permits.revoke", obj=locked,
        data={"registration_number": locked.registration_number, "reason": reason[:500]},
    )
    return _refresh(application, locked)


@transaction.atomic
def application_renew(*, application: Application, actor) -> Application:
    """A new draft renewing an issued permit, prefilled with its answers (those the current requirements
    still accept) and business data, linked by `renewal_of`. Allowed to the holder (or front-office
    staff) within the renewal window before expiry, or after expiry."""
    permit_type = application.permit_type
    if actor is None or (actor.pk != application.applicant_id and not _is_frontdesk(actor, application.tenant)):
        raise PermissionDenied(_("Hanya pemegang izin yang dapat memperpanjangnya."))
    if _state(application) != "issued" or application.valid_until is None:
        raise ValidationError(_("Hanya izin yang sudah terbit dan berjangka waktu yang dapat diperpanjang."))
    if not permit_type.renewable:
        raise ValidationError(_("Izin jenis ini tidak dapat diperpanjang; ajukan permohonan baru."))
    from balai.core.workflow import clock

    today = calendar_for(application.tenant).local_date(clock.now())
    opens = application.valid_until - datetime.timedelta(days=permit_type.renewal_window_days)
    if today < opens:
        raise ValidationError(
            _("Perpanjangan dibuka mulai %(date)s (%(n)s hari sebelum izin berakhir).")
            % {"date": opens.strftime("%d-%m-%Y"), "n": permit_type.renewal_window_days}
        )
    existing = Application.objects.filter(tenant_id=application.tenant_id, renewal_of=application).exclude(
        workflow__state__in=("withdrawn", "rejected")
    ).first()
    if existing is not None:
        return existing
    version = permit_type.current_version
    prefill = {}
    for spec in version.form_fields:
        if spec["code"] in application.form_data:
            try:
                prefill.update(requirements.form_validate(fields=[spec], data=application.form_data, partial=True))
            except ValidationError:
                continue
    channel = Application.Channel.ONLINE if actor.pk == application.applicant_id else Application.Channel.COUNTER
    business = {attr: getattr(application, attr) for attr in BUSINESS_FIELDS}
    try:
        business_clean(business)
    except ValidationError as exc:  # kept before today's checks: the holder types it again
        business.update({attr: "" for attr in exc.message_dict})
    return application_create_draft(
        tenant=application.tenant, permit_type=permit_type, applicant=application.applicant, form_data=prefill,
        actor=actor, channel=channel, renewal_of=application, **business,
    )


@transaction.atomic
def counter_application_create(
    *,
    tenant: Tenant,
    permit_type: PermitType,
    entered_by: User,
    form_data: dict,
    applicant: User | None = None,
    citizen: dict | None = None,
    business_name: str = "",
    business_nib: str = "",
    business_npwp: str = "",
) -> Application:
    """A draft entered at the counter by front-office staff on an applicant's behalf (marked "loket").

    `applicant` is an existing account; or `citizen` = {full_name, nik, email, phone?, birth_date?}
    creates one (NIK validated and unique, e-mail unique; no password: the person sets one through
    "Lupa kata sandi"), with a citizen membership in the tenant. The staff member then uploads documents
    and submits with the same services as online (actor = the staff member).
    """
    if not _is_frontdesk(entered_by, tenant):
        raise PermissionDenied(_("Hanya petugas loket yang dapat mengentri permohonan loket."))
    if (applicant is None) == (citizen is None):
        raise ValueError("Give either an existing applicant or the citizen's data.")
    if applicant is None:
        applicant = _citizen_for_counter(tenant=tenant, data=citizen or {}, actor=entered_by)
    else:
        membership = Membership.objects.filter(tenant=tenant, user=applicant).first()
        if membership is not None and not membership.is_active:
            # Deactivated here on purpose by the administrator: the counter does not undo that.
            raise ValidationError(
                _("Akun pemohon ini dinonaktifkan di Pemda ini. Minta administrator mengaktifkannya kembali, lalu "
                  "entri permohonannya."),
                code="inactive_member",
            )
        if membership is None:
            membership = Membership.objects.create(tenant=tenant, user=applicant, roles=["core.citizen"])
            audit_record(
                tenant=tenant, actor=entered_by, action="permits.counter_citizen", obj=membership,
                data={"user": applicant.pk},
            )
    return application_create_draft(
        tenant=tenant, permit_type=permit_type, applicant=applicant, form_data=form_data, actor=entered_by,
        channel=Application.Channel.COUNTER, business_name=business_name, business_nib=business_nib,
        business_npwp=business_npwp,
    )


def _citizen_for_counter(*, tenant: Tenant, data: dict, actor) -> User:
    from balai.core.accounts.nik import nik_validate

    errors: dict[str, str] = {}
    full_name = " ".join(str(data.get("full_name") or "").split())
    email = User.objects.normalize_email(str(data.get("email") or "").strip()).lower()
    if not full_name:
        errors["full_name"] = _("Isi nama lengkap pemohon sesuai KTP.")
    if not email or "@" not in email:
        errors["email"] = _("Isi alamat surel pemohon; ia akan menerima kabar permohonannya di sana.")
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("Surel ini sudah punya akun. Cari pemohon itu dan pilih akunnya.")
    nik = ""
    try:
        nik = nik_validate(str(data.get("nik") or ""), birth_date=data.get("birth_date"))
    except ValidationError as exc:
        errors["nik"] = exc.messages[0]
    else:
        if User.objects.filter(nik=nik).exists():
            errors["nik"] = _("NIK ini sudah terdaftar. Cari pemohon itu dan pilih akunnya.")
    if errors:
        raise ValidationError(errors)
    user = User(email=email, full_name=full_name, nik=nik, phone=data.get("phone") or None, birth_date=data.get("birth_date"))
    user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(tenant=tenant, user=user, roles=["core.citizen"])
    audit_record(
        tenant=tenant, actor=actor, action="permits.counter_citizen", obj=membership, data={"user": user.pk},
    )
    return user


# --- complaints and surveys --------------------------------------------------------------------------


SURVEY_STATES = ("issued", "rejected", "revoked")


@transaction.atomic
def survey_submit(*, application: Application, answers: Sequence[int], comment: str = "", actor) -> SurveyResponse:
    """The applicant's SKM survey for a finished file: nine answers 1-4, once per application."""
    if actor is None or actor.pk != application.applicant_id:
        raise PermissionDenied(_("Hanya pemohon yang dapat mengisi survei berkas ini."))
    if _state(application) not in SURVEY_STATES:
        raise ValidationError(_("Survei kepuasan dapat diisi setelah permohonan selesai."))
    answers = list(answers)
    if len(answers) != 9 or any(isinstance(a, bool) or not isinstance(a, int) or not 1 <= a <= 4 for a in answers):
        raise ValidationError({"answers": _("Jawab kesembilan pertanyaan dengan nilai 1 sampai 4.")})
    if SurveyResponse.objects.filter(tenant_id=application.tenant_id, application=application).exists():
        raise ValidationError(_("Survei untuk permohonan ini sudah diisi. Terima kasih."))
    response = SurveyResponse.objects.create(
        tenant=application.tenant, application=application, permit_type_id=application.permit_type_id,
        comment=(comment or "").strip()[:2000], **{f"u{i}": a for i, a in enumerate(answers, 1)},
    )
    audit_record(tenant=application.tenant, actor=actor, action="permits.survey", obj=response, data={})
    return response
