"""Writes of complaints (pengaduan): an applicant complains about his file, the office answers.

Who answers: holders of `ANSWER_PERM` (the front desk, which runs the complaints desk, the verifiers, who
know where a file stands, and the approvers, the heads who answer for the office). Inspectors and signers
read complaints like every permits officer; the inspectorate reads them too; nobody else sees them.

A complaint is answered once. The answer is a public statement of the office to the applicant, recorded
on the audit chain: it is not edited or replaced afterwards. If the applicant is not satisfied he files
another complaint, which joins the open ones again (the spec says nothing here; this is the simplest rule
that keeps every statement as it was sent).

Notifications: a new complaint goes to whoever may answer it in the unit that handles the permit type
(its sub-units included; everyone who may answer in the tenant when that unit has none of them), the
officer who holds the file now, and the head of that unit in the organisation structure; an answer goes
to the applicant. Templates "permits.complaint_received" and "permits.complaint_answered" (registered
by `register()` from PermitsConfig.ready).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.core.accounts.models import User
from balai.core.accounts.selectors import user_has_perm
from balai.core.audit.services import audit_record, audit_refusal_soon
from balai.core.notifications.services import notify
from balai.core.workflow.services import holders_of

from .models import Application, Complaint

ANSWER_PERM = "permits.complaint_answer"
MAX_LENGTH = 4000
MIN_COMPLAINT_LENGTH = 10
RECEIVED_TEMPLATE = "permits.complaint_received"
ANSWERED_TEMPLATE = "permits.complaint_answered"


class ComplaintAlreadyAnswered(ValidationError):
    """The complaint has its answer already; a second one is refused (see the module docstring)."""

    def __init__(self, message):
        super().__init__(message, code="already_answered")


def may_answer(*, tenant, user) -> bool:
    """Whether `user` may answer the tenant's complaints."""
    return (
        user is not None
        and user.is_authenticated
        and user_has_perm(user=user, tenant=tenant, perm=ANSWER_PERM)
    )


# --- the applicant complains -------------------------------------------------------------------------


def complaint_create(*, application: Application, text: str, actor) -> Complaint:
    """A complaint by the applicant about his submitted file.

    Guarantees: only the applicant of the file, only once it is submitted; the text is 10 to 4000
    characters; the complaint, its audit entry and the notifications to the office are written together
    or not at all."""
    if actor is None or actor.pk != application.applicant_id:
        raise PermissionDenied(_("Hanya pemohon yang dapat mengadukan berkasnya."))
    if application.workflow_id is None:
        raise ValidationError(
            _(
                "Permohonan ini masih draf. Pengaduan dapat diajukan setelah permohonan diajukan dan mendapat nomor registrasi."
            )
        )
    text = (text or "").strip()
    if len(text) < MIN_COMPLAINT_LENGTH:
        raise ValidationError(
            {"text": _("Tuliskan pengaduan Anda: apa yang terjadi dan apa yang Anda harapkan.")}
        )
    if len(text) > MAX_LENGTH:
        raise ValidationError({"text": _("Pengaduan paling banyak 4000 karakter. Persingkat isinya.")})
    with transaction.atomic():
        complaint = Complaint.objects.create(
            tenant=application.tenant, application=application, author=actor, text=text
        )
        audit_record(
            tenant=application.tenant,
            actor=actor,
            action="permits.complaint",
            obj=complaint,
            data={"application": application.pk},
        )
        notify(
            tenant=application.tenant,
            recipients=[u for u in complaint_handlers(application=application) if u.pk != actor.pk],
            template=RECEIVED_TEMPLATE,
            context={
                "registration_number": application.registration_number,
                "permit_type": application.permit_type.name,
                "excerpt": _excerpt(text),
                "link": _office_link(complaint),
            },
            actor=actor,
        )
    return complaint


def complaint_handlers(*, application: Application) -> list[User]:
    """Who is told of a new complaint about `application`: those who may answer it in the unit of its
    permit type (or in the tenant, when that unit has none), the officer holding the file, and the head
    of that unit. Active accounts only; each person once."""
    tenant = application.tenant
    answering = holders_of(tenant=tenant, roles=_answering_roles())
    unit = application.permit_type.unit
    head = None
    if unit is not None:
        from balai.core.orgs.selectors import unit_user_ids

        in_unit = unit_user_ids(tenant=tenant, unit=unit)
        answering = [u for u in answering if u.pk in in_unit] or answering
        head = _unit_head_user(tenant=tenant, unit=unit)
    holder = application.workflow.assignee if application.workflow_id else None
    people: list[User] = []
    for user in [*answering, holder, head]:
        if user is not None and user.is_active and all(p.pk != user.pk for p in people):
            people.append(user)
    return people


def _answering_roles() -> list[str]:
    from balai.core import registry

    return [role.code for role in registry.module("permits").roles if ANSWER_PERM in role.permissions]


def _unit_head_user(*, tenant, unit) -> User | None:
    from balai.core.orgs.selectors import unit_head

    head = unit_head(tenant=tenant, unit=unit)
    return head.user if head is not None and head.user_id else None


# --- the office answers ------------------------------------------------------------------------------


def complaint_respond(*, complaint: Complaint, response: str, actor) -> Complaint:
    """The office's answer to a complaint.

    Guarantees: only a holder of `ANSWER_PERM` in the complaint's tenant (PermissionDenied, audited);
    an empty answer is refused (ValidationError on "response"); a complaint is answered once
    (ComplaintAlreadyAnswered, audited; two officers answering at the same moment: the second is
    refused); the answer, its audit entry and the applicant's notification are written together.
    `complaint` is updated in place and returned."""
    tenant = complaint.tenant
    if not may_answer(tenant=tenant, user=actor):
        _audit_refusal(complaint, actor, "role")
        raise PermissionDenied(
            _("Hanya petugas loket, verifikator atau pejabat perizinan yang dapat menjawab pengaduan.")
        )
    response = (response or "").strip()
    if not response:
        raise ValidationError(
            {"response": _("Tulis jawaban untuk pemohon: apa yang sudah atau akan dilakukan kantor.")}
        )
    if len(response) > MAX_LENGTH:
        raise ValidationError({"response": _("Jawaban paling banyak 4000 karakter. Persingkat isinya.")})
    try:
        with transaction.atomic():
            locked = (
                Complaint.objects.select_for_update()
                .select_related("application", "application__permit_type", "author")
                .get(tenant=tenant, pk=complaint.pk)
            )
            if locked.status != Complaint.Status.OPEN:
                raise ComplaintAlreadyAnswered(
                    _(
                        "Pengaduan ini sudah dijawab pada %(date)s. Jawaban tidak dapat diubah; bila pemohon belum puas, ia dapat mengajukan pengaduan baru."
                    )
                    % {
                        "date": timezone.localtime(locked.responded_at).strftime("%d-%m-%Y %H:%M")
                        if locked.responded_at
                        else "-"
                    }
                )
            locked.response, locked.responded_by, locked.responded_at = response, actor, timezone.now()
            locked.status = Complaint.Status.ANSWERED
            locked.save(update_fields=["response", "responded_by", "responded_at", "status"])
            audit_record(
                tenant=tenant,
                actor=actor,
                action="permits.complaint_respond",
                obj=locked,
                data={"application": locked.application_id, "status": locked.status},
            )
            application = locked.application
            notify(
                tenant=tenant,
                recipients=[locked.author],
                template=ANSWERED_TEMPLATE,
                context={
                    "registration_number": application.registration_number,
                    "permit_type": application.permit_type.name,
                    "response": response,
                    "link": _applicant_link(application),
                },
                actor=actor,
            )
    except ComplaintAlreadyAnswered:
        _audit_refusal(complaint, actor, "already_answered")
        raise
    for field in ("response", "responded_by", "responded_at", "status"):
        setattr(complaint, field, getattr(locked, field))
    return complaint


def _audit_refusal(complaint: Complaint, actor, reason: str) -> None:
    audit_refusal_soon(
        tenant=complaint.tenant,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="permits.complaint_respond_refused",
        obj=complaint,
        data={"reason": reason},
    )


# --- helpers -----------------------------------------------------------------------------------------


def _excerpt(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _office_link(complaint: Complaint) -> str:
    try:
        return reverse(
            "permits:office_complaint_detail", kwargs={"tenant": complaint.tenant.slug, "pk": complaint.pk}
        )
    except NoReverseMatch:  # pragma: no cover - the module's pages are mounted
        return ""


def _applicant_link(application: Application) -> str:
    try:
        return reverse(
            "permits:applicant_detail", kwargs={"tenant": application.tenant.slug, "pk": application.pk}
        )
    except NoReverseMatch:  # pragma: no cover - the module's pages are mounted
        return ""


# --- notification templates --------------------------------------------------------------------------

def _templates():
    from balai.core.notifications.defaults import SIGNATURE_EN, SIGNATURE_ID, TemplateSpec

    received = TemplateSpec(
        code=RECEIVED_TEMPLATE,
        label=gettext_lazy("Pengaduan baru tentang berkas izin"),
        sample={
            "registration_number": "REG-3673-2026-000123",
            "permit_type": "Izin Reklame",
            "excerpt": "Sudah lima hari berkas saya belum diverifikasi.",
            "link": "/kota-serang/izin/kantor/pengaduan/1/",
        },
        texts={
            ("", "id"): (
                "Pengaduan baru: {{ registration_number }}",
                "Yth. {{ recipient_name }},\n\nPemohon {{ permit_type }} nomor {{ registration_number }} mengajukan pengaduan:"
                '\n\n"{{ excerpt }}"\n\nJawab pengaduan ini; jawabannya tampil kepada pemohon di halaman permohonannya.'
                "{% if url %}\n\nBuka: {{ url }}{% endif %}" + SIGNATURE_ID,
            ),
            ("", "en"): (
                "New complaint: {{ registration_number }}",
                "Dear {{ recipient_name }},\n\nThe applicant of {{ permit_type }} number {{ registration_number }} filed a complaint:"
                '\n\n"{{ excerpt }}"\n\nAnswer it; the applicant reads the answer on the application\'s page.'
                "{% if url %}\n\nOpen: {{ url }}{% endif %}" + SIGNATURE_EN,
            ),
            ("sms", "id"): (
                "",
                "{{ tenant_name }}: pengaduan baru tentang berkas {{ registration_number }}. Jawab di Balai.",
            ),
            ("sms", "en"): (
                "",
                "{{ tenant_name }}: new complaint about file {{ registration_number }}. Answer it on Balai.",
            ),
        },
    )
    answered = TemplateSpec(
        code=ANSWERED_TEMPLATE,
        label=gettext_lazy("Pengaduan dijawab"),
        sample={
            "registration_number": "REG-3673-2026-000123",
            "permit_type": "Izin Reklame",
            "response": "Berkas Anda sudah diverifikasi hari ini dan diteruskan ke survei lapangan.",
            "link": "/kota-serang/izin/saya/1/",
        },
        texts={
            ("", "id"): (
                "Pengaduan Anda tentang {{ registration_number }} sudah dijawab",
                "Yth. {{ recipient_name }},\n\nKantor pelayanan menjawab pengaduan Anda tentang {{ permit_type }} nomor "
                '{{ registration_number }}:\n\n"{{ response }}"\n\nBila belum puas, Anda dapat mengajukan pengaduan baru '
                "dari halaman permohonan.{% if url %}\n\nBuka: {{ url }}{% endif %}" + SIGNATURE_ID,
            ),
            ("", "en"): (
                "Your complaint about {{ registration_number }} has been answered",
                "Dear {{ recipient_name }},\n\nThe service office answered your complaint about {{ permit_type }} number "
                '{{ registration_number }}:\n\n"{{ response }}"\n\nIf you are not satisfied, you may file a new complaint '
                "from the application's page.{% if url %}\n\nOpen: {{ url }}{% endif %}" + SIGNATURE_EN,
            ),
            ("sms", "id"): (
                "",
                "{{ tenant_name }}: pengaduan Anda tentang {{ registration_number }} sudah dijawab. Baca di Balai.",
            ),
            ("sms", "en"): (
                "",
                "{{ tenant_name }}: your complaint about {{ registration_number }} was answered. Read it on Balai.",
            ),
        },
    )
    return received, answered


def register() -> None:
    from balai.core.notifications.defaults import register as register_template

    for spec in _templates():
        register_template(spec)
