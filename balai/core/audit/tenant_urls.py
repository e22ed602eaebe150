from django.urls import path

from . import views

app_name = "audit_tenant"
urlpatterns = [
    path("", views.tenant_digest, name="digest"),
    path("ringkasan.json", views.tenant_digest_json, name="digest_json"),
    path("entri/", views.entries, name="entries"),
]
