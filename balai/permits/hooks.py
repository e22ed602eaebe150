"""The permits module's guards and effects on the workflow engine, who may open its files there, its paid
handler, download rules and document kinds. Registered from `PermitsConfig.ready` (see `register`).

Guards (`guard(instance=, action=, actor=, data=)` → None or the refusal message):
    permits.complete                 every required answer valid, every mandatory document uploaded
    permits.inspection_allowed       the type may be inspected (inspection is not "never")
    permits.no_inspection_needed     the type's rule does not require an inspection for this file
    permits.needs_recommendation     the type needs a technical recommendation
    permits.no_recommendation_needed the type does not
    permits.inspection_recorded      a report was recorded in the current visit of "inspection"
    permits.bill_paid                the fee was computed and is either zero (no bill) or its bill is paid
    permits.no_fee                   the fee was computed as zero and no bill exists
    permits.fiktif_positif           the type allows deemed approval on SLA breach
Effects (`effect(instance=, transition=, actor=, data=)`, inside the transition):
    permits.bill_create     compute the fee from the pinned version and the form; bill it (none for Rp 0)
    permits.issue_permit    issue the signed permit document, set valid_from/valid_until (a renewal
                            continues from the day after the permit it renews ends)
    permits.revoke_permit   revoke the permit document with the transition's comment as reason
    permits.cancel_bill     cancel an unpaid bill (withdrawal, rejection)
The paid handler also issues the payment's receipt, a document of kind "permits.receipt".
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from balai.core.workflow.models import WorkflowInstance

log = logging.getLogger(__name__)

PERMIT_TEMPLATE = """<h1 class="judul">{{ title|upper }}</h1>
<p class="nomor">Nomor: {{ number }}</p>
<p>Berdasarkan permohonan nomor registrasi {{ registration_number }}, {{ pemda }} memberikan
{{ permit_type }} kepada:</p>
<table class="data">
  <tr><th>Nama pemegang izin</th><td>{{ holder_name }}</td></tr>
  {% if recipient_id %}<tr><th>NIK</th><td>{{ recipient_id }}</td></tr>{% endif %}
  {% if business_name %}<tr><th>Nama usaha</th><td>{{ business_name }}</td></tr>{% endif %}
  {% if business_nib %}<tr><th>NIB</th><td>{{ business_nib }}</td></tr>{% endif %}
</table>
<p>dengan keterangan sebagai berikut:</p>
<table class="data">
  {% for label, value in fields %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}
  {% if fee_amount %}<tr><th>Retribusi/pajak dibayar</th><td>Rp {{ fee_display }}</td></tr>{% endif %}
</table>
<p>Izin ini berlaku sejak {{ valid_from|date:"j F Y" }}{% if valid_until %} sampai dengan {{ valid_until|date:"j F Y" }}{% else %} selama kegiatan berlangsung sesuai ketentuan{% endif %}.</p>
<div class="ttd">
  <p>{{ place }}, {{ issued_at|date:"j F Y" }}</p>
  <p>{{ signer_position }}</p>
  <p class="ttd-elektronik">Ditandatangani secara elektronik</p>
  <p class="ttd-nama">{{ signer_name }}</p>
</div>
"""

RECEIPT_TEMPLATE = """<h1 class="judul">{{ title|upper }}</h1>
<p class="nomor">Nomor: {{ number }}</p>
<p>{{ pemda }} telah menerima pembayaran retribusi dengan keterangan sebagai berikut:</p>
<table class="data">
  <tr><th>Nomor registrasi permohonan</th><td>{{ registration_number }}</td></tr>
  <tr><th>Jenis izin</th><td>{{ permit_type }}</td></tr>
  <tr><th>Pembayar</th><td>{{ recipient_name }}</td></tr>
  {% if recipient_id %}<tr><th>NIK</th><td>{{ recipient_id }}</td></tr>{% endif %}
  <tr><th>Kode bayar</th><td>{{ billing_code }}</td></tr>
  <tr><th>Jumlah dibayar</th><td>Rp {{ amount_display }}</td></tr>
  {% if paid_at %}<tr><th>Waktu pembayaran</th><td>{{ paid_at|date:"j F Y H.i" }}</td></tr>{% endif %}
  {% if description %}<tr><th>Uraian</th><td>{{ description }}</td></tr>{% endif %}
</table>
<p>Bukti ini diterbitkan secara elektronik dan sah tanpa tanda tangan basah. Keasliannya dapat diperiksa
dengan memindai kode QR.</p>
<div class="ttd">
  <p>{{ place }}, {{ issued_at|date:"j F Y" }}</p>
  <p>{{ signer_position }}</p>
  {% if signer_name %}<p class="ttd-nama">{{ signer_name }}</p>{% endif %}
</div>
"""
DOCUMENT_PURPOSES = "documents.permits."


def _application(instance: WorkflowInstance):
    from .models import Application

    return (
        Application.objects.select_related("permit_type", "type_version", "bill", "tenant")
        .filter(tenant_id=instance.tenant_id, workflow_id=instance.pk)
        .first()
    )


# --- guards ------------------------------------------------------------------------------------------


def _complete(*, instance, action, actor, data):
    from .services import completeness_errors

    app = _application(instance)
    if app is None:
        return _("Berkas ini bukan permohonan izin.")
    errors = completeness_errors(app)
    if errors:
        return _("Permohonan belum lengkap: %(items)s") % {"items": "; ".join(errors.values())}
    return None


def _inspection_allowed(*, instance, action, actor, data):
    app = _application(instance)
    if app is None or app.permit_type.inspection == "never":
        return _("Jenis izin ini tidak memerlukan survei lapangan.")
    return None


def _no_inspection_needed(*, instance, action, actor, data):
    from .services import inspection_needed

    app = _application(instance)
    if app is None or inspection_needed(app):
        return _(
            "Berkas ini wajib survei lapangan menurut aturan jenis izinnya. Pilih “lanjut survei lapangan”."
        )
    return None


def _needs_recommendation(*, instance, action, actor, data):
    app = _application(instance)
    if app is None or not app.permit_type.needs_recommendation:
        return _("Jenis izin ini tidak memerlukan rekomendasi teknis.")
    return None


def _no_recommendation_needed(*, instance, action, actor, data):
    app = _application(instance)
    if app is None or app.permit_type.needs_recommendation:
        return _("Jenis izin ini memerlukan rekomendasi teknis lebih dulu.")
    return None


def _inspection_recorded(*, instance, action, actor, data):
    from .models import Inspection

    app = _application(instance)
    if (
        app is None
        or not Inspection.objects.filter(
            tenant_id=instance.tenant_id, application=app, recorded_at__gte=instance.state_entered_at
        ).exists()
    ):
        return _("Simpan laporan survei lapangan lebih dulu.")
    return None


def bill_settled(app) -> bool:
    """True when the fee was computed and is either zero (no bill) or fully paid by its bill."""
    from balai.core.payments.models import Bill

    if app is None or app.fee_amount is None:
        return False
    if app.fee_amount == 0:
        return app.bill_id is None
    bill = app.bill
    return bill is not None and bill.status == Bill.Status.PAID and bill.amount == app.fee_amount


def _bill_paid(*, instance, action, actor, data):
    app = _application(instance)
    if not bill_settled(app):
        return _("Retribusi permohonan ini belum lunas. Izin baru dapat diproses setelah tagihan dibayar.")
    return None


def _no_fee(*, instance, action, actor, data):
    app = _application(instance)
    if app is None or app.fee_amount != 0 or app.bill_id is not None:
        return _("Permohonan ini dikenai retribusi; tunggu pembayarannya.")
    return None


def _fiktif_positif(*, instance, action, actor, data):
    app = _application(instance)
    if app is None or not app.permit_type.fiktif_positif or app.permit_type.escalation != "auto_approve":
        return _("Jenis izin ini tidak berlaku fiktif positif.")
    return None


# --- effects -----------------------------------------------------------------------------------------


def _bill_create(*, instance, transition, actor, data):
    """Compute the fee from the pinned version and create the bill (none for Rp 0)."""
    from balai.core.payments.models import Bill
    from balai.core.payments.services import bill_create

    from .models import Application
    from .services import BILL_PURPOSE, fee_quote

    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("permit_type", "type_version", "bill", "tenant", "applicant")
        .get(tenant_id=instance.tenant_id, workflow_id=instance.pk)
    )
    quote = fee_quote(version=app.type_version, form_data=app.form_data)
    amount = int(quote.amount)
    app.fee_amount = amount
    app.fee_lines = [[str(label), int(value)] for label, value in quote.lines]
    app.fee_explanation = str(quote.explanation or "")[:4000]
    fields = ["fee_amount", "fee_lines", "fee_explanation"]
    if amount > 0 and (app.bill is None or app.bill.status in (Bill.Status.CANCELLED, Bill.Status.EXPIRED)):
        app.bill = bill_create(
            tenant=app.tenant,
            purpose=BILL_PURPOSE,
            amount=amount,
            payer_name=app.business_name or app.applicant_name,
            payer_id=app.applicant_nik or None,
            subject=app,
            payer_user=app.applicant,
            actor=actor,
            description=_("Retribusi %(type)s, %(number)s")
            % {"type": app.permit_type.name, "number": app.registration_number},
        )
        fields.append("bill")
    app.save(update_fields=fields)
    if amount == 0:
        # Every route into payment (including escalations) moves on; services do it at once themselves.
        pk, tenant_id = instance.pk, instance.tenant_id
        transaction.on_commit(lambda: _advance_free_after_commit(pk, tenant_id), robust=True)


def _advance_free_after_commit(instance_pk: int, tenant_id: int) -> None:
    from balai.core.workflow.services import TransitionDenied, transition

    instance = (
        WorkflowInstance.objects.select_related("tenant").filter(pk=instance_pk, tenant_id=tenant_id).first()
    )
    if instance is None or instance.state != "awaiting_payment":
        return
    try:
        transition(instance=instance, action="no_fee", actor=None)
    except TransitionDenied:
        log.warning("Application workflow %s could not skip payment", instance_pk)


def _issue_permit(*, instance, transition, actor, data):
    """Issue the permit document, signed by the signer, and set the validity. Refuses (undoing the whole
    transition) unless the fee is settled: the workflow's guard says so too, but a definition written into
    the database by hand skips the checks made when an override is saved."""
    from balai.core.documents.services import document_issue
    from balai.core.workdays.selectors import calendar_for
    from balai.core.workflow.services import TransitionDenied

    from . import requirements
    from .models import Application
    from .services import validity_start, validity_until

    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related(
            "permit_type",
            "type_version",
            "tenant",
            "permit_type__unit",
            "renewal_of",
            "renewal_of__workflow",
            "bill",
        )
        .get(tenant_id=instance.tenant_id, workflow_id=instance.pk)
    )
    if app.permit_document_id is not None:
        return
    if not bill_settled(app):
        raise TransitionDenied(
            _(
                "Izin tidak dapat diterbitkan karena retribusi permohonan ini belum lunas. Tunggu sampai tagihannya "
                "dibayar, lalu tandatangani lagi."
            ),
            code="guard",
        )
    permit_type = app.permit_type
    from balai.core.workflow import clock

    valid_from = validity_start(application=app, issued_on=calendar_for(app.tenant).local_date(clock.now()))
    valid_until = validity_until(valid_from=valid_from, months=permit_type.validity_months)
    fields = [
        [spec["label"], requirements.display_value(spec, app.form_data.get(spec["code"]))]
        for spec in app.type_version.form_fields
        if spec["code"] in app.form_data
    ]
    document = document_issue(
        tenant=app.tenant,
        kind=permit_type.document_kind,
        title=permit_type.name,
        template_context={
            "permit_type": permit_type.name,
            "registration_number": app.registration_number,
            "holder_name": app.applicant_name,
            "business_name": app.business_name,
            "business_nib": app.business_nib,
            "fields": fields,
            "fee_amount": app.fee_amount or 0,
            "fee_display": f"{app.fee_amount or 0:,}".replace(",", "."),
            "valid_from": valid_from,
        },
        recipient_name=app.business_name or app.applicant_name,
        recipient_id=app.applicant_nik or None,
        subject=app,
        valid_until=valid_until,
        signer=actor,
        unit_code=(permit_type.unit.code if permit_type.unit_id else "DPMPTSP"),
        actor=actor,
    )
    app.permit_document, app.valid_from, app.valid_until = document, valid_from, valid_until
    app.save(update_fields=["permit_document", "valid_from", "valid_until"])


def _revoke_permit(*, instance, transition, actor, data):
    from balai.core.accounts.models import User
    from balai.core.documents.services import document_revoke

    app = _application(instance)
    if app is None or app.permit_document_id is None:
        return
    officer = User.objects.filter(pk=(data or {}).get("officer_id")).first() if data else None
    document_revoke(
        document=app.permit_document,
        reason=transition.comment,
        actor=officer or actor,
        by_issuing_module=True,
    )


def _cancel_bill(*, instance, transition, actor, data):
    from balai.core.payments.models import Bill
    from balai.core.payments.services import bill_cancel

    app = _application(instance)
    if app is not None and app.bill is not None and app.bill.status == Bill.Status.UNPAID:
        bill_cancel(
            bill=app.bill,
            actor=actor,
            reason=_("Permohonan %(number)s: %(action)s")
            % {"number": app.registration_number, "action": transition.action},
        )


# --- payments, files, documents ----------------------------------------------------------------------


def on_bill_paid(bill) -> None:
    """Paid handler (after the payment's commit): move the file from awaiting payment to approval, then
    issue the payment's receipt document. A receipt that cannot be issued now (no PDF engine, say) does
    not hold the file back: it is logged, and `services.application_receipt_issue` can issue it later."""
    from balai.core.workflow.services import TransitionDenied, transition

    from .models import Application

    app = (
        Application.objects.select_related("workflow", "workflow__tenant")
        .filter(tenant_id=bill.tenant_id, bill=bill)
        .first()
    )
    if app is None or app.workflow is None:
        return
    if app.workflow.state == "awaiting_payment":
        try:
            transition(
                instance=app.workflow,
                action="paid",
                actor=None,
                comment=_("Pembayaran %(code)s diterima.") % {"code": bill.code},
            )
        except TransitionDenied:
            log.warning("Paid bill %s did not move application %s on", bill.code, app.pk)
    _issue_receipt(app)


def _issue_receipt(app) -> None:
    from django.core.exceptions import ValidationError

    from .services import application_receipt_issue

    try:
        application_receipt_issue(application=app, actor=None)
    except ValidationError:
        return  # not paid in full: no receipt
    except Exception:  # noqa: BLE001 - the payment stands; the receipt can be issued again later
        log.exception("The receipt of application %s could not be issued", app.pk)


def may_view_files(*, tenant, user) -> bool:
    """Who opens permit files on the workflow engine's pages (a file's page, the shared inbox): the same
    people as in the back office (`selectors_office.may_open_files`)."""
    from .selectors_office import may_open_files

    return may_open_files(tenant=tenant, user=user)


def may_download_document(user, tenant, stored_file) -> bool:
    """A document the module issues (purpose "documents.permits.<kind>": the permit, the receipt and any
    other kind; each is issued with its application as subject): the applicant of the file it was issued
    for and the current representatives of its business, the permits staff and the inspectorate; not
    officers of other modules, nor the tenant's administrator as such."""
    from django.contrib.contenttypes.models import ContentType

    from balai.core.documents.models import IssuedDocument

    from .models import Application
    from .selectors_business import may_follow
    from .selectors_office import may_open_files

    if may_open_files(tenant=tenant, user=user):
        return True
    subject_ids = IssuedDocument.objects.filter(
        tenant=tenant, pdf_file=stored_file, subject_type=ContentType.objects.get_for_model(Application)
    ).values_list("subject_id", flat=True)
    ids = [int(i) for i in subject_ids if i.isdigit()]
    return any(
        app.applicant_id == user.pk or may_follow(user=user, application=app)
        for app in Application.objects.filter(tenant=tenant, pk__in=ids)
    )


def may_download(user, tenant, stored_file) -> bool:
    """Requirement documents (identity cards...) and inspection photos: the applicant of the file, the
    permits staff and the inspectorate; not officers of other modules."""
    from .models import Application, ApplicationDocument
    from .selectors_office import may_open_files

    if may_open_files(tenant=tenant, user=user):
        return True
    application_ids = ApplicationDocument.objects.filter(tenant=tenant, file=stored_file).values(
        "application_id"
    )
    return Application.objects.filter(tenant=tenant, pk__in=application_ids, applicant=user).exists()


def register() -> None:
    from balai.core.documents.kinds import DocumentKind, kind_register
    from balai.core.files.rules import register_download_rule
    from balai.core.payments.services import register_paid_handler
    from balai.core.workflow.definitions import register_effect, register_guard, register_workflow

    from .workflow import DEFINITIONS, INVARIANTS

    for name, fn in (
        ("permits.complete", _complete),
        ("permits.inspection_allowed", _inspection_allowed),
        ("permits.no_inspection_needed", _no_inspection_needed),
        ("permits.needs_recommendation", _needs_recommendation),
        ("permits.no_recommendation_needed", _no_recommendation_needed),
        ("permits.inspection_recorded", _inspection_recorded),
        ("permits.bill_paid", _bill_paid),
        ("permits.no_fee", _no_fee),
        ("permits.fiktif_positif", _fiktif_positif),
    ):
        register_guard(name, fn)
    for name, fn in (
        ("permits.bill_create", _bill_create),
        ("permits.issue_permit", _issue_permit),
        ("permits.revoke_permit", _revoke_permit),
        ("permits.cancel_bill", _cancel_bill),
    ):
        register_effect(name, fn)
    from .services_tracking import on_workflow_change

    for data in DEFINITIONS:
        register_workflow(
            data,
            subject_url=_subject_url,
            on_change=on_workflow_change,
            may_view=may_view_files,
            invariants=INVARIANTS,
        )
    register_paid_handler("permits", on_bill_paid)
    register_download_rule("permits.", may_download)
    register_download_rule(DOCUMENT_PURPOSES, may_download_document)
    kind_register(
        DocumentKind(
            code="permits.permit",
            name="Surat Izin",
            prefix="503",
            default_body=PERMIT_TEMPLATE,
            revoke_via=permit_revoke_page,
        )
    )
    # 974: retribusi daerah in the regional archive classification.
    kind_register(
        DocumentKind(
            code="permits.receipt",
            name="Bukti Pembayaran Retribusi",
            prefix="974",
            default_body=RECEIPT_TEMPLATE,
        )
    )


def permit_revoke_page(document) -> str | None:
    """Where a permit issued for a file is revoked: the file's office page (its "Cabut izin" panel), so
    that revoking records the reason, moves the file to "revoked", tells the holder and shows on the
    tracking page. None for a document of this kind no permit file holds (the administrator revokes it)."""
    from django.urls import reverse

    from .models import Application

    app = (
        Application.objects.filter(tenant_id=document.tenant_id, permit_document=document).only("pk").first()
    )
    if app is None:
        return None
    url = reverse("permits:office_detail", kwargs={"tenant": document.tenant.slug, "pk": app.pk})
    return f"{url}#revoke-title"


def _subject_url(instance) -> str:
    """The back-office page of a file, once the module's pages exist (empty until then)."""
    from django.urls import NoReverseMatch, reverse

    from .models import Application

    app = Application.objects.filter(tenant_id=instance.tenant_id, workflow_id=instance.pk).only("pk").first()
    if app is None:
        return ""
    try:
        return reverse("permits:office_detail", kwargs={"tenant": instance.tenant.slug, "pk": app.pk})
    except NoReverseMatch:
        return ""
