"""Pages of a signed-in person's businesses and organisations, under their account (`/accounts/badan/`).

Every entity is looked up through `entity_for_representative`, so someone who does not (or no longer)
represent it gets a 404, exactly as for an entity that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from balai.core.ratelimit import per_minute_exceeded

from . import selectors, services
from .forms import EntityForm, EntityRegisterForm, RepresentativeAddForm
from .models import LegalEntity

# The kind as it appears in the address of the registration page.
KIND_SLUGS = {"usaha": LegalEntity.Kind.BUSINESS, "organisasi": LegalEntity.Kind.ORGANISATION}
# Adding a representative tells whether an address has a Balai account: a person may try only so many a minute.
ADD_ATTEMPTS_PER_MINUTE = 10


def _add_errors(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _status(request) -> int:
    # A form shown again after a POST was refused.
    return 400 if request.method == "POST" else 200


@login_required
def entity_list(request):
    entities = selectors.entities_represented_by(user=request.user)
    return render(request, "parties/entity_list.html", {"entities": entities})


@login_required
def entity_register(request, kind):
    kind_value = KIND_SLUGS.get(kind)
    if kind_value is None:
        raise Http404
    form = EntityRegisterForm(
        request.POST or None, kind=kind_value, initial={"regency_code": selectors.regency_from_nik(request.user.nik)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entity = services.entity_register(
                kind=kind_value,
                name=data["name"],
                nib=data.get("nib", ""),
                npwp=data["npwp"],
                address=data["address"],
                regency_code=data["regency_code"],
                role=data["role"],
                actor=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s terdaftar. Anda wakilnya di Balai.") % {"name": entity.name})
            return redirect("parties:entity_detail", pk=entity.pk)
    return render(
        request, "parties/entity_register.html", {"form": form, "is_business": kind_value == LegalEntity.Kind.BUSINESS},
        status=_status(request),
    )


@login_required
def entity_detail(request, pk):
    entity = selectors.entity_for_representative(user=request.user, pk=pk)
    representatives = selectors.entity_representatives(entity=entity)
    current = [r for r in representatives if r.until is None]
    return render(
        request,
        "parties/entity_detail.html",
        {
            "entity": entity,
            "current": current,
            "ended": [r for r in representatives if r.until is not None],
            "can_end": len(current) > 1,
        },
    )


@login_required
def entity_update(request, pk):
    entity = selectors.entity_for_representative(user=request.user, pk=pk)
    initial = {f: getattr(entity, f) for f in ("name", "nib", "npwp", "address", "regency_code")}
    form = EntityForm(request.POST or None, kind=entity.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.entity_update(
                entity=entity,
                name=data["name"],
                nib=data.get("nib"),
                npwp=data["npwp"],
                address=data["address"],
                regency_code=data["regency_code"],
                actor=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Data %(name)s disimpan.") % {"name": data["name"]})
            return redirect("parties:entity_detail", pk=entity.pk)
    return render(request, "parties/entity_update.html", {"form": form, "entity": entity}, status=_status(request))


@login_required
def representative_add(request, pk):
    entity = selectors.entity_for_representative(user=request.user, pk=pk)
    form = RepresentativeAddForm(request.POST or None)
    if request.method == "POST" and per_minute_exceeded(
        scope="parties:representative_add", key=str(request.user.pk), limit=ADD_ATTEMPTS_PER_MINUTE
    ):
        form.is_valid()
        form.add_error(None, _("Terlalu banyak percobaan menambah wakil. Tunggu satu menit, lalu coba lagi."))
        return render(request, "parties/representative_add.html", {"form": form, "entity": entity}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            representative = services.representative_add(
                entity=entity, contact=form.cleaned_data["contact"], role=form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s sekarang wakil %(entity)s dan dapat mengurus layanan atas namanya.")
                % {"name": representative.user.full_name, "entity": entity.name},
            )
            return redirect("parties:entity_detail", pk=entity.pk)
    return render(request, "parties/representative_add.html", {"form": form, "entity": entity}, status=_status(request))


@login_required
def representative_end(request, pk, representative_pk):
    entity = selectors.entity_for_representative(user=request.user, pk=pk)
    representative = selectors.representative_of_entity(entity=entity, pk=representative_pk)
    is_self = representative.user_id == request.user.pk
    if request.method == "POST":
        try:
            services.representative_end(representative=representative, actor=request.user)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return redirect("parties:entity_detail", pk=entity.pk)
        if is_self:
            messages.success(request, _("Anda tidak lagi mewakili %(entity)s.") % {"entity": entity.name})
            return redirect("parties:entity_list")
        messages.success(
            request,
            _("%(name)s tidak lagi mewakili %(entity)s.") % {"name": representative.user.full_name, "entity": entity.name},
        )
        return redirect("parties:entity_detail", pk=entity.pk)
    others = selectors.entity_representatives(entity=entity)
    is_last = sum(1 for r in others if r.until is None) <= 1
    return render(
        request,
        "parties/representative_end.html",
        {"entity": entity, "representative": representative, "is_self": is_self, "is_last": is_last},
    )
