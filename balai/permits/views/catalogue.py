"""The tenant administrator's catalogue: permit types, their requirements (versioned), their fee with a
"try it" preview, publication, and links to the workflow and the permit template they use.

Every page needs "tenants.manage". Writes go through `services.permit_type_save` (via
`services_catalogue.permit_type_update`, which keeps what a page does not edit).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.accounts.access import tenant_perm_required
from balai.core.orgs.models import Unit
from balai.core.orgs.selectors import units_open

from .. import fees, requirements, selectors, selectors_catalogue, services, services_catalogue
from ..forms_catalogue import (
    TYPE_ERROR_FIELDS,
    DocumentFormSet,
    DocumentRowForm,
    FeeForm,
    FormFieldFormSet,
    FormFieldRowForm,
    PermitTypeForm,
    RequirementsNoteForm,
    SampleForm,
    TierFormSet,
    rows_in_order,
    tier_initial,
    tiers_from,
)

PERM = "tenants.manage"


def _type(request, pk):
    return selectors.permit_type_get(tenant=request.tenant, pk=pk)


def _numeric_codes(version) -> list[str]:
    return [f["code"] for f in (version.form_fields if version else []) if f["type"] in ("integer", "decimal")]


def _messages_of(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"__all__": exc.messages}


def _with_more_rows(post, prefix: str):
    """The posted data with one more (blank) row in formset `prefix`."""
    data = post.copy()
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    return data


# --- list, detail, publish ---------------------------------------------------------------------------


@tenant_perm_required(PERM)
def catalogue_type_list(request):
    types = selectors.permit_type_list(tenant=request.tenant)
    return render(request, "permits/catalogue/type_list.html", {"types": types})


@tenant_perm_required(PERM)
def catalogue_type_detail(request, pk):
    permit_type = _type(request, pk)
    context = {
        "permit_type": permit_type,
        "version": permit_type.current_version,
        "versions": selectors_catalogue.permit_type_versions(permit_type=permit_type),
        "workflow": selectors_catalogue.workflow_info(tenant=request.tenant, code=permit_type.workflow_code),
        "template": selectors_catalogue.permit_template(tenant=request.tenant, kind=permit_type.document_kind),
    }
    return render(request, "permits/catalogue/type_detail.html", context)


@tenant_perm_required(PERM)
def catalogue_version_detail(request, pk, number):
    permit_type = _type(request, pk)
    version = selectors_catalogue.permit_type_version_get(permit_type=permit_type, number=number)
    context = {"permit_type": permit_type, "version": version, "is_current": version.pk == permit_type.current_version_id}
    return render(request, "permits/catalogue/version_detail.html", context)


@require_POST
@tenant_perm_required(PERM)
def catalogue_type_publish(request, pk):
    permit_type = _type(request, pk)
    published = request.POST.get("published") == "1"
    try:
        services.permit_type_set_published(permit_type=permit_type, published=published, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if published:
            messages.success(request, _("%(name)s sekarang tampil di katalog publik.") % {"name": permit_type.name})
        else:
            messages.success(request, _("%(name)s disembunyikan dari katalog publik.") % {"name": permit_type.name})
    return redirect("permits:catalogue_type_detail", tenant=request.tenant.slug, pk=permit_type.pk)


# --- the type's own fields ---------------------------------------------------------------------------


def _type_form_page(request, form, *, permit_type=None, page_errors=(), status=200):
    context = {"form": form, "permit_type": permit_type, "page_errors": list(page_errors)}
    return render(request, "permits/catalogue/type_form.html", context, status=status)


def _apply_type_errors(form, exc: ValidationError) -> list[str]:
    """Put the service's messages beside their inputs; return those that belong to another page."""
    elsewhere = []
    for key, errors in _messages_of(exc).items():
        target = TYPE_ERROR_FIELDS.get(key)
        if target is not None:
            form.add_error(target, errors)
        elif key in ("form_fields", "documents", "fee_config", "fee_model"):
            elsewhere.extend(errors)
        else:
            form.add_error(None, errors)
    if elsewhere:
        form.add_error(None, _("Persyaratan atau tarif jenis izin ini perlu diperbaiki dulu: %(errors)s") % {"errors": " ".join(elsewhere)})
    return elsewhere


@tenant_perm_required(PERM)
def catalogue_type_create(request):
    units = units_open(tenant=request.tenant)
    form = PermitTypeForm(request.POST or None, units=units)
    if request.method == "POST":
        if form.is_valid():
            try:
                permit_type = services.permit_type_save(
                    tenant=request.tenant, actor=request.user, form_fields=[], documents=[], note=_("Jenis izin dibuat"),
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                _apply_type_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Jenis izin %(name)s dibuat. Lanjutkan dengan isian formulir dan dokumen persyaratannya.")
                    % {"name": permit_type.name},
                )
                return redirect("permits:catalogue_requirements_edit", tenant=request.tenant.slug, pk=permit_type.pk)
        return _type_form_page(request, form, status=400)
    return _type_form_page(request, form)


@tenant_perm_required(PERM)
def catalogue_type_edit(request, pk):
    permit_type = _type(request, pk)
    units = units_open(tenant=request.tenant)
    if permit_type.unit_id:  # a unit closed since keeps showing for the type that names it
        units = units | Unit.objects.filter(tenant=request.tenant, pk=permit_type.unit_id)
    numeric = _numeric_codes(permit_type.current_version)
    if request.method == "POST":
        form = PermitTypeForm(request.POST, units=units, numeric_fields=numeric)
        if form.is_valid():
            try:
                services_catalogue.permit_type_update(permit_type=permit_type, actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                _apply_type_errors(form, exc)
            else:
                messages.success(request, _("Pengaturan %(name)s disimpan.") % {"name": form.cleaned_data["name"]})
                return redirect("permits:catalogue_type_detail", tenant=request.tenant.slug, pk=permit_type.pk)
        return _type_form_page(request, form, permit_type=permit_type, status=400)
    form = PermitTypeForm(initial=PermitTypeForm.initial_for(permit_type), units=units, numeric_fields=numeric)
    return _type_form_page(request, form, permit_type=permit_type)


# --- requirements ------------------------------------------------------------------------------------


def _requirements_page(request, permit_type, *, fields, documents, note, page_errors=(), status=200):
    context = {
        "permit_type": permit_type, "version": permit_type.current_version, "fields_formset": fields,
        "documents_formset": documents, "note_form": note, "page_errors": list(page_errors),
    }
    return render(request, "permits/catalogue/requirements_form.html", context, status=status)


def _version_saved_message(request, permit_type, before_id) -> None:
    version = permit_type.current_version
    if version is not None and version.pk != before_id:
        messages.success(
            request,
            _("Disimpan sebagai versi %(number)s. Permohonan yang sudah berjalan tetap memakai versi lamanya.")
            % {"number": version.number},
        )
    else:
        messages.info(request, _("Tidak ada perubahan, jadi tidak ada versi baru."))


@tenant_perm_required(PERM)
def catalogue_requirements_edit(request, pk):
    permit_type = _type(request, pk)
    version = permit_type.current_version
    if request.method != "POST":
        field_rows = [FormFieldRowForm.initial_for(s, i) for i, s in enumerate(version.form_fields if version else [], 1)]
        doc_rows = [DocumentRowForm.initial_for(s, i) for i, s in enumerate(version.documents if version else [], 1)]
        fields = FormFieldFormSet(prefix="fields", initial=field_rows + [{"position": len(field_rows) + 1}])
        documents = DocumentFormSet(
            prefix="documents", initial=doc_rows + [{"position": len(doc_rows) + 1, "kinds": ["pdf"], "mandatory": True, "max_mb": 5}]
        )
        return _requirements_page(request, permit_type, fields=fields, documents=documents, note=RequirementsNoteForm())

    action = request.POST.get("action", "save")
    data = request.POST
    if action == "add_field":
        data = _with_more_rows(data, "fields")
    elif action == "add_document":
        data = _with_more_rows(data, "documents")
    fields = FormFieldFormSet(data, prefix="fields")
    documents = DocumentFormSet(data, prefix="documents")
    note = RequirementsNoteForm(data)
    if action != "save":
        return _requirements_page(request, permit_type, fields=fields, documents=documents, note=note)
    page_errors: list[str] = []
    if fields.is_valid() and documents.is_valid() and note.is_valid():
        try:
            saved = services_catalogue.permit_type_update(
                permit_type=permit_type, actor=request.user, form_fields=rows_in_order(fields),
                documents=rows_in_order(documents), note=note.cleaned_data["note"],
            )
        except ValidationError as exc:
            for key, errors in _messages_of(exc).items():
                if key == "fee_config":
                    page_errors.extend(
                        _("Tarif: %(error)s Ubah rumus tarif dulu, atau pertahankan isian yang dipakainya.") % {"error": e}
                        for e in errors
                    )
                elif key == "inspection_rule":
                    page_errors.extend(
                        _("Aturan survei lapangan: %(error)s Ubah aturannya di pengaturan jenis izin dulu.") % {"error": e}
                        for e in errors
                    )
                else:
                    page_errors.extend(errors)
        else:
            _version_saved_message(request, saved, version.pk if version else None)
            return redirect("permits:catalogue_type_detail", tenant=request.tenant.slug, pk=permit_type.pk)
    return _requirements_page(
        request, permit_type, fields=fields, documents=documents, note=note, page_errors=page_errors, status=400
    )


# --- fee ---------------------------------------------------------------------------------------------


def _fee_forms(request, permit_type, data=None):
    version = permit_type.current_version
    form_fields = version.form_fields if version else []
    if data is None:
        model = version.fee_model if version else "none"
        config = version.fee_config if version else {}
        form = FeeForm(initial=FeeForm.initial_for(model, config, form_fields), form_fields=form_fields)
        tiers = TierFormSet(prefix="tiers", initial=tier_initial(config if model == "tiered" else {}) + [{}])
        samples = SampleForm(form_fields=form_fields)
    else:
        form = FeeForm(data, form_fields=form_fields)
        tiers = TierFormSet(data, prefix="tiers")
        samples = SampleForm(data, form_fields=form_fields)
    return form, tiers, samples


def _fee_page(request, permit_type, form, tiers, samples, *, preview=None, status=200):
    context = {
        "permit_type": permit_type, "version": permit_type.current_version, "form": form, "tiers": tiers,
        "samples": samples, "preview": preview,
    }
    return render(request, "permits/catalogue/fee_form.html", context, status=status)


def _checked_config(permit_type, form, tiers):
    """(model, normalised config) from valid forms, or a FeeModelError placed on the form. None when the
    forms themselves are invalid."""
    if not (form.is_valid() and tiers.is_valid()):
        return None
    model, config = form.config(tiers_from(tiers))
    version = permit_type.current_version
    fields = requirements.fields_for_fees(version.form_fields if version else [])
    try:
        return model, config, fees.fee_config_validate(model=model, config=config, fields=fields)
    except fees.FeeModelError as exc:
        form.add_error(form.error_target(model, exc.field), exc.messages)
        return None


def _preview(permit_type, form, tiers, samples) -> dict:
    """The fee the settings on the page give for the sample answers: {"quote"} or {"error"}."""
    checked = _checked_config(permit_type, form, tiers)
    if checked is None:
        problems = " ".join(message for errors in form.errors.values() for message in errors)
        problems += " ".join(str(e) for e in tiers.non_form_errors())
        return {
            "error": _("Pengaturan tarif belum dapat dihitung: %(problems)s") % {"problems": problems}
            if problems
            else _("Pengaturan tarif belum dapat dihitung. Perbaiki yang ditandai, lalu coba lagi.")
        }
    model, _config, normal = checked
    version = permit_type.current_version
    form_fields = [f for f in (version.form_fields if version else []) if f["code"] in samples.fields]
    samples.is_valid()
    given = {code: value for code, value in samples.cleaned_data.items() if value not in ("", None)}
    try:
        cleaned = requirements.form_validate(fields=form_fields, data=given, partial=True)
    except ValidationError as exc:
        for code, errors in exc.message_dict.items():
            samples.add_error(code if code in samples.fields else None, errors)
        return {"error": _("Periksa contoh isian yang ditandai.")}
    values = requirements.typed_values(fields=form_fields, form_data=cleaned)
    try:
        quote = fees.fee_compute(model=model, config=normal, values=values)
    except fees.FeeModelError as exc:
        if exc.field and exc.field in samples.fields:
            samples.add_error(exc.field, exc.messages)
        return {"error": " ".join(exc.messages)}
    return {"quote": quote}


@tenant_perm_required(PERM)
def catalogue_fee_edit(request, pk):
    permit_type = _type(request, pk)
    if request.method != "POST":
        form, tiers, samples = _fee_forms(request, permit_type)
        return _fee_page(request, permit_type, form, tiers, samples)

    action = request.POST.get("action", "save")
    data = _with_more_rows(request.POST, "tiers") if action == "add_tier" else request.POST
    form, tiers, samples = _fee_forms(request, permit_type, data)
    if action == "add_tier":
        return _fee_page(request, permit_type, form, tiers, samples)
    if action == "preview":
        return _fee_page(request, permit_type, form, tiers, samples, preview=_preview(permit_type, form, tiers, samples))
    checked = _checked_config(permit_type, form, tiers)
    if checked is not None:
        model, config, _normal = checked
        before = permit_type.current_version_id
        try:
            saved = services_catalogue.permit_type_update(
                permit_type=permit_type, actor=request.user, fee_model=model, fee_config=config,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for key, errors in _messages_of(exc).items():
                target = form.error_target(model, None) if key in ("fee_config", "fee_model") else None
                form.add_error(target, errors)
        else:
            _version_saved_message(request, saved, before)
            return redirect("permits:catalogue_type_detail", tenant=request.tenant.slug, pk=permit_type.pk)
    return _fee_page(request, permit_type, form, tiers, samples, status=400)


@require_POST
@tenant_perm_required(PERM)
def catalogue_fee_preview(request, pk):
    """The "try it" box of the fee page (htmx): the quote and its explanation for the sample answers."""
    permit_type = _type(request, pk)
    form, tiers, samples = _fee_forms(request, permit_type, request.POST)
    preview = _preview(permit_type, form, tiers, samples)
    context = {"permit_type": permit_type, "samples": samples, "preview": preview, "form": form}
    return render(request, "permits/catalogue/_fee_preview.html", context)
