"""The public verification pages: anyone holding a document (or its QR code) checks it here, no login.

Look-ups are rate-limited per client address, because the codes are the only key: 80 random bits
make guessing hopeless, and the limit keeps it that way. The signed PDF itself is not offered for
download here (it carries personal data); instead a holder can upload the file they have and see
whether its SHA-256 matches the record.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation

from balai.core.ratelimit import client_ip, per_minute_exceeded

from .forms import CompareForm, LookupForm
from .masking import mask_name
from .selectors import CODE_RE, document_by_code, document_state, normalise_code, tenant_zone


def _rate_limited(request) -> bool:
    return per_minute_exceeded(scope="verify", key=client_ip(request), limit=settings.BALAI_VERIFY_RATE_PER_MINUTE)


def _too_many(request):
    response = render(request, "documents/verify_rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


def local_time_label(value, tenant) -> str:
    """`28 November 2026 10.15 WIB`: the moment in the issuing tenant's zone."""
    local = timezone.localtime(value, tenant_zone(tenant))
    return f"{formats.date_format(local, 'j F Y')} {local:%H.%M} {tenant.timezone_label}"


def lookup(request):
    if _rate_limited(request):
        return _too_many(request)
    if "kode" not in request.GET:
        return render(request, "documents/verify_lookup.html", {"form": LookupForm()})
    form = LookupForm(request.GET)
    if form.is_valid():
        code = normalise_code(form.cleaned_data["kode"])
        if CODE_RE.match(code):
            return redirect("verify:document", code=code)
        form.add_error("kode", translation.gettext("Kode verifikasi terdiri atas 16 huruf A–Z dan angka 2–7. Periksa lagi kode di bawah QR dokumen."))
    return render(request, "documents/verify_lookup.html", {"form": form}, status=400)


def document(request, code):
    if _rate_limited(request):
        return _too_many(request)
    found = document_by_code(code=code)
    if found is None:
        return render(request, "documents/verify_not_found.html", {"code": code[:40], "form": LookupForm()}, status=404)
    compare_form, match, uploaded_sha = CompareForm(), None, None
    status = 200
    if request.method == "POST":
        compare_form = CompareForm(request.POST, request.FILES)
        if compare_form.is_valid():
            digest = hashlib.sha256()
            for chunk in compare_form.cleaned_data["berkas"].chunks():
                digest.update(chunk)
            uploaded_sha = digest.hexdigest()
            match = uploaded_sha == found.sha256
        else:
            status = 400
    tenant = found.tenant
    context = {
        "document": found,
        "pemda": tenant,
        "state": document_state(found),
        "recipient": mask_name(found.recipient_name),
        "issued_at_label": local_time_label(found.issued_at, tenant),
        "revoked_at_label": local_time_label(found.revoked_at, tenant) if found.revoked_at else "",
        "compare_form": compare_form,
        "match": match,
        "uploaded_sha": uploaded_sha,
    }
    return render(request, "documents/verify_document.html", context, status=status)
