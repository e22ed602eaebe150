"""The API's own endpoints: index, Pemda list, a Pemda's information, who am I, and the
organisation endpoints that exercise the whole base (scopes, pagination, idempotency, errors).

Tenant endpoints sit under `/api/v1/<tenant>/`; TenantMiddleware sets `request.tenant`.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import get_authorization_header
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from balai.core.accounts.selectors import membership_for
from balai.core.orgs import selectors as orgs_selectors
from balai.core.orgs import services as orgs_services
from balai.core.tenants.selectors import tenant_list

from . import serializers as s
from .authentication import ApiClient
from .idempotency import HEADER as IDEMPOTENCY_HEADER
from .idempotency import idempotent
from .pagination import BalaiPagination
from .permissions import HasScope, HasTenantPerm, IsTenantPrincipal, request_permissions, request_token

API_VERSION = "1.0"

ERRORS = {
    401: OpenApiResponse(
        s.ErrorSerializer, description="Not authenticated, or the token is unknown, expired or revoked."
    ),
    403: OpenApiResponse(
        s.ErrorSerializer,
        description="Refused: no credentials (not_authenticated), a missing role or scope, or a token of another Pemda.",
    ),
    404: OpenApiResponse(s.ErrorSerializer, description="No such object in this Pemda."),
    429: OpenApiResponse(s.ErrorSerializer, description="Rate limit reached; see Retry-After."),
}
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID): a retried request with the same key replays the first response "
    "instead of creating again. Kept for 24 hours.",
)


class BaseAPIView(GenericAPIView):
    def get_authenticate_header(self, request):
        # A refused token gets 401 with a Bearer challenge. A request with no credentials at all gets
        # 403 "not_authenticated" (DRF's convention with browser sessions), like the HTML pages, which
        # refuse before any lookup; the message tells a client to send its token.
        if get_authorization_header(request):
            return super().get_authenticate_header(request)
        return None


class PublicAPIView(BaseAPIView):
    permission_classes = [AllowAny]


class TenantAPIView(BaseAPIView):
    """An endpoint under `/api/v1/<tenant>/`, for authenticated callers of that tenant."""

    permission_classes = [IsTenantPrincipal]


class IndexView(PublicAPIView):
    serializer_class = s.IndexSerializer

    @extend_schema(tags=["platform"], operation_id="index")
    def get(self, request):
        return Response(
            {
                "version": API_VERSION,
                "tenants": request.build_absolute_uri(reverse("api:tenant_list")),
                "schema": request.build_absolute_uri(reverse("api:schema")),
                "docs": request.build_absolute_uri(reverse("api:docs")),
            }
        )


class TenantListView(PublicAPIView):
    """Every Pemda on the platform, by region code."""

    serializer_class = s.TenantSerializer
    pagination_class = None

    @extend_schema(
        tags=["platform"],
        operation_id="tenant_list",
        responses={200: s.TenantSerializer(many=True), 429: ERRORS[429]},
    )
    def get(self, request):
        return Response(self.get_serializer(tenant_list(), many=True).data)


class TenantDetailView(PublicAPIView):
    """A Pemda's public information and the services it has switched on."""

    serializer_class = s.TenantDetailSerializer

    @extend_schema(
        tags=["tenant"],
        operation_id="tenant_detail",
        responses={200: s.TenantDetailSerializer, 403: ERRORS[403], 429: ERRORS[429]},
    )
    def get(self, request):
        return Response(self.get_serializer(request.tenant).data)


class MeView(TenantAPIView):
    """Who the caller is in this Pemda: roles, the permissions it acts with, its token's scopes."""

    serializer_class = s.MeSerializer

    @extend_schema(tags=["tenant"], operation_id="me", responses={200: s.MeSerializer, **ERRORS})
    def get(self, request):
        token = request_token(request)
        client = request.user if isinstance(request.user, ApiClient) else None
        membership = None if client else membership_for(user=request.user, tenant=request.tenant)
        user = request.user
        data = {
            "tenant": request.tenant.slug,
            "kind": "session" if token is None else token.kind,
            "user": None if client else {"id": user.pk, "full_name": user.full_name, "email": user.email},
            "client_name": client.token.client_name if client else "",
            "roles": list(membership.roles) if membership else [],
            "permissions": sorted(request_permissions(request)),
            "scopes": list(token.scopes) if token is not None else None,
        }
        return Response(self.get_serializer(data).data)


class UnitListView(TenantAPIView):
    """The Pemda's units in force today (OPD, bidang, seksi, ...), by code."""

    permission_classes = [IsTenantPrincipal, HasScope("orgs:read"), HasTenantPerm("orgs.view")]
    serializer_class = s.UnitSerializer
    pagination_class = BalaiPagination

    @extend_schema(
        tags=["orgs"], operation_id="orgs_unit_list", responses={200: s.UnitSerializer(many=True), **ERRORS}
    )
    def get(self, request):
        units = orgs_selectors.units_open(tenant=request.tenant).order_by("code", "pk")
        page = self.paginate_queryset(units)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class UnitDetailView(TenantAPIView):
    permission_classes = [IsTenantPrincipal, HasScope("orgs:read"), HasTenantPerm("orgs.view")]
    serializer_class = s.UnitSerializer

    @extend_schema(
        tags=["orgs"], operation_id="orgs_unit_detail", responses={200: s.UnitSerializer, **ERRORS}
    )
    def get(self, request, pk: int):
        return Response(self.get_serializer(orgs_selectors.unit_get(tenant=request.tenant, pk=pk)).data)


class EmployeeListView(TenantAPIView):
    """Employees by name (`?q=` searches name or NIP); POST adds one, as the HTML form does."""

    serializer_class = s.EmployeeSerializer
    pagination_class = BalaiPagination

    def get_permissions(self):
        if self.request.method == "POST":
            classes = [IsTenantPrincipal, HasScope("orgs:write"), HasTenantPerm("orgs.manage")]
        else:
            classes = [IsTenantPrincipal, HasScope("orgs:read"), HasTenantPerm("orgs.view")]
        return [permission() for permission in classes]

    @extend_schema(
        tags=["orgs"],
        operation_id="orgs_employee_list",
        parameters=[OpenApiParameter("q", str, description="Part of the name, or the start of the NIP.")],
        responses={200: s.EmployeeSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        paginator = self.paginator
        number, size = paginator.page_params(request)
        page = orgs_selectors.employee_list(
            tenant=request.tenant, query=request.query_params.get("q", ""), page=number, per_page=size
        )
        return paginator.response_for_page(page, self.get_serializer(page.object_list, many=True).data)

    @extend_schema(
        tags=["orgs"],
        operation_id="orgs_employee_create",
        request=s.EmployeeCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: s.EmployeeSerializer,
            400: OpenApiResponse(
                s.ErrorSerializer, description="An input is wrong; `fields` says which and why."
            ),
            422: OpenApiResponse(
                s.ErrorSerializer, description="The Idempotency-Key was used for another request."
            ),
            **ERRORS,
        },
    )
    @idempotent
    def post(self, request):
        parsed = s.EmployeeCreateSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        employee = orgs_services.employee_create(
            tenant=request.tenant, actor=request.user, **parsed.validated_data
        )
        return Response(self.get_serializer(employee).data, status=status.HTTP_201_CREATED)
