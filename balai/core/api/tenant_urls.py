"""The tenant's Token API pages (HTML), mounted under `/<tenant>/token-api/`."""

from django.urls import path

from . import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("baru/", token_views.token_create, name="create"),
    path("klien/baru/", token_views.client_token_create, name="client_create"),
    path("<int:pk>/cabut/", token_views.token_revoke, name="revoke"),
]
