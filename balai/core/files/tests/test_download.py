"""Downloads: the uploader and the tenant's officers get the file; everyone else meets a 404."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.core.files import rules, services
from balai.testing.clients import login
from balai.testing.personas import make_person

from .factories import image_bytes, pdf_bytes


@pytest.fixture
def stored(world):
    return services.file_store(
        tenant=world.serang.tenant, upload=pdf_bytes(), name="Surat Pernyataan Citra.pdf",
        purpose="sample.requirement", actor=world.serang.people["citizen"],
    )


def url(tenant, public_id, **query):
    base = reverse("files:download", kwargs={"tenant": tenant.slug, "public_id": public_id})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def get_as(user, address, *, verified=True):
    client = Client()
    if user is not None:
        login(client, user, verified=verified)
    return client.get(address)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_uploader_downloads_their_file_as_an_attachment(world, stored):
    response = get_as(world.serang.people["citizen"], url(world.serang.tenant, stored.public_id))
    assert response.status_code == 200
    assert body(response) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Surat Pernyataan Citra.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "private" in response["Cache-Control"]


def test_another_citizen_of_the_same_tenant_gets_404(world, stored):
    neighbour = make_person("Hana Pertiwi", tenant=world.serang.tenant, roles=["core.citizen"])
    assert get_as(neighbour, url(world.serang.tenant, stored.public_id)).status_code == 404


def test_an_officer_of_the_tenant_downloads_it_and_the_read_is_audited(world, stored):
    officer = world.serang.people["officer"]
    response = get_as(officer, url(world.serang.tenant, stored.public_id))
    assert response.status_code == 200 and body(response) == pdf_bytes()
    entry = AuditEntry.objects.get(tenant=world.serang.tenant, action="privacy.personal_data_read")
    assert entry.actor_id == officer.pk and entry.data["purpose"] == "sample.requirement"


def test_an_officer_without_the_second_factor_is_sent_to_it_first(world, stored):
    response = get_as(world.serang.people["officer"], url(world.serang.tenant, stored.public_id), verified=False)
    assert response.status_code == 302 and reverse("accounts:two_factor") in response["Location"]


def test_an_officer_of_another_tenant_gets_404_at_either_address(world, stored):
    stranger = world.cilegon.people["officer"]
    assert get_as(stranger, url(world.serang.tenant, stored.public_id)).status_code == 404
    assert get_as(stranger, url(world.cilegon.tenant, stored.public_id)).status_code == 404


def test_a_file_is_not_found_under_another_tenants_address_even_for_its_uploader(world, stored):
    citizen = world.serang.people["citizen"]
    assert get_as(citizen, url(world.cilegon.tenant, stored.public_id)).status_code == 404


def test_an_unknown_file_and_a_forbidden_one_look_the_same(world, stored):
    neighbour = make_person("Hana Pertiwi", tenant=world.serang.tenant, roles=["core.citizen"])
    forbidden = get_as(neighbour, url(world.serang.tenant, stored.public_id))
    unknown = uuid.uuid4()
    missing = get_as(neighbour, url(world.serang.tenant, unknown))
    assert forbidden.status_code == missing.status_code == 404
    # Apart from the address asked for and the per-response CSRF mask, nothing tells the two apart.
    def page(response, public_id):
        return re.sub(rb"[A-Za-z0-9]{64}", b"", response.content.replace(str(public_id).encode(), b"X"))

    assert page(forbidden, stored.public_id) == page(missing, unknown)


def test_anonymous_visitors_are_sent_to_log_in(world, stored):
    response = get_as(None, url(world.serang.tenant, stored.public_id))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_module_rule_decides_for_its_purposes(world, stored):
    officer = world.serang.people["officer"]
    rules.register_download_rule("sample.", lambda user, tenant, f: False)
    try:
        assert get_as(officer, url(world.serang.tenant, stored.public_id)).status_code == 404
        # The uploader keeps access to their own file whatever the module decides.
        assert get_as(world.serang.people["citizen"], url(world.serang.tenant, stored.public_id)).status_code == 200
    finally:
        rules.unregister_download_rule("sample.")


def test_the_longest_matching_rule_wins(world):
    rules.register_download_rule("sample.", lambda *a: False)
    rules.register_download_rule("sample.public.", lambda *a: True)
    try:
        assert rules.download_rule_for("sample.public.map")() is True
        assert rules.download_rule_for("sample.requirement")() is False
        assert rules.download_rule_for("grants.evidence") is None
    finally:
        rules.unregister_download_rule("sample.")
        rules.unregister_download_rule("sample.public.")


def test_a_disguised_file_is_served_under_its_real_kind(world):
    stored = services.file_store(
        tenant=world.serang.tenant, upload=image_bytes("PNG"), name="denah.pdf",
        purpose="sample.requirement", actor=world.serang.people["citizen"],
    )
    response = get_as(world.serang.people["citizen"], url(world.serang.tenant, stored.public_id))
    assert response["Content-Type"] == "image/png"
    assert 'filename="denah.png"' in response["Content-Disposition"]


def test_a_pdf_can_be_opened_in_the_browser_sandboxed(world, stored):
    response = get_as(world.serang.people["citizen"], url(world.serang.tenant, stored.public_id, lihat=1))
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"


def test_a_missing_blob_is_a_404_not_a_crash(world, stored):
    from balai.core.files.storage import file_storage

    file_storage().delete(stored.storage_key)
    assert get_as(world.serang.people["citizen"], url(world.serang.tenant, stored.public_id)).status_code == 404
