"""What the API shows of core objects: the fields a client needs, nothing more."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from balai.core.orgs.models import Employee, Unit
from balai.core.tenants.models import Tenant
from balai.core.tenants.selectors import tenant_modules


class TenantSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The parent province's slug; null for a province."
    )

    class Meta:
        model = Tenant
        fields = ["code", "name", "slug", "kind", "parent", "timezone"]


class ServiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TenantDetailSerializer(TenantSerializer):
    services = serializers.SerializerMethodField()

    class Meta(TenantSerializer.Meta):
        fields = [*TenantSerializer.Meta.fields, "address", "phone", "email", "website", "services"]

    @extend_schema_field(ServiceSerializer(many=True))
    def get_services(self, tenant) -> list[dict]:
        found = [{"code": m.manifest.code, "name": str(m.manifest.name)} for m in tenant_modules(tenant=tenant)]
        return ServiceSerializer(found, many=True).data


class IndexSerializer(serializers.Serializer):
    version = serializers.CharField()
    tenants = serializers.URLField()
    schema = serializers.URLField()
    docs = serializers.URLField()


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()


class MeSerializer(serializers.Serializer):
    tenant = serializers.CharField(help_text="The tenant's slug.")
    kind = serializers.ChoiceField(choices=["session", "user", "client"], help_text="How the request authenticated.")
    user = PersonSerializer(allow_null=True)
    client_name = serializers.CharField(allow_blank=True)
    roles = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(child=serializers.CharField())
    scopes = serializers.ListField(child=serializers.CharField(), allow_null=True, help_text="Null for a browser session.")


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "short_name", "kind", "parent", "valid_from", "valid_to"]


class EmployeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Employee
        fields = ["id", "nip", "full_name", "employment_type", "rank", "email", "status", "created_at"]


class EmployeeCreateSerializer(serializers.Serializer):
    """Parses the request; the rules (NIP, rank, uniqueness) are the service's, as on the HTML form."""

    nip = serializers.CharField(max_length=30)
    full_name = serializers.CharField(max_length=150)
    employment_type = serializers.ChoiceField(choices=Employee.EmploymentType.choices)
    rank = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=Employee.Status.choices, required=False, default=Employee.Status.ACTIVE)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
