"""Writes on documents: templates (new version per edit), letterheads, number formats, issuing and
revoking documents.

`document_issue` is the one way a module issues a document: in one transaction it takes the next
number, renders the tenant's template under its letterhead with the verification QR code, signs the
PDF (PAdES), stores it, records it and writes the audit entry. If anything fails, nothing is kept and
no number is used up.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.core.audit.services import audit_record, audit_refusal_soon
from balai.core.files.services import file_store_bytes
from balai.core.orgs.selectors import assignment_current, employee_for_user
from balai.core.tenants.models import Tenant

from . import pdf, sandbox, signing
from .kinds import KIND_RE, kind_get, revoke_page
from .letterhead import letterhead_context
from .masking import mask_identifier
from .models import DocumentTemplate, IssuedDocument, Letterhead, NumberFormat, NumberSequence
from .selectors import letterhead_for, number_format_for, template_current, tenant_zone


def _audit(**kwargs) -> None:
    audit_record(**kwargs)


def _check_kind(kind: str) -> None:
    if not KIND_RE.match(kind or ""):
        raise ValidationError(
            {"kind": _("Jenis dokumen harus berbentuk modul.nama, misalnya permits.permit.")}
        )


# --- numbering ---


def number_next(*, tenant: Tenant, kind: str, year: int) -> int:
    """The next number of a kind in a year, without gaps or duplicates under concurrent issuing.

    Must run inside the issuing transaction: the sequence row stays locked (SELECT ... FOR UPDATE)
    until that transaction ends, so a second issuer waits, and a rolled-back issue gives its number
    back. The row is created on first use; two first users racing both end up on the one row
    (get_or_create catches the IntegrityError of the loser and reads the winner's row, locked).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next must be called inside the transaction that uses the number.")
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        tenant=tenant, kind=kind, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def number_render(*, pattern: str, prefix: str, seq: int, unit: str, year: int) -> str:
    try:
        return pattern.format(prefix=prefix, seq=seq, unit=unit, year=year)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(
            {
                "pattern": _(
                    "Pola nomor tidak dapat dipakai (%(error)s). Gunakan {prefix}, {seq:04d}, {unit} dan {year}, "
                    "misalnya {prefix}/{seq:04d}/{unit}/{year}."
                )
                % {"error": exc}
            }
        ) from exc


@transaction.atomic
def number_format_set(*, tenant: Tenant, kind: str, pattern: str, prefix: str, actor) -> NumberFormat:
    """Set how a kind's numbers are written. Guarantees the pattern formats and yields distinct numbers."""
    _check_kind(kind)
    first = number_render(pattern=pattern, prefix=prefix, seq=1, unit="UNIT", year=2026)
    if first == number_render(pattern=pattern, prefix=prefix, seq=2, unit="UNIT", year=2026):
        raise ValidationError(
            {"pattern": _("Pola nomor harus memuat {seq}, misalnya {prefix}/{seq:04d}/{unit}/{year}.")}
        )
    row, _created = NumberFormat.objects.update_or_create(
        tenant=tenant, kind=kind, defaults={"pattern": pattern, "prefix": prefix}
    )
    _audit(
        tenant=tenant,
        actor=actor,
        action="documents.number_format_set",
        obj=row,
        data={"kind": kind, "pattern": pattern, "prefix": prefix},
    )
    return row


# --- templates and letterheads ---


@transaction.atomic
def template_save(*, tenant: Tenant, kind: str, name: str, body: str, actor) -> DocumentTemplate:
    """Save a template as a new version of its kind (documents already issued keep the version they pinned).

    Guarantees the body compiles in the sandbox (ValidationError on "body" otherwise); an unchanged
    template creates no new version.
    """
    _check_kind(kind)
    name, body = (name or "").strip(), body or ""
    if not name:
        raise ValidationError({"name": _("Isi nama templat, misalnya Surat Izin Usaha.")})
    try:
        sandbox.compile_template(body)
    except ValidationError as exc:
        raise ValidationError({"body": exc.messages}) from exc
    current = template_current(tenant=tenant, kind=kind)
    if current is not None and current.name == name and current.body == body:
        return current
    version = (
        DocumentTemplate.objects.filter(tenant=tenant, kind=kind).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    try:
        with transaction.atomic():
            template = DocumentTemplate.objects.create(
                tenant=tenant, kind=kind, version=version, name=name, body=body, created_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            _(
                "Templat ini baru saja diubah orang lain. Muat ulang halaman, periksa perubahannya, lalu simpan lagi."
            )
        ) from None
    _audit(
        tenant=tenant,
        actor=actor,
        action="documents.template_save",
        obj=template,
        data={"kind": kind, "version": version},
    )
    return template


def _template_for_issue(*, tenant: Tenant, kind: str) -> DocumentTemplate:
    current = template_current(tenant=tenant, kind=kind)
    if current is not None:
        return current
    spec = kind_get(kind)
    try:
        with transaction.atomic():
            return DocumentTemplate.objects.create(
                tenant=tenant, kind=kind, version=1, name=spec.name, body=spec.default_body
            )
    except IntegrityError:  # another issuer created version 1 at the same moment
        return template_current(tenant=tenant, kind=kind)


@transaction.atomic
def letterhead_save(*, tenant: Tenant, html: str, css: str, actor) -> Letterhead:
    """Save the tenant's letterhead. Guarantees the HTML compiles in the sandbox."""
    try:
        sandbox.compile_template(html or "")
    except ValidationError as exc:
        raise ValidationError({"html": exc.messages}) from exc
    row, _created = Letterhead.objects.update_or_create(
        tenant=tenant, defaults={"html": html, "css": css or "", "updated_by": actor}
    )
    _audit(tenant=tenant, actor=actor, action="documents.letterhead_save", obj=row)
    return row


# --- issuing and revoking ---


def _new_code() -> str:
    # 80 random bits as 16 base32 characters (A-Z, 2-7): unguessable and easy to type from paper.
    while True:
        code = base64.b32encode(secrets.token_bytes(10)).decode()
        if not IssuedDocument.objects.filter(code=code).exists():
            return code


def _signer_snapshot(*, tenant: Tenant, officer) -> tuple[str, str]:
    name = (getattr(officer, "full_name", "") or getattr(officer, "email", "") or "").strip()
    position = ""
    employee = employee_for_user(tenant=tenant, user=officer)
    if employee is not None:
        name = employee.full_name or name
        assignment = assignment_current(tenant=tenant, employee=employee)
        if assignment is not None:
            position = assignment.position.name
    return name, position


def _place(tenant: Tenant) -> str:
    for prefix in ("Kota Administrasi ", "Kabupaten ", "Kota ", "Provinsi "):
        if tenant.name.startswith(prefix):
            return tenant.name[len(prefix) :]
    return tenant.name


@transaction.atomic
def document_issue(
    *,
    tenant: Tenant,
    kind: str,
    title: str,
    template_context: dict[str, Any],
    recipient_name: str,
    recipient_id: str | None = None,
    subject: models.Model | None = None,
    valid_until: datetime.date | None = None,
    signer=None,
    signer_position: str | None = None,
    unit_code: str = "UMUM",
    actor,
) -> IssuedDocument:
    """Issue a signed PDF document and record it for public verification.

    Guarantees, in one transaction: the next gap-free number of (tenant, kind, year); the tenant's
    current template (its version pinned) rendered under the tenant's letterhead with the QR code
    of `/verify/<code>/` and the code under it; a PAdES signature over the final bytes by the
    tenant's certificate; the SHA-256 of exactly the stored bytes; an audit entry. `signer` is the
    officer named as signing (default: `actor`); his name and position are kept as they are today.
    `template_context` must be plain data (str, numbers, dates, lists, dicts). The template sees
    `recipient_id` masked and `recipient_id_full` in full. Raises ValidationError for a bad kind or
    empty recipient, TypeError for context that is not plain data.
    """
    _check_kind(kind)
    recipient_name, title = (recipient_name or "").strip(), (title or "").strip()
    if not recipient_name:
        raise ValidationError({"recipient_name": _("Nama penerima dokumen wajib diisi.")})
    if not title:
        raise ValidationError({"title": _("Judul dokumen wajib diisi.")})
    extra = sandbox.plain(dict(template_context or {}))
    officer = signer or actor
    zone = tenant_zone(tenant)
    issued_at = timezone.now()
    local_issued = timezone.localtime(issued_at, zone)
    year = local_issued.year

    template = _template_for_issue(tenant=tenant, kind=kind)
    seq = number_next(tenant=tenant, kind=kind, year=year)
    pattern, prefix = number_format_for(tenant=tenant, kind=kind)
    number = number_render(pattern=pattern, prefix=prefix, seq=seq, unit=unit_code, year=year)
    code = _new_code()
    signer_name, position = _signer_snapshot(tenant=tenant, officer=officer)
    if signer_position is not None:
        position = signer_position
    masked_id = mask_identifier(recipient_id)

    context = {
        **extra,
        "number": number,
        "title": title,
        "kind": kind,
        "recipient_name": recipient_name,
        "recipient_id": masked_id,
        "recipient_id_full": recipient_id or "",
        "issued_at": local_issued.replace(tzinfo=None),
        "valid_until": valid_until,
        "signer_name": signer_name,
        "signer_position": position,
        "pemda": tenant.name,
        "place": _place(tenant),
        "code": code,
    }
    lh_html, lh_css = letterhead_for(tenant=tenant)
    document = IssuedDocument(
        tenant=tenant,
        code=code,
        kind=kind,
        year=year,
        seq=seq,
        number=number,
        title=title[:255],
        template=template,
        recipient_name=recipient_name[:200],
        recipient_id_masked=masked_id,
        issued_by=officer if getattr(officer, "pk", None) else None,
        issued_by_name=signer_name[:200],
        issued_by_position=position[:200],
        issued_at=issued_at,
        valid_until=valid_until,
    )
    html = pdf.document_html(
        body_source=template.body,
        body_context=context,
        letterhead_html=lh_html,
        letterhead_css=lh_css,
        letterhead_context=letterhead_context(tenant),
        code=code,
        code_display=document.code_display,
        title=title,
    )
    identity = signing.signer_provider().identity_for(tenant=tenant, officer=officer)
    signed = signing.sign_pdf(
        pdf.html_to_pdf(html), identity=identity, reason=f"{title} {number}"[:200], location=_place(tenant)
    )
    document.certificate_subject = identity.subject[:255]
    document.sha256 = hashlib.sha256(signed).hexdigest()
    if subject is not None:
        document.subject_type = ContentType.objects.get_for_model(subject)
        document.subject_id = str(subject.pk)
    document.pdf_file = file_store_bytes(
        tenant=tenant,
        data=signed,
        name=f"{number.replace('/', '-')}.pdf",
        purpose=f"documents.{kind}",
        kind="pdf",
        actor=actor,
    )
    if document.pdf_file.sha256 != document.sha256:  # pragma: no cover - storage must keep bytes as given
        raise RuntimeError("The stored PDF differs from the signed one.")
    document.save()
    _audit(
        tenant=tenant,
        actor=actor,
        action="documents.issue",
        obj=document,
        data={
            "kind": kind,
            "number": number,
            "code": code,
            "sha256": document.sha256,
            "template_version": template.version,
        },
    )
    return document


class RevokeElsewhere(PermissionDenied):
    """The document is revoked only through its issuing module's flow; `page` is where."""

    def __init__(self, page: str):
        super().__init__(page)
        self.page = page
        self.message = _(
            "Dokumen ini diterbitkan oleh layanan lain dan hanya dapat dicabut melalui alur layanan itu "
            "(alasan, status berkas, pemberitahuan kepada pemegangnya). Buka halaman pencabutan layanan itu."
        )


def document_revoke(
    *, document: IssuedDocument, reason: str, actor, by_issuing_module: bool = False
) -> IssuedDocument:
    """Revoke an issued document: the verification page then says so, with the reason and the date.

    The PDF is not altered (its signature stays intact; what changes is the public record). Requires
    a reason; a document can be revoked once (ValidationError otherwise). Audited. A document whose
    issuing module revokes it through its own flow (`kinds.revoke_page`) is revoked only by that flow
    (`by_issuing_module=True`): anyone else gets RevokeElsewhere, audited as a refusal.
    """
    page = None if by_issuing_module else revoke_page(document)
    if page:
        audit_refusal_soon(
            tenant=document.tenant,
            actor=actor,
            action="documents.revoke_refused",
            obj=document,
            data={"kind": document.kind, "number": document.number, "why": "revoke_via"},
        )
        raise RevokeElsewhere(page)
    return _revoke(document=document, reason=reason, actor=actor)


@transaction.atomic
def _revoke(*, document: IssuedDocument, reason: str, actor) -> IssuedDocument:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError(
            {
                "reason": _(
                    "Tulis alasan pencabutan (paling sedikit 5 karakter); alasan ini tampil di halaman verifikasi."
                )
            }
        )
    locked = IssuedDocument.objects.select_for_update().get(pk=document.pk, tenant_id=document.tenant_id)
    if locked.status == IssuedDocument.Status.REVOKED:
        raise ValidationError(_("Dokumen ini sudah dicabut pada %(when)s.") % {"when": locked.revoked_at})
    locked.status = IssuedDocument.Status.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor if getattr(actor, "pk", None) else None
    locked.revocation_reason = reason[:2000]
    locked.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    _audit(
        tenant=locked.tenant,
        actor=actor,
        action="documents.revoke",
        obj=locked,
        data={"number": locked.number, "reason": reason[:500]},
    )
    return locked
