"""The back office of Perizinan Online: the officers' inbox, a permit file with its decisions, and
counter (walk-in) applications entered by front-office staff.

The inbox and a file are for holders of a permits role, and for the inspectorate to read (an officer
of another module is refused before any lookup, 403, though he holds "dashboard.view"); each decision
needs its own permits.* permission and the workflow engine still checks roles, assignment,
first-in-first-out, guards and segregation of duties. Every object is looked up through a selector
scoped to `request.tenant` (a foreign file: 404).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core import registry
from balai.core.accounts.access import tenant_perm_required
from balai.core.accounts.selectors import user_has_perm
from balai.core.audit.services import audit_refusal_soon
from balai.core.workflow import selectors as workflow_selectors
from balai.core.workflow.services import AssignmentRefused, TransitionDenied

from .. import forms_office as forms
from .. import requirements, selectors, selectors_office, services, services_office
from ..models import Application
from ..workflow import REJECT_ACTIONS, VERIFY_ACTIONS

OFFICER_PERM = "dashboard.view"
PAGE_SIZE = 25
FIFO_ACTIONS = ("verify", "verify_inspect", "verify_recommend", "approve", "sign")


def permits_office_required(*, read_only: bool = False, object_type: str = "permits.application"):
    """A back-office page of permit files: holders of a permits role; with `read_only`, the inspectorate
    too. Anyone else is refused before any lookup (403, audited under `object_type`, the kind of object
    the page shows), like a missing permission."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            allowed = selectors_office.may_open_files if read_only else selectors_office.holds_permits_role
            if not allowed(tenant=request.tenant, user=request.user):
                audit_refusal_soon(
                    tenant=request.tenant, actor=request.user, action="permits.office_refused",
                    object_type=object_type, object_id=kwargs.get("pk"),
                    data={"page": view.__name__}, request=request,
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return tenant_perm_required(OFFICER_PERM)(checked)

    return decorator


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _detail_url(request, pk: int) -> str:
    return reverse("permits:office_detail", kwargs={"tenant": request.tenant.slug, "pk": pk})


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for errors in exc.message_dict.values() for m in errors]
    return list(exc.messages)


def _add_errors(form, exc: ValidationError, *, fields: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: keyed errors on the matching field, the rest on top."""
    fields = fields or {}
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            target = fields.get(key, key)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- inbox -------------------------------------------------------------------------------------------


@permits_office_required(read_only=True)
def office_inbox(request):
    tenant = request.tenant
    number = request.GET.get("nomor", "").strip()
    if number:
        # Any officer finds any submitted file of this tenant by its number, issued ones included
        # (to answer an enquiry or revoke a permit); what they may do there is still the engine's call.
        found = selectors.application_by_registration_number(tenant=tenant, number=number)
        if found is not None and found.workflow_id:
            return redirect("permits:office_detail", tenant=tenant.slug, pk=found.pk)
        messages.error(request, _("Tidak ada berkas bernomor %(number)s di Pemda ini. Periksa nomornya, misalnya REG-3673-2026-000123.") % {"number": number[:40]})
    roles = selectors_office.officer_permit_roles(tenant=tenant, user=request.user)
    role_labels = registry.roles()
    types = list(selectors.permit_type_list(tenant=tenant))
    units = {t.unit_id: t.unit for t in types if t.unit_id}
    own = selectors_office.inbox_unit_scope(tenant=tenant, user=request.user)
    form = forms.InboxFilterForm(
        request.GET or None,
        roles=[(r, str(role_labels[r].label) if r in role_labels else r) for r in roles],
        states=selectors_office.inbox_states(),
        types=[(t.code, t.name) for t in types],
        units=sorted(((pk, u.name) for pk, u in units.items()), key=lambda c: c[1]),
        has_own_units=own.is_own,
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    # By default the officer's own units (and below); "Semua unit" or one unit by choice.
    choice = filters.get("unit") or ""
    scope = own if not choice else selectors_office.inbox_unit_scope(tenant=tenant, user=request.user, choice=choice)
    rows = selectors_office.office_inbox(
        tenant=tenant, user=request.user, role=filters.get("peran") or None, state=filters.get("status") or None,
        type_code=filters.get("jenis") or None, unit_id=scope.unit_id, own_units=scope.own_units,
        mine=bool(filters.get("saya")),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("halaman"))
    items = selectors_office.inbox_items(tenant=tenant, user=request.user, instances=page.object_list)
    return render(
        request, "permits/office/inbox.html",
        {"page": page, "items": items, "filter_form": form, "roles": roles, "is_frontdesk": "permits.frontdesk" in roles,
         "own_units_only": scope.is_own},
    )


# --- a file ------------------------------------------------------------------------------------------


def _assign_choices(application: Application) -> list[tuple[int, str]]:
    return [(u.pk, u.full_name or u.email) for u in services_office.assignable_people(application=application)]


def _detail_context(request, application: Application, *, bound: dict | None = None, nik: str = "") -> dict:
    bound = bound or {}
    tenant = request.tenant
    instance = application.workflow
    documents = selectors.application_documents(application=application)
    checklist = selectors_office.verification_checklist(application=application, documents=documents)
    available = workflow_selectors.available_actions(instance=instance, user=request.user) if instance else []
    by_code = {a.code: a for a in available}
    version = instance.version if instance else None
    initial = {"expected_version": version}
    panels: dict = {}

    fifo_earlier = 0
    if instance is not None and any(code in by_code for code in FIFO_ACTIONS):
        fifo_earlier = selectors_office.earlier_in_queue(instance=instance)

    if any(code in by_code for code in VERIFY_ACTIONS):
        routed = services.verify_action(application)
        panels["verify"] = {
            "form": bound.get("verify") or forms.ChecklistForm(rows=checklist, initial=initial),
            "verify": by_code.get(routed),
            "routed": routed,
            "inspect": by_code.get("verify_inspect") if routed != "verify_inspect" else None,
            "return": by_code.get("return"),
        }
        if panels["verify"]["inspect"] is not None and panels["verify"]["inspect"].blocked:
            panels["verify"]["inspect"] = None
    if "inspect_done" in by_code or "inspect_recommend" in by_code:
        panels["inspect"] = {"form": bound.get("inspect") or forms.InspectionForm(initial=initial)}
    if "recommend" in by_code:
        panels["recommend"] = {"form": bound.get("recommend") or forms.RecommendForm(initial=initial), "action": by_code["recommend"]}
    if "approve" in by_code:
        panels["approve"] = {"form": bound.get("approve") or forms.ApproveForm(initial=initial), "action": by_code["approve"]}
    if "sign" in by_code:
        panels["sign"] = {"form": bound.get("sign") or forms.SignForm(initial=initial), "action": by_code["sign"]}
    reject = next((by_code[c] for c in REJECT_ACTIONS.values() if c in by_code), None)
    if reject is not None:
        panels["reject"] = {"form": bound.get("reject") or forms.RejectForm(initial=initial), "action": reject}
    may_revoke = user_has_perm(user=request.user, tenant=tenant, perm=services.REVOKE_PERM)
    if application.state == "issued" and may_revoke:
        panels["revoke"] = {"form": bound.get("revoke") or forms.RevokeForm()}

    assign_form = None
    # The inspectorate reads the file; only the permits staff hand it out.
    if instance is not None and not instance.is_terminal and selectors_office.holds_permits_role(
        tenant=tenant, user=request.user
    ):
        assign_form = bound.get("assign") or forms.AssignForm(
            choices=_assign_choices(application), initial={"assignee": instance.assignee_id}
        )
    line = workflow_selectors.timeline(instance=instance) if instance else None
    return {
        "application": application,
        "instance": instance,
        "timeline": line,
        "checklist": checklist,
        "documents": documents,
        "form_rows": [
            (spec["label"], requirements.display_value(spec, application.form_data.get(spec["code"])))
            for spec in application.type_version.form_fields
        ],
        "correction": selectors.correction_open(application=application),
        "inspections": selectors.inspections_of(application=application),
        "panels": panels,
        "fifo_earlier": fifo_earlier,
        "assign_form": assign_form,
        "nik": nik,
        "may_reveal_nik": bool(application.applicant_nik)
        and services_office.is_permits_officer(user=request.user, tenant=tenant),
        "blocked": [a for a in available if a.blocked and a.code not in ("inspect_done", "inspect_recommend")],
    }


def _render_detail(request, application, *, bound=None, status=200, nik=""):
    context = _detail_context(request, application, bound=bound, nik=nik)
    return render(request, "permits/office/detail.html", context, status=status)


def _get(request, pk) -> Application:
    application = selectors.application_get(tenant=request.tenant, pk=pk)
    if application.workflow_id is None:
        # A draft is the applicant's (or the counter's) business, not the back office's.
        from django.http import Http404

        raise Http404
    return application


@permits_office_required(read_only=True)
def office_detail(request, pk):
    return _render_detail(request, _get(request, pk))


@require_POST
@tenant_perm_required(OFFICER_PERM)
def office_nik(request, pk):
    if not services_office.is_permits_officer(user=request.user, tenant=request.tenant):
        raise PermissionDenied
    application = _get(request, pk)
    nik = services_office.application_nik_reveal(application=application, actor=request.user, request=request)
    return _render_detail(request, application, nik=nik)


def _act(request, application, *, panel: str, form, call, success: str, fields: dict | None = None):
    """Run a decision: a valid form calls the service; a refusal re-renders the file with the reason."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except TransitionDenied as denied:
            form.add_error(None, denied.message)
        except ValidationError as exc:
            _add_errors(form, exc, fields=fields)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Anda tidak berwenang melakukan ini."))
        else:
            messages.success(request, success)
            return _see_other(_detail_url(request, application.pk))
    return _render_detail(request, selectors.application_get(tenant=request.tenant, pk=application.pk), bound={panel: form}, status=400)


def _reason(form) -> str:
    return form.cleaned_data.get("reason_code") or ""


@require_POST
@tenant_perm_required("permits.verify")
def office_verify(request, pk):
    application = _get(request, pk)
    checklist = selectors_office.verification_checklist(application=application)
    form = forms.ChecklistForm(request.POST, rows=checklist)
    decision = request.POST.get("decision", "verify")
    if form.is_valid():
        if decision == "return":
            items = form.correction_items()
            if not items:
                form.add_error(None, _("Tandai «Perlu diperbaiki» pada setidaknya satu baris daftar periksa, lalu tulis catatannya."))
            elif not form.cleaned_data["note"].strip():
                form.add_error("note", _("Tulis catatan untuk pemohon: apa yang kurang dan bagaimana memperbaikinya."))
        elif form.unchecked():
            form.add_error(
                None,
                _("Berkas hanya dapat dinyatakan lengkap bila semua baris daftar periksa bertanda «Sesuai». Periksa: %(rows)s.")
                % {"rows": ", ".join(r.label for r in form.unchecked())},
            )

    def call(data):
        version = data.get("expected_version")
        if decision == "return":
            services.application_return_for_correction(
                application=application, items=form.correction_items(), note=data["note"], actor=request.user,
                expected_version=version,
            )
        elif decision == "inspect":
            services.application_send_to_inspection(
                application=application, actor=request.user, comment=data["note"], reason_code=_reason(form),
                expected_version=version,
            )
        else:
            services.application_verify(
                application=application, actor=request.user, comment=data["note"], reason_code=_reason(form),
                expected_version=version,
            )

    success = (
        _("Berkas dikembalikan kepada pemohon untuk diperbaiki; jam SLA berhenti sementara.")
        if decision == "return"
        else _("Berkas dinyatakan lengkap dan diteruskan ke tahap berikutnya.")
    )
    return _act(request, application, panel="verify", form=form, call=call, success=success, fields={"items": "note"})


@require_POST
@tenant_perm_required("permits.inspect")
def office_inspect(request, pk):
    application = _get(request, pk)
    form = forms.InspectionForm(request.POST, request.FILES)

    def call(data):
        services.application_record_inspection(
            application=application, report=data["report"], photos=data["photos"], actor=request.user,
            expected_version=data.get("expected_version"),
        )

    return _act(request, application, panel="inspect", form=form, call=call, success=_("Laporan survei lapangan disimpan."))


@require_POST
@tenant_perm_required("permits.inspect")
def office_recommend(request, pk):
    application = _get(request, pk)
    form = forms.RecommendForm(request.POST)

    def call(data):
        services.application_recommend(
            application=application, recommendation=data["recommendation"], actor=request.user,
            expected_version=data.get("expected_version"),
        )

    return _act(request, application, panel="recommend", form=form, call=call, success=_("Rekomendasi teknis disimpan."))


@require_POST
@tenant_perm_required("permits.approve")
def office_approve(request, pk):
    application = _get(request, pk)
    form = forms.ApproveForm(request.POST)

    def call(data):
        services.application_approve(
            application=application, actor=request.user, comment=data["comment"], reason_code=_reason(form),
            expected_version=data.get("expected_version"),
        )

    return _act(request, application, panel="approve", form=form, call=call, success=_("Permohonan disetujui dan diteruskan untuk ditandatangani."))


@require_POST
@tenant_perm_required("permits.sign")
def office_sign(request, pk):
    application = _get(request, pk)
    form = forms.SignForm(request.POST)

    def call(data):
        services.application_sign(
            application=application, actor=request.user, reason_code=_reason(form),
            expected_version=data.get("expected_version"),
        )

    return _act(request, application, panel="sign", form=form, call=call, success=_("Izin ditandatangani dan diterbitkan."))


@require_POST
@permits_office_required()
def office_reject(request, pk):
    # The step's role decides who may reject (verifier, inspector or approver): the engine checks it.
    application = _get(request, pk)
    form = forms.RejectForm(request.POST)

    def call(data):
        services.application_reject(
            application=application, reason=data["reason"], actor=request.user, expected_version=data.get("expected_version")
        )

    return _act(request, application, panel="reject", form=form, call=call, success=_("Permohonan ditolak; pemohon diberi tahu alasannya."))


@require_POST
@tenant_perm_required(services.REVOKE_PERM)
def office_revoke(request, pk):
    application = _get(request, pk)
    form = forms.RevokeForm(request.POST)

    def call(data):
        services.application_revoke(application=application, reason=data["reason"], actor=request.user)

    return _act(request, application, panel="revoke", form=form, call=call, success=_("Izin dicabut; halaman verifikasinya kini menyatakan dicabut."))


@require_POST
@permits_office_required()
def office_assign(request, pk):
    application = _get(request, pk)
    form = forms.AssignForm(request.POST, choices=_assign_choices(application))
    if form.is_valid():
        try:
            if "auto" in request.POST:
                chosen = services_office.application_assign_balanced(application=application, actor=request.user)
                success = _("Berkas ditugaskan kepada %(name)s (beban kerja paling ringan).") % {"name": chosen.full_name or chosen.email}
            else:
                chosen_id = form.cleaned_data["assignee"]
                assignee = next((u for u in services_office.assignable_people(application=application) if u.pk == chosen_id), None)
                services_office.application_assign(
                    application=application, assignee=assignee, actor=request.user, reason=form.cleaned_data["reason"]
                )
                success = _("Penugasan berkas disimpan.")
        except AssignmentRefused as exc:
            form.add_error("reason" if exc.code == "reason" else None, exc.message)
        else:
            messages.success(request, success)
            return _see_other(_detail_url(request, application.pk))
    return _render_detail(request, selectors.application_get(tenant=request.tenant, pk=pk), bound={"assign": form}, status=400)


# --- counter -----------------------------------------------------------------------------------------

COUNTER_PERM = services.COUNTER_PERM


def _type_choices(tenant):
    return [(t.pk, t.name) for t in selectors_office.counter_types(tenant=tenant)]


def _render_counter_new(request, *, search=None, found=None, existing=None, new=None, status=200):
    types = _type_choices(request.tenant)
    return render(
        request, "permits/office/counter_new.html",
        {
            "search_form": search or forms.CitizenSearchForm(),
            "found": found,
            "existing_form": existing or (forms.CounterExistingForm(types=types, initial={"q": search["q"].value()}) if found else None),
            "new_form": new or forms.CounterNewCitizenForm(types=types),
        },
        status=status,
    )


def _counter_type(request, pk):
    return selectors.permit_type_get(tenant=request.tenant, pk=pk, public=True)


@tenant_perm_required(COUNTER_PERM)
def office_counter_new(request):
    tenant = request.tenant
    if request.method != "POST":
        if "q" not in request.GET:
            return _render_counter_new(request)
        search = forms.CitizenSearchForm(request.GET)
        found = selectors_office.citizen_find(query=search.data.get("q", "")) if search.is_valid() else None
        if search.is_valid() and found is None:
            search.add_error(
                "q", _("Tidak ada akun dengan NIK atau surel itu. Periksa ketikannya, atau daftarkan pemohon baru di bawah.")
            )
        return _render_counter_new(request, search=search, found=found)
    types = _type_choices(tenant)
    if request.POST.get("mode") == "existing":
        form = forms.CounterExistingForm(request.POST, types=types)
        found = selectors_office.citizen_find(query=request.POST.get("q", ""))
        if form.is_valid() and found is not None:
            try:
                application = services.counter_application_create(
                    tenant=tenant, permit_type=_counter_type(request, form.cleaned_data["permit_type"]),
                    entered_by=request.user, form_data={}, applicant=found,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _see_other(reverse("permits:office_counter_form", kwargs={"tenant": tenant.slug, "pk": application.pk}))
        if found is None:
            form.add_error(None, _("Pemohon tidak ditemukan lagi. Cari ulang dengan NIK atau surelnya."))
        search = forms.CitizenSearchForm({"q": request.POST.get("q", "")})
        search.is_valid()
        return _render_counter_new(request, search=search, found=found, existing=form, status=400)
    form = forms.CounterNewCitizenForm(request.POST, types=types)
    if form.is_valid():
        data = form.cleaned_data
        try:
            application = services.counter_application_create(
                tenant=tenant, permit_type=_counter_type(request, data["permit_type"]), entered_by=request.user,
                form_data={},
                citizen={
                    "full_name": data["full_name"], "nik": data["nik"], "email": data["email"],
                    "phone": data["phone"] or None, "birth_date": data["birth_date"],
                },
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _see_other(reverse("permits:office_counter_form", kwargs={"tenant": tenant.slug, "pk": application.pk}))
    return _render_counter_new(request, new=form, status=400)


def _counter_form(application, data=None, files=None):
    present = {d.requirement_code for d in selectors.application_documents(application=application)}
    cls = forms.application_form_class(application.type_version, documents_present=present)
    initial = {f"f_{k}": v for k, v in application.form_data.items()}
    initial.update({code: getattr(application, code) for code in forms.BUSINESS_FIELDS})
    return cls(data, files, initial=initial)


def _render_counter_form(request, application, form, *, status=200, missing=None):
    return render(
        request, "permits/office/counter_form.html",
        {
            "application": application, "form": form, "missing": missing or {},
            "requirements": selectors.requirement_statuses(application=application),
        },
        status=status,
    )


@tenant_perm_required(COUNTER_PERM)
def office_counter_form(request, pk):
    tenant = request.tenant
    application = selectors_office.counter_application_get(tenant=tenant, pk=pk)
    receipt = reverse("permits:office_counter_receipt", kwargs={"tenant": tenant.slug, "pk": application.pk})
    if application.state not in ("", "draft"):
        return _see_other(receipt)
    if request.method != "POST":
        return _render_counter_form(request, application, _counter_form(application))
    form = _counter_form(application, request.POST, request.FILES)
    if not form.is_valid():
        return _render_counter_form(request, application, form, status=400)
    version = application.type_version
    answers = {}
    for spec in version.form_fields:
        value = form.cleaned_data.get(f"f_{spec['code']}")
        if spec["type"] == "boolean":
            answers[spec["code"]] = "ya" if value else "tidak"
        elif value not in (None, ""):
            answers[spec["code"]] = value
    business = {code: form.cleaned_data.get(code) or "" for code in forms.BUSINESS_FIELDS}
    try:
        # Answers and uploads are kept together or not at all: a refused upload saves nothing.
        with transaction.atomic():
            services.application_update_draft(application=application, form_data=answers, actor=request.user, **business)
            for spec in version.documents:
                upload = form.cleaned_data.get(f"d_{spec['code']}")
                if upload:
                    services.application_attach_document(
                        application=application, requirement_code=spec["code"], upload=upload, actor=request.user
                    )
    except ValidationError as exc:
        _add_errors(form, exc, fields={spec["code"]: f"f_{spec['code']}" for spec in version.form_fields})
        return _render_counter_form(request, application, form, status=400)
    if "submit" not in request.POST:
        messages.success(request, _("Isian dan dokumen disimpan sebagai draf."))
        return _see_other(request.path)
    try:
        number = services.application_submit(application=application, actor=request.user)
    except ValidationError as exc:
        missing = exc.message_dict if hasattr(exc, "error_dict") else {}
        if not missing:
            form.add_error(None, exc.messages)
        for key, errors in missing.items():
            if f"f_{key}" in form.fields:
                target = f"f_{key}"
            elif key.startswith("document:"):
                target = f"d_{key.split(':', 1)[1]}"
            else:
                target = key  # the business fields keep their names
            form.add_error(target if target in form.fields else None, errors)
        return _render_counter_form(request, application, form, status=400, missing=missing)
    messages.success(request, _("Permohonan diajukan dengan nomor %(number)s. Cetak tanda terima untuk pemohon.") % {"number": number})
    return _see_other(receipt)


@tenant_perm_required(COUNTER_PERM)
def office_counter_receipt(request, pk):
    application = selectors_office.counter_application_get(tenant=request.tenant, pk=pk)
    return render(
        request, "permits/office/counter_receipt.html",
        {"application": application, "documents": selectors.application_documents(application=application)},
    )
