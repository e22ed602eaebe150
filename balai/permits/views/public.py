"""Public pages of Perizinan Online (no login): the catalogue, a permit type's requirements, the fee
simulator, and tracking a file by its registration number.

Tracking is the busiest public page and the one bots would enumerate: it is rate-limited per client
address, reads the file's published facts in one query, computes today's SLA from them, and keeps the
page a minute for visitors without cookies (tracking_cache).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from balai.core.ratelimit import client_ip, per_minute_exceeded

from .. import requirements, selectors, selectors_applicant, tracking_cache
from ..fees import FeeModelError, rupiah
from ..forms_applicant import FeeSimulatorForm, TrackingForm, fee_field_codes
from ..models import PermitType

TRACKING_RATE_PER_MINUTE = 30


# --- the catalogue -----------------------------------------------------------------------------------


def fee_summary(permit_type: PermitType) -> str:
    """The fee model in one sentence for the public ("Tanpa biaya", "Rp 150.000", "dihitung dari ...")."""
    version = permit_type.current_version
    config = version.fee_config or {}
    if version.fee_model == "none":
        return _("Tanpa biaya")
    if version.fee_model == "fixed":
        return _("Biaya tetap %(amount)s") % {"amount": rupiah(int(config.get("amount") or 0))}
    labels = [spec["label"] for spec in version.form_fields if spec["code"] in set(fee_field_codes(version))]
    if version.fee_model == "per_unit":
        return _("%(price)s per %(unit)s") % {
            "price": rupiah(int(config.get("unit_price") or 0)),
            "unit": config.get("unit_label") or (labels[0] if labels else _("satuan")),
        }
    if version.fee_model == "tiered":
        return _("Tarif bertingkat menurut %(field)s") % {"field": ", ".join(labels) or "-"}
    return _("Dihitung dari isian: %(fields)s") % {"fields": ", ".join(labels) or "-"}


def in_person_summary(permit_type: PermitType) -> list[str]:
    found = []
    if permit_type.needs_appointment:
        found.append(_("Perlu janji temu di loket"))
    if permit_type.inspection == PermitType.Inspection.ALWAYS:
        found.append(_("Survei lapangan"))
    elif permit_type.inspection == PermitType.Inspection.BY_RULE:
        found.append(_("Survei lapangan bila memenuhi aturan"))
    return found


def service_steps(permit_type: PermitType) -> list[str]:
    """The steps of the service standard as the applicant lives them (from the type's settings)."""
    steps = [
        _("Isi formulir dan unggah dokumen persyaratan, lalu ajukan; Anda menerima nomor registrasi."),
        _("Petugas memeriksa kelengkapan dan kebenaran berkas. Bila ada yang kurang, berkas dikembalikan "
          "untuk diperbaiki dan jam layanan berhenti sementara."),
    ]
    if permit_type.needs_appointment:
        steps.append(_("Datang ke loket sesuai janji temu yang Anda pesan."))
    if permit_type.inspection != PermitType.Inspection.NEVER:
        steps.append(_("Petugas melakukan survei lapangan."))
    if permit_type.needs_recommendation:
        steps.append(_("Tim teknis memberikan rekomendasi."))
    if permit_type.current_version.fee_model != "none":
        steps.append(_("Bayar retribusi dengan kode bayar (jam layanan berhenti sampai pembayaran diterima)."))
    steps.append(_("Pejabat berwenang menyetujui dan menandatangani izin secara elektronik."))
    steps.append(_("Unduh izin bertanda tangan elektronik dengan kode QR untuk pemeriksaan keasliannya."))
    return steps


def public_catalogue(request):
    rows = [
        {"type": t, "fee": fee_summary(t), "in_person": in_person_summary(t)}
        for t in selectors.permit_types_public(tenant=request.tenant)
    ]
    return render(request, "permits/public/catalogue.html", {"rows": rows})


def public_type_detail(request, code):
    permit_type = selectors.permit_type_get(tenant=request.tenant, code=code, public=True)
    version = permit_type.current_version
    fields = [
        {**spec, "type_label": _field_type_label(spec)} for spec in version.form_fields
    ]
    documents = [{**doc, "formats": ", ".join(k.upper() for k in doc["kinds"])} for doc in version.documents]
    context = {
        "permit_type": permit_type,
        "version": version,
        "fields": fields,
        "documents": documents,
        "fee": fee_summary(permit_type),
        "has_simulator": version.fee_model != "none" and bool(fee_field_codes(version)),
        "in_person": in_person_summary(permit_type),
        "steps": service_steps(permit_type),
        "appointment_url": _appointment_url(request, permit_type),
    }
    return render(request, "permits/public/type_detail.html", context)


def _appointment_url(request, permit_type) -> str:
    """The appointments app's public quota page of this service, when the type needs a visit."""
    if not permit_type.needs_appointment:
        return ""
    try:
        return reverse(
            "permits:appointments:public_service", kwargs={"tenant": request.tenant.slug, "type_id": permit_type.pk}
        )
    except NoReverseMatch:
        return ""


def _field_type_label(spec: dict) -> str:
    labels = {
        "text": _("teks"),
        "integer": _("bilangan bulat"),
        "decimal": _("angka"),
        "date": _("tanggal"),
        "choice": _("pilihan"),
        "boolean": _("pernyataan ya/tidak"),
    }
    return labels.get(spec["type"], spec["type"])


# --- the fee simulator -------------------------------------------------------------------------------


def public_fee_simulator(request, code):
    """A fee quote from the fields the fee reads. GET (nothing is stored); with htmx only the form and
    its result are sent back, so the page updates in place."""
    permit_type = selectors.permit_type_get(tenant=request.tenant, code=code, public=True)
    version = permit_type.current_version
    asked = any(name in request.GET for name in fee_field_codes(version))
    form = FeeSimulatorForm(request.GET if asked else None, version=version)
    quote = None
    if version.fee_model in ("none", "fixed"):
        quote = _quote(version, {})
    elif asked:
        form.is_valid()  # missing answers
        # Every given answer is checked too, so that all mistakes show at once, each beside its field.
        cleaned = {}
        try:
            cleaned = requirements.form_validate(
                fields=form.specs, data={code: request.GET.get(code, "") for code in form.fields}, partial=True
            )
        except ValidationError as exc:
            for code, problems in exc.message_dict.items():
                if code in form.fields and not form.has_error(code):
                    form.add_error(code, problems)
        if not form.errors:
            try:
                quote = _quote(version, cleaned)
            except FeeModelError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.messages)
    context = {"permit_type": permit_type, "form": form, "quote": quote}
    template = "permits/public/_fee_simulator.html" if request.headers.get("HX-Request") else "permits/public/fee_simulator.html"
    return render(request, template, context)


def _quote(version, cleaned: dict):
    from ..services import fee_quote

    return fee_quote(version=version, form_data=cleaned)


# --- tracking ----------------------------------------------------------------------------------------


def tracking_rate_limited(request) -> bool:
    """Whether this client address made more look-ups this minute than allowed (a cache counter)."""
    limit = getattr(settings, "BALAI_PERMITS_TRACKING_RATE_PER_MINUTE", TRACKING_RATE_PER_MINUTE)
    return per_minute_exceeded(scope="permits:track", key=client_ip(request), limit=limit)


def public_tracking(request):
    """Tracking by registration number. A visitor who is not signed in and has no message waiting gets
    the page as everyone does, so it is kept for a minute (tracking_cache): people re-checking their
    file cost next to nothing."""
    if "nomor" not in request.GET:
        return render(request, "permits/public/tracking.html", {"form": TrackingForm()})
    if tracking_rate_limited(request):
        response = render(request, "permits/public/tracking_rate_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    tenant, day, language = request.tenant, timezone.localdate().isoformat(), get_language()
    number = tracking_cache.normalise(request.GET["nomor"])
    cacheable = tracking_cache.page_cacheable(request)
    if cacheable:
        body = tracking_cache.get(tenant.pk, number, day, kind="page", language=language)
        if body is not None:
            return HttpResponse(body)
    form = TrackingForm(request.GET)
    if not form.is_valid():
        return render(request, "permits/public/tracking.html", {"form": form}, status=400)
    facts = selectors_applicant.tracking_lookup(tenant=tenant, number=form.cleaned_data["nomor"])
    if facts is None:
        form.add_error(
            "nomor",
            _("Nomor %(number)s tidak ditemukan di %(tenant)s. Periksa nomor pada tanda terima, atau pastikan Anda "
              "membuka halaman Pemda tempat Anda mengajukan.") % {"number": form.cleaned_data["nomor"], "tenant": tenant.name},
        )
        return render(request, "permits/public/tracking.html", {"form": form}, status=404)
    view = selectors_applicant.tracking_view_of_facts(facts, tenant=tenant)
    context = {"applicant_masked": facts["applicant"], "view": view, "track": view.tracking}
    response = render(request, "permits/public/tracking.html", context)
    if cacheable:
        tracking_cache.put(tenant.pk, number, day, response.content, kind="page", language=language)
    return response
