"""`/api/v1/`: platform endpoints, the schema and its docs, and each tenant's endpoints under `<tenant>/`."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views
from .docs import DocsView
from .errors import not_found

app_name = "api"

tenant_patterns = [
    path("", views.TenantDetailView.as_view(), name="tenant_detail"),
    path("me/", views.MeView.as_view(), name="me"),
    path("orgs/units/", views.UnitListView.as_view(), name="unit_list"),
    path("orgs/units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("orgs/employees/", views.EmployeeListView.as_view(), name="employee_list"),
]

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("tenants/", views.TenantListView.as_view(), name="tenant_list"),
    path("<slug:tenant>/", include(tenant_patterns)),
    # Anything else under /api/v1/ answers in JSON too.
    re_path(r"^(?P<path>.*)$", not_found, name="not_found"),
]
