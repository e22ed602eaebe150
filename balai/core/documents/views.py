"""The tenant administrator's pages: document templates (versioned), the letterhead, issued documents."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.accounts.access import tenant_perm_required
from balai.core.accounts.selectors import membership_for
from balai.core.audit.services import audit_refusal_soon
from balai.core.files import rules as file_rules
from balai.core.files.responses import stored_file_response

from . import selectors, services
from .forms import LetterheadForm, RevokeForm, TemplateForm
from .kinds import revoke_page
from .verify_views import local_time_label

PERM = "tenants.manage"


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@tenant_perm_required(PERM)
def document_list(request):
    rows = selectors.document_list(tenant=request.tenant)[:200]
    items = [(d, selectors.document_state(d)) for d in rows]
    return render(request, "documents/document_list.html", {"items": items})


def _may_download(request, document) -> bool:
    """The module that issued the document decides who gets its PDF (its download rule in core.files): a
    permit goes to its holder, the permits staff and the inspectorate, not to the administrator as such."""
    return file_rules.may_download(user=request.user, tenant=request.tenant, stored_file=document.pdf_file)


def _detail(request, document, *, form=None, status=200, refused: str = ""):
    context = {
        # A document its issuing module revokes through its own flow (a permit): a link there, no button.
        "revoke_page": revoke_page(document),
        "refused": refused,
        "document": document,
        "may_download": _may_download(request, document),
        "state": selectors.document_state(document),
        "issued_at_label": local_time_label(document.issued_at, request.tenant),
        "revoked_at_label": local_time_label(document.revoked_at, request.tenant)
        if document.revoked_at
        else "",
        "form": form or RevokeForm(),
    }
    return render(request, "documents/document_detail.html", context, status=status)


@tenant_perm_required(PERM)
def document_detail(request, pk):
    return _detail(request, selectors.document_get(tenant=request.tenant, pk=pk))


@tenant_perm_required(PERM)
def document_pdf(request, pk):
    document = selectors.document_get(tenant=request.tenant, pk=pk)
    if not _may_download(request, document):
        audit_refusal_soon(
            tenant=request.tenant,
            actor=request.user,
            action="documents.pdf_refused",
            obj=document,
            data={"kind": document.kind},
            request=request,
        )
        raise PermissionDenied
    try:
        handle = selectors.document_pdf_open(document)
    except OSError:
        raise Http404 from None
    return stored_file_response(
        request, document.pdf_file, handle,
        membership=membership_for(user=request.user, tenant=request.tenant),
        filename=f"{document.number.replace('/', '-')}.pdf",
    )


@require_POST
@tenant_perm_required(PERM)
def document_revoke(request, pk):
    document = selectors.document_get(tenant=request.tenant, pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.document_revoke(
                document=document, reason=form.cleaned_data["reason"], actor=request.user
            )
        except services.RevokeElsewhere as exc:
            # Refused (and audited) by the service: the issuing module's flow must revoke it.
            return _detail(request, document, status=409, refused=str(exc.message))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Dokumen %(number)s dicabut.") % {"number": document.number})
            return redirect("documents:document_detail", tenant=request.tenant.slug, pk=document.pk)
    return _detail(request, document, form=form, status=400)


@tenant_perm_required(PERM)
def template_list(request):
    return render(
        request, "documents/template_list.html", {"templates": selectors.template_list(tenant=request.tenant)}
    )


def _save_template(request, form, *, template=None):
    try:
        saved = services.template_save(
            tenant=request.tenant,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            body=form.cleaned_data["body"],
            actor=request.user,
        )
    except ValidationError as exc:
        _apply_errors(form, exc)
        return None
    messages.success(
        request,
        _("Templat %(name)s disimpan sebagai versi %(version)s.")
        % {"name": saved.name, "version": saved.version},
    )
    return redirect("documents:template_edit", tenant=request.tenant.slug, pk=saved.pk)


@tenant_perm_required(PERM)
def template_create(request):
    form = TemplateForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        response = _save_template(request, form)
        if response is not None:
            return response
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/template_form.html", {"form": form, "versions": []}, status=status)


@tenant_perm_required(PERM)
def template_edit(request, pk):
    template = selectors.template_get(tenant=request.tenant, pk=pk)
    current = selectors.template_current(tenant=request.tenant, kind=template.kind)
    shown = template if request.GET.get("versi") or request.method == "POST" else current
    if request.method == "POST":
        data = request.POST.copy()
        data["kind"] = template.kind  # the kind of an existing template does not change
        form = TemplateForm(data)
        if form.is_valid():
            response = _save_template(request, form, template=template)
            if response is not None:
                return response
        status = 400
    else:
        form = TemplateForm(initial={"kind": shown.kind, "name": shown.name, "body": shown.body})
        status = 200
    form.fields["kind"].disabled = True
    versions = selectors.template_versions(tenant=request.tenant, kind=template.kind)
    context = {"form": form, "template": template, "current": current, "shown": shown, "versions": versions}
    return render(request, "documents/template_form.html", context, status=status)


@tenant_perm_required(PERM)
def letterhead_edit(request):
    html, css = selectors.letterhead_for(tenant=request.tenant)
    form = LetterheadForm(request.POST or None, initial={"html": html, "css": css})
    if request.method == "POST" and form.is_valid():
        try:
            services.letterhead_save(
                tenant=request.tenant,
                html=form.cleaned_data["html"],
                css=form.cleaned_data["css"],
                actor=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, _("Kop surat disimpan. Dokumen yang terbit berikutnya memakai kop ini.")
            )
            return redirect("documents:letterhead_edit", tenant=request.tenant.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/letterhead_form.html", {"form": form}, status=status)
