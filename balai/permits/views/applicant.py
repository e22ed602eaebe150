"""The applicant's pages: my applications, a draft from the catalogue, the form, the documents, review
and submission with a receipt, the file's timeline and what to do next (fix a correction, pay,
download the permit, complain, answer the survey, withdraw, renew).

Every page needs a login and shows only the viewer's own files: another person's file, or another
tenant's, is a 404 (`selectors.application_for_applicant`). The services decide and check again. The one
exception is reading: the current representatives of a business may follow (list, file, receipt, permit)
the files submitted for it by someone else (`selectors_business`), without acting on them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.accounts.access import tenant_perm_required
from balai.core.workflow.services import TransitionDenied

from .. import (
    requirements,
    selectors,
    selectors_applicant,
    selectors_business,
    selectors_complaints,
    services,
    services_complaints,
)
from ..fees import FeeModelError
from ..forms_applicant import (
    ApplicationForm,
    ComplaintForm,
    RequirementUploadForm,
    SurveyForm,
    WithdrawForm,
    field_anchor,
    form_pages,
    page_of,
)
from ..models import SKM_ELEMENTS

APPLY_PERM = "citizen.apply"


def _own(request, pk):
    return selectors.application_for_applicant(tenant=request.tenant, user=request.user, pk=pk)


def _readable(request, pk):
    """The viewer's own file, or a submitted file of a business they represent (read-only pages)."""
    return selectors_business.application_for_viewer(tenant=request.tenant, user=request.user, pk=pk)


def _to_detail(request, application):
    return redirect("permits:applicant_detail", tenant=request.tenant.slug, pk=application.pk)


def _state(application) -> str:
    return selectors_applicant.state_of(application)


def _refusal_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(getattr(exc, "message", None) or exc)


def _answers(application) -> list[dict]:
    """The answers as people read them, with each field's declaration."""
    version = application.type_version
    return [
        {"spec": spec, "value": requirements.display_value(spec, application.form_data.get(spec["code"]))}
        for spec in version.form_fields
    ]


def _quote(application):
    """The fee quote for the answers so far (an estimate before submission), or the reason there is none."""
    try:
        return services.fee_quote(version=application.type_version, form_data=application.form_data), ""
    except FeeModelError as exc:
        return None, exc.messages[0]


# --- my applications and a new draft ------------------------------------------------------------------


@login_required
def applicant_list(request):
    rows = list(selectors.applications_of_applicant(tenant=request.tenant, user=request.user)[:200])
    business_rows = list(selectors_business.business_applications_for(tenant=request.tenant, user=request.user)[:200])
    return render(request, "permits/applicant/list.html", {"rows": rows, "business_rows": business_rows})


@require_POST
@tenant_perm_required(APPLY_PERM)
def applicant_start(request, code):
    permit_type = selectors.permit_type_get(tenant=request.tenant, code=code, public=True)
    try:
        application = services.application_create_draft(
            tenant=request.tenant, permit_type=permit_type, applicant=request.user, form_data={}, actor=request.user
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal_text(exc))
        return redirect("permits:public_type_detail", tenant=request.tenant.slug, code=permit_type.code)
    messages.success(request, _("Draf permohonan %(type)s dibuat. Isi formulirnya; draf tersimpan setiap kali Anda menekan Simpan.") % {"type": permit_type.name})
    return redirect("permits:applicant_edit", tenant=request.tenant.slug, pk=application.pk)


# --- the form ----------------------------------------------------------------------------------------


def _business(application) -> dict:
    return {
        "business_name": application.business_name,
        "business_nib": application.business_nib,
        "business_npwp": application.business_npwp,
    }


def _pages(application):
    return form_pages(application.type_version.form_fields)


def _page_url(request, application, number: int) -> str:
    """Page 1 of the form is the form's own address; the others carry their number."""
    kwargs = {"tenant": request.tenant.slug, "pk": application.pk}
    if number == 1:
        return reverse("permits:applicant_edit", kwargs=kwargs)
    return reverse("permits:applicant_edit_page", kwargs={**kwargs, "page": number})


def _entities(request, page) -> list:
    """The registered businesses the applicant represents, offered on the page asking the business."""
    if "business_name" not in page.codes:
        return []
    from balai.core.parties.models import LegalEntity
    from balai.core.parties.selectors import entities_represented_by

    return list(entities_represented_by(user=request.user, kind=LegalEntity.Kind.BUSINESS))


@login_required
def applicant_edit(request, pk, page=1):
    """One page of the draft's form: only its questions are checked and saved (the other answers stay);
    "Simpan dan lanjut" goes on to the next page, after the last one to the documents. Skipping a page
    by its address is possible, but the review refuses to submit until every required answer is given."""
    application = _own(request, pk)
    if _state(application) != "draft":
        if _state(application) == "returned":
            return redirect("permits:applicant_correction", tenant=request.tenant.slug, pk=application.pk)
        messages.info(request, _("Permohonan ini sudah diajukan; isiannya tidak dapat diubah lagi."))
        return _to_detail(request, application)
    pages = _pages(application)
    if not 1 <= page <= len(pages):
        raise Http404
    current = pages[page - 1]
    version = application.type_version
    kwargs = {
        "specs": version.form_fields, "values": application.form_data, "business": _business(application),
        "only": set(current.codes), "entities": _entities(request, current),
    }
    context = {
        "application": application,
        "page": current,
        "pages": [{"number": p.number, "url": _page_url(request, application, p.number)} for p in pages],
        "previous_url": _page_url(request, application, page - 1) if page > 1 else "",
        "last": page == len(pages),
    }
    if request.method != "POST":
        return render(request, "permits/applicant/edit.html", {**context, "form": ApplicationForm(**kwargs)})
    form = ApplicationForm(request.POST, **kwargs)
    draft_only = request.POST.get("aksi") == "draf"
    if draft_only:
        form.relax()
    if form.is_valid():
        try:
            services.application_update_draft(
                application=application, form_data=form.answers(), actor=request.user, **form.business()
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            if draft_only:
                messages.success(request, _("Draf disimpan. Anda dapat melanjutkannya kapan saja dari Permohonan saya."))
                return redirect("permits:applicant_list", tenant=request.tenant.slug)
            if page < len(pages):
                return redirect(_page_url(request, application, page + 1))
            return redirect("permits:applicant_documents", tenant=request.tenant.slug, pk=application.pk)
    if draft_only:
        for code, field in form.fields.items():
            field.required = bool((version.field(code) or {}).get("required"))
    return render(request, "permits/applicant/edit.html", {**context, "form": form}, status=400)


# --- documents ---------------------------------------------------------------------------------------


def _document_rows(application, *, bound=None, correction=None):
    """Each requirement with its current file and, where it may be (re)uploaded now, its upload form."""
    state = _state(application)
    rows = []
    for status in selectors.requirement_statuses(application=application):
        spec = status.spec
        editable = state == "draft" or (
            state == "returned" and correction is not None and correction.allows("document", spec["code"])
        )
        form = None
        if editable:
            form = bound if bound is not None and bound.spec["code"] == spec["code"] else RequirementUploadForm(spec=spec)
        asked = correction.items if correction is not None else []
        note = next((i.get("note", "") for i in asked if i.get("kind") == "document" and i.get("code") == spec["code"]), "")
        rows.append({"spec": spec, "document": status.document, "missing": status.missing, "form": form, "note": note})
    return rows


@login_required
def applicant_documents(request, pk):
    application = _own(request, pk)
    state = _state(application)
    if state not in ("draft", "returned"):
        return _to_detail(request, application)
    correction = selectors.correction_open(application=application) if state == "returned" else None
    bound = None
    if request.method == "POST":
        spec = application.type_version.requirement(request.POST.get("persyaratan", ""))
        if spec is None:
            raise Http404
        bound = RequirementUploadForm(request.POST, request.FILES, spec=spec)
        if bound.is_valid():
            try:
                services.application_attach_document(
                    application=application, requirement_code=spec["code"], upload=bound.cleaned_data["berkas"],
                    actor=request.user,
                )
            except ValidationError as exc:
                bound.add_error("berkas", exc.messages)
            else:
                messages.success(request, _("%(label)s tersimpan.") % {"label": spec["label"]})
                return redirect("permits:applicant_documents", tenant=request.tenant.slug, pk=application.pk)
    rows = _document_rows(application, bound=bound, correction=correction)
    context = {"application": application, "rows": rows, "bound": bound, "correction": correction}
    return render(request, "permits/applicant/documents.html", context, status=400 if bound is not None else 200)


# --- review, submit, receipt ----------------------------------------------------------------------------


@login_required
def applicant_review(request, pk):
    application = _own(request, pk)
    if _state(application) != "draft":
        return _to_detail(request, application)
    errors = {}
    if request.method == "POST":
        try:
            services.application_submit(application=application, actor=request.user)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        except TransitionDenied as exc:
            errors = {"__all__": [_refusal_text(exc)]}
        else:
            return redirect("permits:applicant_receipt", tenant=request.tenant.slug, pk=application.pk)
    else:
        errors = {k: [v] for k, v in services.submission_errors(application).items()}
    version = application.type_version
    pages = _pages(application)
    documents_url = reverse("permits:applicant_documents", kwargs={"tenant": request.tenant.slug, "pk": application.pk})
    missing = []
    for key, messages_ in errors.items():
        if key.startswith("document:"):
            link = documents_url
        else:
            # The page that asks the question (the business data too), landing on its input.
            link = _page_url(request, application, page_of(pages, key).number)
            if key != NON_FIELD_ERRORS:
                link += "#" + field_anchor(version.field(key), key)
        for message in messages_:
            missing.append({"key": key, "message": message, "link": link})
    answers = _answers(application)
    for answer in answers:
        answer["url"] = _page_url(request, application, page_of(pages, answer["spec"]["code"]).number)
    quote, quote_problem = _quote(application)
    context = {
        "application": application,
        "answers": answers,
        "business_url": _page_url(request, application, page_of(pages, "business_name").number),
        "requirements": selectors.requirement_statuses(application=application),
        "missing": missing,
        "quote": quote,
        "quote_problem": quote_problem,
    }
    return render(request, "permits/applicant/review.html", context, status=400 if request.method == "POST" else 200)


@login_required
def applicant_receipt(request, pk):
    application = _readable(request, pk)
    if not application.registration_number:
        return redirect("permits:applicant_review", tenant=request.tenant.slug, pk=application.pk)
    view = selectors_applicant.tracking_view(application=application, for_owner=True)
    context = {
        "application": application,
        "view": view,
        "track": view.tracking,
        "requirements": selectors.requirement_statuses(application=application),
        "tracking_url": request.build_absolute_uri(
            reverse("permits:public_tracking", kwargs={"tenant": request.tenant.slug})
            + "?" + urlencode({"nomor": application.registration_number})
        ),
    }
    return render(request, "permits/applicant/receipt.html", context)


# --- the file ----------------------------------------------------------------------------------------


@login_required
def applicant_detail(request, pk):
    application = _readable(request, pk)
    # A representative following a colleague's file for their business reads it; only the applicant acts.
    follower = application.applicant_id != request.user.pk
    actions = selectors_applicant.applicant_actions(application=application, viewer=request.user)
    view = selectors_applicant.tracking_view(application=application, for_owner=True) if application.workflow_id else None
    permit = application.permit_document if application.permit_document_id else None
    context = {
        "application": application,
        "state": _state(application),
        "actions": actions,
        "follower": follower,
        "view": view,
        "track": view.tracking if view else None,
        "answers": _answers(application),
        "correction": selectors.correction_open(application=application) if actions.correct else None,
        "complaints": []
        if follower
        else selectors_complaints.complaints_of_application(tenant=request.tenant, application=application),
        "permit": permit,
        "permit_qr": _qr(permit.code) if permit else "",
        "renewals": [] if follower else list(application.renewals.filter(tenant=request.tenant).order_by("-created_at")[:5]),
        "continue_url": _continue_url(request, application) if _state(application) == "draft" else "",
    }
    return render(request, "permits/applicant/detail.html", context)


def _continue_url(request, application) -> str:
    """Where "Lanjutkan mengisi permohonan" leads: the first page of the form with a missing or invalid
    answer (onto that question), else the documents while a mandatory one is missing, else the review."""
    errors = services.submission_errors(application)
    pages = _pages(application)
    version = application.type_version
    numbers = [page_of(pages, code).number for code in errors if not code.startswith("document:")]
    if numbers:
        page = pages[min(numbers) - 1]
        url = _page_url(request, application, page.number)
        first = next((code for code in page.codes if code in errors), None)
        return url + "#" + field_anchor(version.field(first), first) if first else url
    kwargs = {"tenant": request.tenant.slug, "pk": application.pk}
    if errors:
        return reverse("permits:applicant_documents", kwargs=kwargs)
    return reverse("permits:applicant_review", kwargs=kwargs)


def _qr(code: str) -> str:
    from balai.core.documents.pdf import qr_data_uri, verify_url

    return qr_data_uri(verify_url(code))


# --- correction --------------------------------------------------------------------------------------


@login_required
def applicant_correction(request, pk):
    """A returned file: only the fields and documents the officer asked for can change; the rest is shown
    read-only. Saving keeps the file returned; "Kirim perbaikan" sends it back to verification."""
    application = _own(request, pk)
    if _state(application) != "returned":
        return _to_detail(request, application)
    correction = selectors.correction_open(application=application)
    asked_fields = {i["code"] for i in (correction.items if correction else []) if i.get("kind") == "field"}
    kwargs = {
        "specs": application.type_version.form_fields, "values": application.form_data,
        "business": _business(application), "only": asked_fields,
    }
    form = ApplicationForm(request.POST or None, **kwargs) if request.method == "POST" else ApplicationForm(**kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.application_update_draft(
                    application=application, form_data=form.answers(), actor=request.user, **form.business()
                )
                if request.POST.get("aksi") == "kirim":
                    services.application_resubmit(application=application, actor=request.user)
            except ValidationError as exc:
                form.apply_errors(exc)
            except TransitionDenied as exc:
                form.add_error(None, _refusal_text(exc))
            else:
                if request.POST.get("aksi") == "kirim":
                    messages.success(request, _("Perbaikan terkirim. Jam layanan berjalan lagi; petugas memeriksa berkas Anda."))
                    return _to_detail(request, application)
                messages.success(request, _("Perbaikan disimpan. Tekan “Kirim perbaikan” bila semua sudah diperbaiki."))
                return redirect("permits:applicant_correction", tenant=request.tenant.slug, pk=application.pk)
        status = 400
    notes = {i["code"]: i.get("note", "") for i in (correction.items if correction else []) if i.get("kind") == "field"}
    read_only = [a for a in _answers(application) if a["spec"]["code"] not in asked_fields]
    context = {
        "application": application,
        "correction": correction,
        "form": form,
        "notes": notes,
        "read_only": read_only,
        "documents": _document_rows(application, correction=correction),
        "view": selectors_applicant.tracking_view(application=application, for_owner=True),
    }
    return render(request, "permits/applicant/correction.html", context, status=status)


# --- payment -----------------------------------------------------------------------------------------


@login_required
def applicant_pay(request, pk):
    """The bill with its billing code and amount, and the way to the gateway's payment page (the
    simulator in the demo), which comes back to the file."""
    application = _own(request, pk)
    bill = application.bill if application.bill_id else None
    if bill is None:
        messages.info(request, _("Belum ada tagihan untuk permohonan ini. Tagihan dibuat setelah berkas diverifikasi."))
        return _to_detail(request, application)
    back = reverse("permits:applicant_detail", kwargs={"tenant": request.tenant.slug, "pk": application.pk})
    link, instructions = None, ""
    if bill.status == bill.Status.UNPAID:
        from balai.core.payments.gateways import gateway_get

        try:
            gateway = gateway_get(bill.gateway)
        except LookupError:
            gateway = None
        if gateway is not None and gateway.is_available():
            payment = gateway.create_payment(bill)
            url = payment.payment_url
            link = f"{url}?{urlencode({'kembali': back})}" if url.startswith("/") else url
            instructions = getattr(payment, "instructions", "") or ""
    context = {
        "application": application, "bill": bill, "payment_link": link, "instructions": instructions,
        "lines": application.fee_lines or [], "explanation": application.fee_explanation,
    }
    return render(request, "permits/applicant/pay.html", context)


# --- complaint, survey, withdrawal, renewal ----------------------------------------------------------


@login_required
def applicant_complaint(request, pk):
    application = _own(request, pk)
    if _state(application) == "draft":
        return _to_detail(request, application)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services_complaints.complaint_create(application=application, text=form.cleaned_data["text"], actor=request.user)
            except ValidationError as exc:
                for field, errors in (exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]):
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Pengaduan Anda diterima. Jawaban petugas akan tampil di halaman permohonan ini."))
                return _to_detail(request, application)
        return render(request, "permits/applicant/complaint.html", {"application": application, "form": form}, status=400)
    return render(request, "permits/applicant/complaint.html", {"application": application, "form": form})


@login_required
def applicant_survey(request, pk):
    application = _own(request, pk)
    actions = selectors_applicant.applicant_actions(application=application)
    if not actions.survey:
        if actions.survey_done:
            messages.info(request, _("Survei untuk permohonan ini sudah diisi. Terima kasih."))
        else:
            messages.info(request, _("Survei kepuasan dapat diisi setelah permohonan selesai."))
        return _to_detail(request, application)
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.survey_submit(
                    application=application, answers=form.answers(), comment=form.cleaned_data["comment"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Terima kasih. Jawaban Anda membantu kami memperbaiki layanan."))
                return _to_detail(request, application)
        return render(request, "permits/applicant/survey.html", {"application": application, "form": form, "elements": SKM_ELEMENTS}, status=400)
    return render(request, "permits/applicant/survey.html", {"application": application, "form": form, "elements": SKM_ELEMENTS})


@login_required
def applicant_withdraw(request, pk):
    application = _own(request, pk)
    actions = selectors_applicant.applicant_actions(application=application)
    if not actions.withdraw:
        messages.info(request, _("Permohonan ini tidak dapat dibatalkan lagi karena sudah diputuskan."))
        return _to_detail(request, application)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(application=application, actor=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, TransitionDenied) as exc:
            form.add_error(None, _refusal_text(exc))
        else:
            messages.success(request, _("Permohonan dibatalkan. Tagihan yang belum dibayar ikut dibatalkan."))
            return _to_detail(request, application)
        return render(request, "permits/applicant/withdraw.html", {"application": application, "form": form}, status=400)
    return render(request, "permits/applicant/withdraw.html", {"application": application, "form": form})


@require_POST
@login_required
def applicant_renew(request, pk):
    application = _own(request, pk)
    try:
        renewal = services.application_renew(application=application, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal_text(exc))
        return _to_detail(request, application)
    messages.success(request, _("Draf perpanjangan dibuat dengan isian izin lama. Periksa dan perbarui bila perlu."))
    return redirect("permits:applicant_edit", tenant=request.tenant.slug, pk=renewal.pk)
