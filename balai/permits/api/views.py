"""The permits REST API under `/api/v1/<tenant>/permits/` (TenantMiddleware sets `request.tenant`).

Thin views: parse with a serializer, look up through the permits selectors (tenant-scoped; someone
else's application is a 404), call the same services as the HTML pages, answer with a serializer.
Refusals of the services come out as the core API's JSON errors (see `service_errors`).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from balai.core.api import serializers as core_s
from balai.core.api.errors import ApiError
from balai.core.api.idempotency import idempotent
from balai.core.api.pagination import BalaiPagination
from balai.core.api.permissions import IsTenantPrincipal
from balai.core.api.views import ERRORS, IDEMPOTENCY_PARAMETER, BaseAPIView, PublicAPIView
from balai.core.documents.masking import mask_name
from balai.core.workdays.selectors import calendar_for
from balai.core.workflow import clock
from balai.core.workflow.definitions import label_text
from balai.core.workflow.services import WorkflowError

from .. import selectors, selectors_applicant, selectors_business, services, tracking_cache
from ..fees import rupiah
from ..models import Application
from ..workflow import ESCALATION_WORKFLOWS
from . import serializers as s
from .permissions import CanApply, HasAnyScope, IsPermitsOfficer, IsPerson
from .registry import APPLY, OFFICE, READ

TAG_PUBLIC = "permits (public)"
TAG_APPLICANT = "permits (applicant)"
TAG_OFFICE = "permits (office)"

BAD_REQUEST = OpenApiResponse(core_s.ErrorSerializer, description="An input is wrong; `fields` says which and why.")
CONFLICT = OpenApiResponse(
    core_s.ErrorSerializer,
    description="The file's state does not allow it now; `code` is the workflow engine's (state, guard, fifo, stale...).",
)
REUSED_KEY = OpenApiResponse(core_s.ErrorSerializer, description="The Idempotency-Key was used for another request.")
PUBLIC_ERRORS = {404: ERRORS[404], 429: ERRORS[429]}

# The workflow engine's refusal codes that mean "not you" (403) or "say more" (400); the others (the
# file's state, a guard such as an unpaid bill, first in first out, a stale view) are conflicts (409).
DENIED_FORBIDDEN = frozenset({"role", "assignee", "unassigned", "separation", "forbidden", "assignee_role"})
DENIED_INPUT = frozenset({"comment", "documents", "reason_code", "reason"})

PERMITS_WORKFLOWS = tuple(sorted(set(ESCALATION_WORKFLOWS.values())))


def _validation_fields(exc: DjangoValidationError, form_codes=frozenset()) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": [str(m) for m in exc.messages]}
    fields = {}
    for key, messages in exc.message_dict.items():
        if key == "__all__":
            key = "non_field_errors"
        elif key in form_codes:
            key = f"form_data.{key}"
        fields[key] = [str(m) for m in messages]
    return fields


@contextmanager
def service_errors(form_codes=frozenset()):
    """Turn the services' refusals into API errors: the engine's TransitionDenied keeps its code and
    message (403 for who, 400 for a missing input, else 409); PermissionDenied keeps its message (403);
    ValidationError is a 400 with `fields` (form answers under `form_data.<code>`)."""
    try:
        yield
    except WorkflowError as denied:
        if denied.code in DENIED_FORBIDDEN:
            code = status.HTTP_403_FORBIDDEN
        elif denied.code in DENIED_INPUT:
            code = status.HTTP_400_BAD_REQUEST
        else:
            code = status.HTTP_409_CONFLICT
        raise ApiError(code=denied.code, message=denied.message, status_code=code) from None
    except DjangoPermissionDenied as exc:
        message = str(exc) or _("Anda tidak berhak melakukan ini pada berkas ini.")
        raise ApiError(code="permission_denied", message=message, status_code=status.HTTP_403_FORBIDDEN) from None
    except DjangoValidationError as exc:
        raise ApiError(
            code="validation_failed",
            message=_("Ada isian yang belum benar. Perbaiki isian yang disebut di bagian fields, lalu kirim lagi."),
            fields=_validation_fields(exc, form_codes),
        ) from None


def _absolute(request, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(f"permits_api:{name}", kwargs={"tenant": request.tenant.slug, **kwargs}))


def _state_label(application: Application) -> str:
    if not application.workflow_id:
        return _("Draf")
    instance = application.workflow
    state = instance.definition.parsed.states.get(instance.state)
    return label_text(state.label) if state else instance.state


def _verification_url(request, code: str) -> str | None:
    return request.build_absolute_uri(reverse("verify:document", kwargs={"code": code})) if code else None


# --- the public catalogue ----------------------------------------------------------------------------


def _field(spec: dict) -> dict:
    def bound(value):
        return None if value is None else str(value)

    return {
        "code": spec["code"], "label": spec.get("label", spec["code"]), "type": spec.get("type", "text"),
        "required": bool(spec.get("required")), "min": bound(spec.get("min")), "max": bound(spec.get("max")),
        "help": spec.get("help", "") or "",
        "choices": [{"value": str(c["value"]), "label": str(c.get("label", c["value"]))} for c in spec.get("choices", [])],
    }


def _document_spec(spec: dict) -> dict:
    return {
        "code": spec["code"], "label": spec.get("label", spec["code"]), "kinds": list(spec.get("kinds", [])),
        "mandatory": bool(spec.get("mandatory")), "max_mb": int(spec.get("max_mb", 0)),
    }


def _permit_type(request, permit_type, *, detail: bool = False) -> dict:
    version = permit_type.current_version
    data = {
        "code": permit_type.code, "name": permit_type.name, "description": permit_type.description,
        "unit": permit_type.unit.name if permit_type.unit_id else None, "sla_days": permit_type.sla_days,
        "validity_months": permit_type.validity_months, "renewable": permit_type.renewable,
        "needs_appointment": permit_type.needs_appointment, "inspection": permit_type.inspection,
        "fee_model": version.fee_model if version else "none",
        "url": _absolute(request, "type_detail", code=permit_type.code),
    }
    if detail:
        data.update(
            version=version.number,
            form_fields=[_field(f) for f in version.form_fields],
            documents=[_document_spec(d) for d in version.documents],
            quote_url=_absolute(request, "type_quote", code=permit_type.code),
        )
    return data


class PermitTypeListView(PublicAPIView):
    """The Pemda's published permit types (the public catalogue), by name."""

    serializer_class = s.PermitTypeSerializer
    pagination_class = BalaiPagination

    @extend_schema(
        tags=[TAG_PUBLIC], operation_id="permits_type_list", auth=[],
        responses={200: s.PermitTypeSerializer(many=True), **PUBLIC_ERRORS},
    )
    def get(self, request):
        page = self.paginate_queryset(selectors.permit_types_public(tenant=request.tenant))
        return self.get_paginated_response([_permit_type(request, t) for t in page])


class PermitTypeDetailView(PublicAPIView):
    """A published permit type with its current requirements: form fields, documents, SLA, fee model."""

    serializer_class = s.PermitTypeDetailSerializer

    @extend_schema(
        tags=[TAG_PUBLIC], operation_id="permits_type_detail", auth=[],
        responses={200: s.PermitTypeDetailSerializer, **PUBLIC_ERRORS},
    )
    def get(self, request, code: str):
        permit_type = selectors.permit_type_get(tenant=request.tenant, code=code, public=True)
        return Response(s.PermitTypeDetailSerializer(_permit_type(request, permit_type, detail=True)).data)


class PermitTypeQuoteView(PublicAPIView):
    """The fee for a set of answers (the fee simulator): amount in integer rupiah, lines, explanation."""

    serializer_class = s.QuoteSerializer

    @extend_schema(
        tags=[TAG_PUBLIC], operation_id="permits_type_quote", auth=[], request=s.QuoteRequestSerializer,
        responses={200: s.QuoteSerializer, 400: BAD_REQUEST, **PUBLIC_ERRORS},
    )
    def post(self, request, code: str):
        permit_type = selectors.permit_type_get(tenant=request.tenant, code=code, public=True)
        parsed = s.QuoteRequestSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        version = permit_type.current_version
        codes = frozenset(f["code"] for f in version.form_fields)
        with service_errors(codes):
            cleaned = services.form_validate(fields=version.form_fields, data=parsed.validated_data["form_data"], partial=True)
            quote = services.fee_quote(version=version, form_data=cleaned)
        body = {
            "amount": quote.amount, "amount_display": rupiah(quote.amount),
            "lines": [{"label": str(label), "amount": amount} for label, amount in quote.lines],
            "explanation": str(quote.explanation),
        }
        return Response(s.QuoteSerializer(body).data)


# --- public tracking ---------------------------------------------------------------------------------


def _tracking(request, application: Application, *, for_owner: bool) -> dict:
    # The objects already in hand stand in for lookups the timeline would repeat.
    application.tenant = request.tenant
    if application.workflow_id:
        application.workflow.tenant = request.tenant
    track = selectors.tracking_timeline(application=application, for_owner=for_owner)
    name = application.applicant_name
    return _tracking_body(request, track, applicant_name=name if for_owner else mask_name(name), for_owner=for_owner)


def _tracking_body(request, track: selectors.Tracking, *, applicant_name: str, for_owner: bool) -> dict:
    steps = []
    for step in track.steps:
        row = {
            "at": step.at, "state": step.state, "label": step.label, "action_label": step.action_label,
            "by": step.by, "paused": step.paused, "sla_remaining_days": step.sla_remaining_days,
        }
        if for_owner:
            row["note"] = step.note
        steps.append(row)
    return {
        "registration_number": track.registration_number, "permit_type": track.permit_type,
        "applicant_name": applicant_name,
        "state": track.state, "state_label": str(track.state_label), "is_paused": track.is_paused,
        "is_closed": track.is_closed, "submitted_at": track.submitted_at, "sla_days": track.sla_days,
        "sla_remaining_days": track.sla_remaining_days, "sla_colour": track.sla_colour, "due_date": track.due_date,
        "elapsed_days": track.elapsed_days, "paused_days": track.paused_days, "valid_until": track.valid_until,
        "verification_url": _verification_url(request, track.document_code),
        "inspection_scheduled": (
            {"date": track.inspection["date"], "start": track.inspection["from"], "end": track.inspection["to"]}
            if track.inspection
            else None
        ),
        "steps": steps,
    }


class TrackView(PublicAPIView):
    """Public tracking by registration number: the timeline with dates, the SLA left in working days and
    its colour, whether the clock is paused. The applicant's name is masked; no officer is named.
    Answers may be up to a minute old (see tracking_cache.py); a change of the file clears it."""

    serializer_class = s.TrackingSerializer

    @extend_schema(
        tags=[TAG_PUBLIC], operation_id="permits_track", auth=[],
        responses={200: s.TrackingSerializer, **PUBLIC_ERRORS},
    )
    def get(self, request, registration_number: str):
        tenant = request.tenant
        day = timezone.localdate().isoformat()  # in the tenant's zone (TenantMiddleware)
        language = get_language()
        cached = tracking_cache.get(tenant.pk, registration_number, day, kind="api", language=language)
        if cached is not None:  # the JSON as first rendered (the throttle and the rest of DRF ran already)
            return HttpResponse(cached, content_type="application/json")
        # One query: the file's published facts (the public page's own lookup).
        facts = selectors_applicant.tracking_lookup(tenant=request.tenant, number=registration_number)
        if facts is None:
            raise ApiError(
                code="not_found",
                message=_("Nomor registrasi %(number)s tidak ditemukan di Pemda ini. Periksa nomornya pada tanda terima.")
                % {"number": registration_number[:40]},
                status_code=status.HTTP_404_NOT_FOUND,
            )
        track = selectors.tracking_from_facts(facts, calendar=calendar_for(tenant), now=clock.now())
        # Written as TrackingSerializer (the schema) would write it, without its per-field machinery:
        # this is the busiest public endpoint, and the answer is plain values.
        body = JSONRenderer().render(
            _as_json_values(_tracking_body(request, track, applicant_name=facts["applicant"], for_owner=False))
        )
        tracking_cache.put(tenant.pk, registration_number, day, body, kind="api", language=language)
        return HttpResponse(body, content_type="application/json")


def _as_json_values(body: dict) -> dict:
    """The tracking body with its dates as DRF's DateTimeField and DateField write them (instants in
    the active time zone, the tenant's; UTC as Z) and its labels as plain strings."""
    return {
        **body,
        "state_label": str(body["state_label"]),
        "submitted_at": _instant(body["submitted_at"]),
        "due_date": body["due_date"].isoformat() if body["due_date"] else None,
        "valid_until": body["valid_until"].isoformat() if body["valid_until"] else None,
        "steps": [
            {**step, "at": _instant(step["at"]), "label": str(step["label"]), "action_label": str(step["action_label"]),
             "by": str(step["by"])}
            for step in body["steps"]
        ],
    }


def _instant(value):
    if not value:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# --- the applicant's applications --------------------------------------------------------------------


class ApplicantAPIView(BaseAPIView):
    """A citizen's own applications: a person of the tenant; reads need permits:read or permits:apply,
    writes permits:apply (for tokens).

    `application` is the caller's own file, for everything that changes it; `readable` adds the submitted
    files of the businesses the caller currently represents, for the read-only endpoints (the file, its
    timeline, permit and receipt). Anyone else's file is a 404, as a missing one."""

    write_permissions = [CanApply]

    def get_permissions(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            classes = [IsTenantPrincipal, IsPerson, HasAnyScope(READ, APPLY)]
        else:
            classes = [IsTenantPrincipal, IsPerson, HasAnyScope(APPLY), *self.write_permissions]
        return [permission() for permission in classes]

    def application(self, pk: int) -> Application:
        return selectors.application_for_applicant(tenant=self.request.tenant, user=self.request.user, pk=pk)

    def readable(self, pk: int) -> Application:
        request = self.request
        return selectors_business.application_for_viewer(tenant=request.tenant, user=request.user, pk=pk)


def _summary(request, application: Application) -> dict:
    return {
        "id": application.pk, "registration_number": application.registration_number,
        "permit_type": {"code": application.permit_type.code, "name": application.permit_type.name},
        "state": application.state or "draft", "state_label": str(_state_label(application)),
        "channel": application.channel, "created_at": application.created_at, "submitted_at": application.submitted_at,
        "url": _absolute(request, "application_detail", pk=application.pk),
    }


def _bill(bill) -> dict:
    return {
        "billing_code": bill.code, "amount": bill.amount, "status": bill.status, "description": bill.description,
        "due_at": bill.due_at, "paid_at": bill.paid_at, "gateway": bill.gateway,
    }


def _detail(request, application: Application) -> dict:
    version = application.type_version
    state = application.state or "draft"
    # A representative following a colleague's file for their business reads it; only the applicant acts.
    follower = application.applicant_id != request.user.pk
    actions = selectors_applicant.applicant_actions(application=application, viewer=request.user)
    correction = selectors.correction_open(application=application) if actions.correct else None
    documents = selectors.application_documents(application=application)
    missing = services.completeness_errors(application) if state in ("draft", "returned") else {}
    permit = None
    if application.permit_document_id:
        doc = application.permit_document
        permit = {
            "number": doc.number, "verification_code": doc.code,
            "verification_url": _verification_url(request, doc.code), "status": doc.status,
            "valid_from": application.valid_from, "valid_until": application.valid_until,
            "download_url": _absolute(request, "application_permit", pk=application.pk),
        }
    return {
        **_summary(request, application),
        "applicant_name": application.applicant_name, "read_only": follower,
        "form_data": application.form_data, "business_name": application.business_name,
        "business_nib": application.business_nib, "business_npwp": application.business_npwp,
        "version": version.number,
        "form_fields": [_field(f) for f in version.form_fields],
        "required_documents": [_document_spec(d) for d in version.documents],
        "documents": [
            {
                "id": d.pk, "requirement_code": d.requirement_code, "name": d.file.download_name, "kind": d.file.kind,
                "size": d.file.size, "uploaded_at": d.uploaded_at,
            }
            for d in documents
        ],
        "missing": {k: str(v) for k, v in missing.items()},
        "editable": actions.edit or (actions.correct and correction is not None),
        "correction": (
            {
                "note": correction.note, "created_at": correction.created_at,
                "items": [
                    {"kind": i.get("kind", ""), "code": i.get("code", ""), "label": i.get("label", i.get("code", "")),
                     "note": i.get("note", "")}
                    for i in correction.items
                ],
            }
            if correction is not None
            else None
        ),
        "fee_amount": application.fee_amount,
        "bill": _bill(application.bill) if application.bill_id else None,
        "permit": permit,
        "receipt": _receipt(request, application),
    }


def _receipt(request, application: Application) -> dict | None:
    if not application.receipt_document_id:
        return None
    doc = application.receipt_document
    return {
        "number": doc.number, "verification_code": doc.code, "verification_url": _verification_url(request, doc.code),
        "download_url": _absolute(request, "application_receipt", pk=application.pk),
    }


def _form_codes(application_or_version) -> frozenset[str]:
    version = getattr(application_or_version, "type_version", application_or_version)
    return frozenset(f["code"] for f in version.form_fields)


# `?scope=` of the list: whose files.
SCOPE_MINE = "mine"
SCOPE_BUSINESS = "business"
SCOPES = (SCOPE_MINE, SCOPE_BUSINESS)


class ApplicationListView(ApplicantAPIView):
    """Your applications in this Pemda, newest first (drafts included); `?scope=business` lists instead
    the submitted files of the businesses you currently represent that someone else applied for (read
    only). POST starts a draft."""

    serializer_class = s.ApplicationSummarySerializer
    pagination_class = BalaiPagination

    @extend_schema(
        tags=[TAG_APPLICANT], operation_id="permits_application_list",
        parameters=[
            OpenApiParameter(
                "scope", str, enum=list(SCOPES), default=SCOPE_MINE,
                description=(
                    "Whose files (not the token's scopes): `mine`, your own applications, drafts included; "
                    "`business`, the submitted files of the businesses you currently represent (pengurus or "
                    "kuasa in the business registry) that another representative applied for. Those you may "
                    "read (the file, its timeline, permit and receipt) but only their applicant changes, "
                    "submits, pays, withdraws or complains about them; a colleague's draft is not listed, "
                    "and they leave the list when your representation ends."
                ),
            ),
        ],
        responses={200: s.ApplicationSummarySerializer(many=True), 400: BAD_REQUEST, **ERRORS},
    )
    def get(self, request):
        scope = request.query_params.get("scope") or SCOPE_MINE
        if scope not in SCOPES:
            raise ApiError(
                code="validation_failed",
                message=_("Ada isian yang belum benar. Perbaiki isian yang disebut di bagian fields, lalu kirim lagi."),
                fields={
                    "scope": [
                        _("Pilih mine (permohonan Anda sendiri) atau business (permohonan badan usaha yang Anda wakili).")
                    ]
                },
            )
        if scope == SCOPE_BUSINESS:
            rows = selectors_business.business_applications_for(tenant=request.tenant, user=request.user)
        else:
            rows = selectors.applications_of_applicant(tenant=request.tenant, user=request.user)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([_summary(request, a) for a in page])

    @extend_schema(
        tags=[TAG_APPLICANT], operation_id="permits_application_create", request=s.ApplicationCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: s.ApplicationSerializer, 400: BAD_REQUEST, 422: REUSED_KEY, **ERRORS},
    )
    @idempotent
    def post(self, request):
        parsed = s.ApplicationCreateSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = parsed.validated_data
        try:
            permit_type = selectors.permit_type_get(tenant=request.tenant, code=data["permit_type"], public=True)
        except Http404:
            raise ApiError(
                code="validation_failed",
                message=_("Ada isian yang belum benar. Perbaiki isian yang disebut di bagian fields, lalu kirim lagi."),
                fields={"permit_type": [_("Jenis izin ini tidak ada di katalog Pemda ini. Pilih kode dari daftar jenis izin.")]},
            ) from None
        with service_errors(_form_codes(permit_type.current_version)):
            application = services.application_create_draft(
                tenant=request.tenant, permit_type=permit_type, applicant=request.user, form_data=data["form_data"],
                actor=request.user, business_name=data["business_name"], business_nib=data["business_nib"],
                business_npwp=data["business_npwp"],
            )
        application = self.application(application.pk)
        return Response(s.ApplicationSerializer(_detail(request, application)).data, status=status.HTTP_201_CREATED)


class ApplicationDetailView(ApplicantAPIView):
    """One of your applications, or a submitted file of a business you represent (`read_only` true);
    PATCH (yours only) changes answers while it is a draft, or (returned for correction) only what the
    officer asked to fix."""

    serializer_class = s.ApplicationSerializer

    @extend_schema(
        tags=[TAG_APPLICANT], operation_id="permits_application_detail",
        responses={200: s.ApplicationSerializer, **ERRORS},
    )
    def get(self, request, pk: int):
        return Response(s.ApplicationSerializer(_detail(request, self.readable(pk))).data)

    @extend_schema(
        tags=[TAG_APPLICANT], operation_id="permits_application_update", request=s.ApplicationUpdateSerializer,
        responses={200: s.ApplicationSerializer, 400: BAD_REQUEST, **ERRORS},
    )
    def patch(self, request, pk: int):
        application = self.application(pk)
        parsed = s.ApplicationUpdateSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = parsed.validated_data
        with service_errors(_form_codes(application)):
            services.application_update_draft(
                application=application, form_data=data["form_data"], actor=request.user,
                business_name=data.get("business_name"), business_nib=data.get("business_nib"),
                business_npwp=data.get("business_npwp"),
            )
        return Response(s.ApplicationSerializer(_detail(request, self.application(pk))).data)


class DocumentUploadView(ApplicantAPIView):
    """Upload the file of one documentary requirement (multipart); a re-upload replaces the previous one.
    The content is checked against the requirement's formats and size."""

    serializer_class = s.UploadedDocumentSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG_APPLICANT], operation_id="permits_application_document_upload",
        request={"multipart/form-data": s.DocumentUploadSerializer}, parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: s.UploadedDocumentSerializer, 400: BAD_REQUEST, 422: REUSED_KEY, **ERRORS},
    )
    @idempotent
    def post(self, request, pk: int):
        application = self.application(pk)
        parsed = s.DocumentUploadSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        with service_errors():
            row = services.application_attach_document(
                application=application, requirement_code=parsed.validated_data["requirement_code"],
                upload=parsed.validated_data["file"], actor=request.user,
            )
        body = {
            "id": row.pk, "requirement_code": row.requirement_code, "name": row.file.download_name,
            "kind": row.file.kind, "size": row.file.size, "uploaded_at": row.uploaded_at,
        }
        return Response(s.UploadedDocumentSerializer(body).data, status=status.HTTP_201_CREATED)


class SubmitView(ApplicantAPIView):
    """Submit a complete draft (or send a returned file back with its corrections): a draft gets its
    registration number. Incomplete: 400 with what is missing in `fields`."""

    serializer_class = s.SubmittedSerializer

    @extend_schema(
        tags=[TAG_APPLICANT], operation_id="permits_application_submit", request=None,
        responses={200: s.SubmittedSerializer, 400: BAD_REQUEST, 409: CONFLICT, **ERRORS},
    )
    def post(self, request, pk: int):
        application = self.application(pk)
        state = application.state or "draft"
        with service_errors(_form_codes(application)):
            if state == "returned":
                services.application_resubmit(application=application, actor=request.user)
            elif state == "draft":
                services.application_submit(application=application, actor=request.user)
            else:
                raise ApiError(
                    code="already_submitted",
                    message=_("Permohonan ini sudah diajukan dengan nomor %(number)s; tidak ada yang perlu dikirim lagi.")
                    % {"number": application.registration_number},
                    status_code=status.HTTP_409_CONFLICT,
                )
        application = self.application(pk)
        body = {"registration_number": application.registration_number, "application": _detail(request, application)}
        return Response(s.SubmittedSerializer(body).data)


class TimelineView(ApplicantAPIView):
    """Your application's timeline (or that of a business file you follow): like public tracking, with the
    officers' notes to the applicant."""

    serializer_class = s.OwnerTrackingSerializer

    @extend_schema(
        tags=[TAG_APPLICANT], operation_id="permits_application_timeline",
        responses={200: s.OwnerTrackingSerializer, **ERRORS},
    )
    def get(self, request, pk: int):
        application = self.readable(pk)
        return Response(s.OwnerTrackingSerializer(_tracking(request, application, for_owner=True)).data)


class PayView(ApplicantAPIView):
    """The bill of your application and how to pay it: billing code, amount (integer rupiah) and the
    payment gateway's URL. 409 `no_bill` while the fee is not billed (before payment, or no fee)."""

    serializer_class = s.PaymentSerializer

    @extend_schema(
        tags=[TAG_APPLICANT], operation_id="permits_application_pay", request=None,
        responses={200: s.PaymentSerializer, 409: CONFLICT, **ERRORS},
    )
    def post(self, request, pk: int):
        from balai.core.payments.gateways import gateway_get

        application = self.application(pk)
        bill = application.bill
        if bill is None:
            if application.fee_amount == 0:
                message = _("Permohonan ini tidak dipungut retribusi; tidak ada yang perlu dibayar.")
            else:
                message = _("Belum ada tagihan: retribusi ditagihkan setelah berkas diverifikasi. Pantau status permohonan Anda.")
            raise ApiError(code="no_bill", message=message, status_code=status.HTTP_409_CONFLICT)
        body = _bill(bill)
        payment = gateway_get(bill.gateway).create_payment(bill)
        body["payment_url"] = request.build_absolute_uri(payment.payment_url)
        body["instructions"] = str(payment.instructions)
        return Response(s.PaymentSerializer(body).data)


class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PermitDownloadView(ApplicantAPIView):
    """The signed permit (PDF with its QR to /verify/) once issued, for the applicant and the business's
    current representatives. 409 `permit_not_issued` before that, `permit_revoked` after a revocation."""

    renderer_classes = [JSONRenderer, PdfRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and isinstance(response.data, dict):
            # Errors are JSON whatever the client said it accepts.
            response.accepted_renderer, response.accepted_media_type = JSONRenderer(), "application/json"
        return response

    @extend_schema(
        tags=[TAG_APPLICANT], operation_id="permits_application_permit",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The signed permit."),
            (409, "application/json"): CONFLICT,
            **{(code, "application/json"): value for code, value in ERRORS.items()},
        },
    )
    def get(self, request, pk: int):
        application = self.readable(pk)
        document = application.permit_document
        if document is None or application.state not in ("issued", "revoked"):
            raise ApiError(
                code="permit_not_issued",
                message=_("Izin belum terbit. Izin dapat diunduh setelah ditandatangani; pantau status permohonan Anda."),
                status_code=status.HTTP_409_CONFLICT,
            )
        if document.status != document.Status.VALID or application.state == "revoked":
            raise ApiError(
                code="permit_revoked",
                message=_("Izin ini sudah dicabut dan tidak berlaku lagi. Lihat alasannya di halaman verifikasi."),
                status_code=status.HTTP_409_CONFLICT,
            )
        return _pdf_response(
            document, code="permit_file_missing",
            message=_("Berkas izin tidak dapat dibuka saat ini. Coba lagi nanti atau hubungi kantor pelayanan."),
        )


class ReceiptDownloadView(PermitDownloadView):
    """The signed receipt of the paid retribution (PDF with its QR to /verify/), for the applicant and the
    business's current representatives. 409 `receipt_not_issued` while the fee is unpaid (or there is none
    to pay)."""

    @extend_schema(
        tags=[TAG_APPLICANT], operation_id="permits_application_receipt",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The signed receipt."),
            (409, "application/json"): CONFLICT,
            **{(code, "application/json"): value for code, value in ERRORS.items()},
        },
    )
    def get(self, request, pk: int):
        application = self.readable(pk)
        document = application.receipt_document if application.receipt_document_id else None
        if document is None:
            raise ApiError(
                code="receipt_not_issued",
                message=_("Belum ada bukti pembayaran: bukti terbit setelah retribusi lunas. Pantau status permohonan Anda."),
                status_code=status.HTTP_409_CONFLICT,
            )
        return _pdf_response(
            document, code="receipt_file_missing",
            message=_("Berkas bukti pembayaran tidak dapat dibuka saat ini. Coba lagi nanti atau hubungi kantor pelayanan."),
        )


def _pdf_response(document, *, code: str, message: str) -> FileResponse:
    """An issued document's signed PDF as a download named after its number; 503 `code` when the
    stored file cannot be opened."""
    from balai.core.documents.selectors import document_pdf_open

    try:
        handle = document_pdf_open(document)
    except OSError:
        raise ApiError(code=code, message=message, status_code=status.HTTP_503_SERVICE_UNAVAILABLE) from None
    filename = f"{document.number.replace('/', '-')}.pdf"
    return FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=filename)


class WithdrawView(ApplicantAPIView):
    """Withdraw your application before a decision (a draft too); an unpaid bill is cancelled."""

    serializer_class = s.ApplicationSerializer

    @extend_schema(
        tags=[TAG_APPLICANT], operation_id="permits_application_withdraw", request=s.WithdrawSerializer,
        responses={200: s.ApplicationSerializer, 409: CONFLICT, **ERRORS},
    )
    def post(self, request, pk: int):
        application = self.application(pk)
        parsed = s.WithdrawSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        with service_errors():
            services.application_withdraw(application=application, actor=request.user, reason=parsed.validated_data["reason"])
        return Response(s.ApplicationSerializer(_detail(request, self.application(pk))).data)


# --- the back office ---------------------------------------------------------------------------------

# The API's officer actions and the workflow actions each stands for (for the inbox's hints).
ACTIONS = {
    "verify": ("verify", "verify_inspect", "verify_recommend"),
    "send_to_inspection": ("verify_inspect",),
    "return": ("return",),
    "inspect": ("inspect_done", "inspect_recommend"),
    "recommend": ("recommend",),
    "approve": ("approve",),
    "sign": ("sign",),
    "reject": ("reject", "reject_inspection", "reject_approval"),
    "revoke": ("revoke",),
}


class OfficeAPIView(BaseAPIView):
    """The permit office: a person holding a permits role; reads need permits:read or permits:office,
    actions permits:office (for tokens)."""

    def get_permissions(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            classes = [IsTenantPrincipal, IsPerson, HasAnyScope(READ, OFFICE), IsPermitsOfficer]
        else:
            classes = [IsTenantPrincipal, IsPerson, HasAnyScope(OFFICE), IsPermitsOfficer]
        return [permission() for permission in classes]


def _api_actions(definition, state: str, roles: set[str]) -> list[str]:
    engine = {a.code for a in definition.actions_from(state) if set(a.real_roles) & roles}
    return [name for name, codes in ACTIONS.items() if engine & set(codes)]


class InboxView(OfficeAPIView):
    """The open files you can act on by role (assigned to you or to nobody), ordered by due date, then
    first in, first out. `?state=` and `?type=` filter; by default only your own units' files (as the
    office inbox: units where you hold a post and those below, and files no unit holds), `?unit=all`
    every unit, `?unit=<id>` one unit."""

    serializer_class = s.InboxRowSerializer
    pagination_class = BalaiPagination

    @extend_schema(
        tags=[TAG_OFFICE], operation_id="permits_inbox",
        parameters=[
            OpenApiParameter("state", str, description="Only files in this state (e.g. verification, approval)."),
            OpenApiParameter("type", str, description="Only files of this permit type (its code)."),
            OpenApiParameter(
                "unit", str,
                description=(
                    "Whose units' files: omitted, your own units (where you hold a post, own or acting, the units "
                    "below them, and files of types without a responsible unit; every unit if you hold no post); "
                    "`all`, every unit; a unit id, that unit."
                ),
            ),
        ],
        responses={200: s.InboxRowSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        from balai.core.accounts.selectors import membership_for

        from .. import selectors_office

        tenant = request.tenant
        unit = request.query_params.get("unit", "").strip()
        if unit not in ("", selectors_office.ALL_UNITS) and not unit.isdigit():
            raise ApiError(
                code="invalid", message=_("Parameter unit harus \"all\" atau nomor id unit, misalnya unit=12."),
                status_code=status.HTTP_400_BAD_REQUEST,
            )
        scope = selectors_office.inbox_unit_scope(tenant=tenant, user=request.user, choice=unit)
        rows = selectors_office.office_inbox(
            tenant=tenant, user=request.user, state=request.query_params.get("state") or None,
            type_code=request.query_params.get("type") or None, unit_id=scope.unit_id, own_units=scope.own_units,
        )
        page = self.paginate_queryset(rows)
        applications = selectors.applications_for_instances(tenant=tenant, instances=page)
        membership = membership_for(user=request.user, tenant=tenant)
        roles = set(membership.roles) if membership else set()
        out = []
        for instance in page:
            application = applications.get(instance.pk)
            if application is None:  # pragma: no cover - every permits instance has its application
                continue
            definition = instance.definition.parsed
            state = definition.states.get(instance.state)
            out.append(
                {
                    "id": application.pk, "registration_number": application.registration_number,
                    "permit_type": {"code": application.permit_type.code, "name": application.permit_type.name},
                    "applicant_name": application.applicant_name, "channel": application.channel,
                    "state": instance.state, "state_label": label_text(state.label) if state else instance.state,
                    "state_entered_at": instance.state_entered_at, "due_date": instance.due_date,
                    "assignee": (instance.assignee.full_name or instance.assignee.email) if instance.assignee_id else None,
                    "workflow_version": instance.version,
                    "actions": _api_actions(definition, instance.state, roles),
                }
            )
        return self.get_paginated_response(s.InboxRowSerializer(out, many=True).data)


ACTION_DESCRIPTION = """Act on a file as an officer. `action` is one of:

- `verify` (verifier): declare the file complete; it goes on where its type requires (inspection,
  technical recommendation, or payment). Reads `comment`, `reason_code`.
- `send_to_inspection` (verifier): verify and send it to field inspection although its rule does not require one.
- `return` (verifier): return it for correction; `items` name exactly what to fix, `note` tells the applicant.
- `inspect` (inspector holding the file): record the inspection `report` and `photos` (multipart).
- `recommend` (inspector): give the technical `recommendation`; the file goes to payment.
- `approve` (approver; never whoever verified the file; only once the bill is paid).
- `sign` (signer; only once the bill is paid): sign and issue the permit. Reads `reason_code`.
- `reject` (the step's officer): reject with a `reason` the applicant reads.
- `revoke` (holder of permits.revoke): revoke an issued permit with a `reason` shown on /verify/.

`expected_version` (the inbox row's `workflow_version`) refuses acting on a stale view (409 `stale`).
Refusals carry the workflow engine's code: 403 `role`, `assignee`, `unassigned`, `separation`;
409 `state`, `guard` (e.g. the bill is unpaid), `fifo` (an earlier file waits: give a `reason_code`),
`stale`, `terminal`; 400 for a missing input."""


class ActionView(OfficeAPIView):
    serializer_class = s.ActionResultSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG_OFFICE], operation_id="permits_application_action", description=ACTION_DESCRIPTION,
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=list(ACTIONS))],
        request={"application/json": s.ActionSerializer, "multipart/form-data": s.ActionSerializer},
        responses={200: s.ActionResultSerializer, 400: BAD_REQUEST, 409: CONFLICT, **ERRORS},
    )
    def post(self, request, pk: int, action: str):
        application = selectors.application_get(tenant=request.tenant, pk=pk)
        if action not in ACTIONS:
            raise ApiError(
                code="unknown_action",
                message=_("Aksi %(action)s tidak dikenal. Pilih salah satu: %(actions)s.")
                % {"action": action[:40], "actions": ", ".join(ACTIONS)},
                status_code=status.HTTP_404_NOT_FOUND,
            )
        parsed = s.ActionSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = parsed.validated_data
        actor, version = request.user, data["expected_version"]
        common = {"application": application, "actor": actor}
        # No transaction around the services: each is atomic, and a refusal must reach the audit chain.
        with service_errors():
            if action == "verify":
                services.application_verify(
                    **common, comment=data["comment"], reason_code=data["reason_code"], expected_version=version
                )
            elif action == "send_to_inspection":
                services.application_send_to_inspection(
                    **common, comment=data["comment"], reason_code=data["reason_code"], expected_version=version
                )
            elif action == "return":
                services.application_return_for_correction(
                    **common, items=data["items"], note=data["note"] or data["comment"], expected_version=version
                )
            elif action == "inspect":
                services.application_record_inspection(
                    **common, report=data["report"] or data["comment"], photos=data["photos"], expected_version=version
                )
            elif action == "recommend":
                services.application_recommend(
                    **common, recommendation=data["recommendation"] or data["comment"], expected_version=version
                )
            elif action == "approve":
                services.application_approve(
                    **common, comment=data["comment"], reason_code=data["reason_code"], expected_version=version
                )
            elif action == "sign":
                services.application_sign(**common, reason_code=data["reason_code"], expected_version=version)
            elif action == "reject":
                services.application_reject(**common, reason=data["reason"] or data["comment"], expected_version=version)
            elif action == "revoke":
                services.application_revoke(**common, reason=data["reason"] or data["comment"])
        application = selectors.application_get(tenant=request.tenant, pk=pk)
        body = {
            "id": application.pk, "registration_number": application.registration_number, "action": action,
            "state": application.state or "draft", "state_label": str(_state_label(application)),
            "workflow_version": application.workflow.version if application.workflow_id else None,
        }
        return Response(s.ActionResultSerializer(body).data)
