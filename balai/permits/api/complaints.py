"""Complaints (pengaduan) in the permits REST API, under `/api/v1/<tenant>/permits/`.

- `applications/<id>/complaints/`: the applicant lists his complaints about his application, with the
  office's answers, and files a new one (POST, `Idempotency-Key` accepted).
- `complaints/`, `complaints/<id>/`: the permits officers list the tenant's complaints (open first,
  oldest first; `?status=open|answered`) and read one.
- `complaints/<id>/answer/`: an officer who may answer complaints (front desk, verifier, approver)
  answers once; a second answer is a 409 `already_answered`.

The same services and selectors as the HTML pages (balai/permits/services_complaints.py); another
tenant's complaint, or another applicant's application, is a 404 like a missing one. The serializers
live here, next to the only views that use them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from balai.core.api import serializers as core_s
from balai.core.api.errors import ApiError
from balai.core.api.idempotency import idempotent
from balai.core.api.pagination import BalaiPagination
from balai.core.api.permissions import request_permissions
from balai.core.api.views import ERRORS, IDEMPOTENCY_PARAMETER

from .. import selectors_complaints, services_complaints
from ..models import Complaint
from . import serializers as s
from .views import (
    BAD_REQUEST,
    TAG_APPLICANT,
    TAG_OFFICE,
    ApplicantAPIView,
    OfficeAPIView,
    _absolute,
    service_errors,
)

ALREADY_ANSWERED = OpenApiResponse(
    core_s.ErrorSerializer,
    description="The complaint has its answer already (`already_answered`); answers are not changed.",
)

# --- what goes out and comes in ----------------------------------------------------------------------


class ComplaintSerializer(serializers.Serializer):
    """A complaint as its author sees it."""

    id = serializers.IntegerField()
    text = serializers.CharField()
    status = serializers.CharField(help_text="open, answered or closed.")
    status_label = serializers.CharField()
    created_at = serializers.DateTimeField()
    response = serializers.CharField(allow_blank=True, help_text="The office's answer; empty while open.")
    responded_at = serializers.DateTimeField(allow_null=True)


class ApplicationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    registration_number = serializers.CharField()
    permit_type = s.PermitTypeRefSerializer()


class OfficeComplaintSerializer(ComplaintSerializer):
    """A complaint as the office sees it."""

    application = ApplicationRefSerializer()
    applicant_name = serializers.CharField()
    age_working_days = serializers.IntegerField(
        help_text="Working days from receipt to the answer, or to now while open (the tenant's calendar)."
    )
    responded_by = serializers.CharField(allow_null=True)
    url = serializers.URLField()
    answer_url = serializers.URLField()


class ComplaintCreateSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=4000,
        help_text="What happened and what you expect, 10 to 4000 characters.",
        error_messages={"blank": _("Tuliskan pengaduan Anda: apa yang terjadi dan apa yang Anda harapkan.")},
    )


class ComplaintAnswerSerializer(serializers.Serializer):
    response = serializers.CharField(
        max_length=4000,
        help_text="The answer the applicant reads; it cannot be changed afterwards.",
        error_messages={
            "blank": _("Tulis jawaban untuk pemohon: apa yang sudah atau akan dilakukan kantor."),
            "required": _("Tulis jawaban untuk pemohon: apa yang sudah atau akan dilakukan kantor."),
        },
    )


def _own(complaint: Complaint) -> dict:
    return {
        "id": complaint.pk,
        "text": complaint.text,
        "status": complaint.status,
        "status_label": str(complaint.get_status_display()),
        "created_at": complaint.created_at,
        "response": complaint.response,
        "responded_at": complaint.responded_at,
    }


def _office(request, row: selectors_complaints.ComplaintRow) -> dict:
    complaint = row.complaint
    application = complaint.application
    answered_by = complaint.responded_by
    return {
        **_own(complaint),
        "application": {
            "id": application.pk,
            "registration_number": application.registration_number,
            "permit_type": {"code": application.permit_type.code, "name": application.permit_type.name},
        },
        "applicant_name": application.applicant_name,
        "age_working_days": row.age_days,
        "responded_by": (answered_by.full_name or answered_by.email) if answered_by is not None else None,
        "url": _absolute(request, "complaint_detail", pk=complaint.pk),
        "answer_url": _absolute(request, "complaint_answer", pk=complaint.pk),
    }


# --- the applicant -----------------------------------------------------------------------------------


class ApplicationComplaintsView(ApplicantAPIView):
    """Your complaints about one of your applications, newest first, with the office's answers; POST files
    a new one (once the application is submitted)."""

    serializer_class = ComplaintSerializer
    pagination_class = BalaiPagination

    @extend_schema(
        tags=[TAG_APPLICANT],
        operation_id="permits_application_complaint_list",
        responses={200: ComplaintSerializer(many=True), **ERRORS},
    )
    def get(self, request, pk: int):
        application = self.application(pk)
        page = self.paginate_queryset(
            selectors_complaints.complaints_of_application(tenant=request.tenant, application=application)
        )
        return self.get_paginated_response(ComplaintSerializer([_own(c) for c in page], many=True).data)

    @extend_schema(
        tags=[TAG_APPLICANT],
        operation_id="permits_application_complaint_create",
        request=ComplaintCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: ComplaintSerializer, 400: BAD_REQUEST, **ERRORS},
    )
    @idempotent
    def post(self, request, pk: int):
        application = self.application(pk)
        parsed = ComplaintCreateSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        with service_errors():
            complaint = services_complaints.complaint_create(
                application=application, text=parsed.validated_data["text"], actor=request.user
            )
        return Response(ComplaintSerializer(_own(complaint)).data, status=status.HTTP_201_CREATED)


# --- the office --------------------------------------------------------------------------------------


class ComplaintListView(OfficeAPIView):
    """The complaints of this Pemda: open ones first, the longest waiting first. `?status=open` or
    `?status=answered` narrows them."""

    serializer_class = OfficeComplaintSerializer
    pagination_class = BalaiPagination

    @extend_schema(
        tags=[TAG_OFFICE],
        operation_id="permits_complaint_list",
        parameters=[
            OpenApiParameter(
                "status", str, enum=list(selectors_complaints.FILTERS), description="open or answered."
            )
        ],
        responses={200: OfficeComplaintSerializer(many=True), 400: BAD_REQUEST, **ERRORS},
    )
    def get(self, request):
        wanted = request.query_params.get("status") or None
        if wanted is not None and wanted not in selectors_complaints.FILTERS:
            raise ApiError(
                code="validation_failed",
                message=_(
                    "Ada isian yang belum benar. Perbaiki isian yang disebut di bagian fields, lalu kirim lagi."
                ),
                fields={"status": [_("Pilih open (belum dijawab) atau answered (sudah dijawab).")]},
            )
        tenant = request.tenant
        page = self.paginate_queryset(selectors_complaints.office_complaints(tenant=tenant, status=wanted))
        rows = selectors_complaints.complaint_rows(tenant=tenant, complaints=page)
        return self.get_paginated_response(
            OfficeComplaintSerializer([_office(request, r) for r in rows], many=True).data
        )


class ComplaintDetailView(OfficeAPIView):
    """One complaint of this Pemda, with its answer when there is one."""

    serializer_class = OfficeComplaintSerializer

    @extend_schema(
        tags=[TAG_OFFICE],
        operation_id="permits_complaint_detail",
        responses={200: OfficeComplaintSerializer, **ERRORS},
    )
    def get(self, request, pk: int):
        complaint = selectors_complaints.complaint_get(tenant=request.tenant, pk=pk)
        row = selectors_complaints.complaint_rows(tenant=request.tenant, complaints=[complaint])[0]
        return Response(OfficeComplaintSerializer(_office(request, row)).data)


class ComplaintAnswerView(OfficeAPIView):
    """Answer a complaint (front desk, verifier or approver). The applicant is notified and reads the
    answer with his application. Once answered, a complaint keeps its answer: 409 `already_answered`."""

    serializer_class = OfficeComplaintSerializer

    @extend_schema(
        tags=[TAG_OFFICE],
        operation_id="permits_complaint_answer",
        request=ComplaintAnswerSerializer,
        responses={200: OfficeComplaintSerializer, 400: BAD_REQUEST, 409: ALREADY_ANSWERED, **ERRORS},
    )
    def post(self, request, pk: int):
        if services_complaints.ANSWER_PERM not in request_permissions(request):
            raise ApiError(
                code="permission_denied",
                message=_(
                    "Hanya petugas loket, verifikator atau pejabat perizinan yang dapat menjawab pengaduan."
                ),
                status_code=status.HTTP_403_FORBIDDEN,
            )
        complaint = selectors_complaints.complaint_get(tenant=request.tenant, pk=pk)
        parsed = ComplaintAnswerSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        with service_errors():
            try:
                services_complaints.complaint_respond(
                    complaint=complaint, response=parsed.validated_data["response"], actor=request.user
                )
            except services_complaints.ComplaintAlreadyAnswered as exc:
                raise ApiError(
                    code="already_answered", message=exc.messages[0], status_code=status.HTTP_409_CONFLICT
                ) from None
        complaint = selectors_complaints.complaint_get(tenant=request.tenant, pk=pk)
        row = selectors_complaints.complaint_rows(tenant=request.tenant, complaints=[complaint])[0]
        return Response(OfficeComplaintSerializer(_office(request, row)).data)
