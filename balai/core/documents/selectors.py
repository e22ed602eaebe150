"""Reads on documents. Tenant pages look up through the tenant; the public verification page looks
documents up by their unguessable verification code alone, across tenants (that is its purpose)."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from balai.core.files.selectors import stored_file_open
from balai.core.tenants.models import Tenant

from .kinds import DEFAULT_PATTERN, kind_get
from .letterhead import DEFAULT_CSS, DEFAULT_HTML
from .models import DocumentTemplate, IssuedDocument, Letterhead, NumberFormat

CODE_RE = re.compile(r"^[A-Z2-7]{16}$")


def tenant_zone(tenant: Tenant) -> ZoneInfo:
    try:
        return ZoneInfo(tenant.timezone)
    except Exception:  # noqa: BLE001 - an unknown zone name must not break a page
        return ZoneInfo("Asia/Jakarta")


def tenant_today(tenant: Tenant) -> datetime.date:
    return timezone.localdate(timezone=tenant_zone(tenant))


def template_current(*, tenant: Tenant, kind: str) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(tenant=tenant, kind=kind).order_by("-version").first()


def template_get(*, tenant: Tenant, pk: int) -> DocumentTemplate:
    found = DocumentTemplate.objects.filter(tenant=tenant, pk=pk).first()
    if found is None:
        raise Http404
    return found


def template_list(*, tenant: Tenant) -> list[DocumentTemplate]:
    """The current (latest) version of each kind's template."""
    latest = DocumentTemplate.objects.filter(tenant=tenant).values("kind").annotate(v=Max("version"))
    wanted = {(row["kind"], row["v"]) for row in latest}
    rows = DocumentTemplate.objects.filter(tenant=tenant).select_related("created_by").order_by("kind", "-version")
    return [t for t in rows if (t.kind, t.version) in wanted]


def template_versions(*, tenant: Tenant, kind: str) -> list[DocumentTemplate]:
    return list(
        DocumentTemplate.objects.filter(tenant=tenant, kind=kind).select_related("created_by").order_by("-version")
    )


def letterhead_for(*, tenant: Tenant) -> tuple[str, str]:
    """(html, css) of the tenant's letterhead; the default generated from its profile when unset."""
    row = Letterhead.objects.filter(tenant=tenant).first()
    return (row.html, row.css) if row else (DEFAULT_HTML, DEFAULT_CSS)


def number_format_for(*, tenant: Tenant, kind: str) -> tuple[str, str]:
    """(pattern, prefix) for a kind's numbers in this tenant."""
    row = NumberFormat.objects.filter(tenant=tenant, kind=kind).first()
    if row:
        return row.pattern, row.prefix
    spec = kind_get(kind)
    return spec.pattern or DEFAULT_PATTERN, spec.prefix


def document_list(*, tenant: Tenant, kind: str | None = None) -> QuerySet[IssuedDocument]:
    rows = IssuedDocument.objects.filter(tenant=tenant).select_related("issued_by").order_by("-issued_at")
    return rows.filter(kind=kind) if kind else rows


def document_get(*, tenant: Tenant, pk: int) -> IssuedDocument:
    found = IssuedDocument.objects.filter(tenant=tenant, pk=pk).select_related("tenant", "revoked_by", "template", "pdf_file").first()
    if found is None:
        raise Http404
    return found


def documents_for_subject(*, tenant: Tenant, subject) -> QuerySet[IssuedDocument]:
    from django.contrib.contenttypes.models import ContentType

    return document_list(tenant=tenant).filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    )


_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def normalise_code(code: str) -> str:
    """The code as stored: upper case, no dashes or spaces, digits that are not base32 read as the letter."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum()).translate(_LOOKALIKES)


def document_by_code(*, code: str) -> IssuedDocument | None:
    """The public look-up: a document by its verification code (dashes, spaces and case ignored)."""
    code = normalise_code(code)
    if not CODE_RE.match(code):
        return None
    return IssuedDocument.objects.filter(code=code).select_related("tenant").first()


def document_state(document: IssuedDocument, *, today: datetime.date | None = None) -> str:
    """"valid", "expired" or "revoked"; expiry is judged on the issuing tenant's calendar day."""
    if document.status == IssuedDocument.Status.REVOKED:
        return "revoked"
    today = today or tenant_today(document.tenant)
    if document.valid_until is not None and document.valid_until < today:
        return "expired"
    return "valid"


def document_pdf_open(document: IssuedDocument):
    """The signed PDF as an open binary file (the caller closes it)."""
    return stored_file_open(document.pdf_file)


def document_pdf_bytes(document: IssuedDocument) -> bytes:
    with document_pdf_open(document) as f:
        return f.read()
