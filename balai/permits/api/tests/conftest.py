"""Helpers of the permits API tests: tokens, URLs, and files driven through the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from balai.core.api import services as api_services
from balai.core.api.models import ApiToken

# The permits tests' fixtures: the demo catalogue and its office staff, drafts, the clock, the PDF engine.
from balai.permits.tests.conftest import draft, moment, office, pdf_engine  # noqa: F401

REKLAME_SMALL = {"judul": "Toko Citra", "alamat": "Jl. Merdeka 1", "lebar": "2", "tinggi": "2", "lama_hari": "10",
                 "tarif_lokasi": "B"}


def token(tenant, user=None, scopes=("permits:read", "permits:apply"), client_name="") -> str:
    kind = ApiToken.Kind.CLIENT if user is None else ApiToken.Kind.USER
    extra = {"client_name": client_name or "SIMBG"} if user is None else {"user": user}
    _token, raw = api_services.token_create(tenant=tenant, kind=kind, scopes=list(scopes), actor=user, **extra)
    return raw


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def url(tenant, name: str, **kwargs) -> str:
    return reverse(f"permits_api:{name}", kwargs={"tenant": tenant.slug, **kwargs})


@pytest.fixture
def api():
    return Client()


class Caller:
    """One person's token, with short verbs for the API."""

    def __init__(self, client, tenant, user, scopes):
        self.client, self.tenant, self.user = client, tenant, user
        self.headers = bearer(token(tenant, user, scopes))

    def get(self, name, **kwargs):
        return self.client.get(url(self.tenant, name, **kwargs), **self.headers)

    def post(self, name, data=None, *, headers=None, multipart=False, **kwargs):
        target = url(self.tenant, name, **kwargs)
        extra = {**self.headers, **(headers or {})}
        if multipart:
            return self.client.post(target, data or {}, **extra)
        return self.client.post(target, data or {}, content_type="application/json", **extra)

    def patch(self, name, data, **kwargs):
        return self.client.patch(url(self.tenant, name, **kwargs), data, content_type="application/json", **self.headers)


@pytest.fixture
def as_person(api):
    def make(tenant, user, scopes=("permits:read", "permits:apply", "permits:office")):
        return Caller(api, tenant, user, scopes)

    return make


@pytest.fixture
def citizen_api(office, as_person):  # noqa: F811 - the imported fixture
    return as_person(office.tenant, office.citizen, ("permits:read", "permits:apply"))


def upload_all(caller, application_id, permit_type):
    from balai.core.files.tests.factories import image_bytes, pdf_bytes, upload

    for spec in permit_type.current_version.documents:
        if not spec["mandatory"]:
            continue
        if "pdf" in spec["kinds"]:
            file = upload(pdf_bytes(spec["code"]), f"{spec['code']}.pdf")
        else:
            file = upload(image_bytes("PNG"), f"{spec['code']}.png", "image/png")
        response = caller.post(
            "application_documents", {"requirement_code": spec["code"], "file": file}, multipart=True, pk=application_id
        )
        assert response.status_code == 201, response.json()


@pytest.fixture
def submitted(office, citizen_api):  # noqa: F811 - the imported fixture
    """A small billboard application (4 m²: no inspection) created, completed and submitted through the API."""

    def make(form=None):
        created = citizen_api.post("application_list", {"permit_type": "reklame", "form_data": form or REKLAME_SMALL})
        assert created.status_code == 201, created.json()
        pk = created.json()["id"]
        upload_all(citizen_api, pk, office.types["reklame"])
        response = citizen_api.post("application_submit", pk=pk)
        assert response.status_code == 200, response.json()
        return pk, response.json()["registration_number"]

    return make
