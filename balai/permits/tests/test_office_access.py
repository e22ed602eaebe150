"""Permit files in the back office are for the permits staff, and for the inspectorate to read. An officer
of another service (a remuneration employee holds "dashboard.view" too) may not open a permit file or
download the applicant's identity card, and the administrator hands files out on the workflow's page."""

import pytest
from django.urls import reverse

from balai.permits import selectors, services
from balai.permits.selectors_office import may_open_files
from balai.testing.clients import login
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(office, draft):
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    return app


def pages(office, app):
    ktp = next(d for d in selectors.application_documents(application=app) if d.requirement_code == "ktp")
    tenant = office.tenant.slug
    return {
        "inbox": reverse("permits:office_inbox", kwargs={"tenant": tenant}),
        "detail": reverse("permits:office_detail", kwargs={"tenant": tenant, "pk": app.pk}),
        "ktp": reverse("files:download", kwargs={"tenant": tenant, "public_id": ktp.file.public_id}),
        "assign": reverse("permits:office_assign", kwargs={"tenant": tenant, "pk": app.pk}),
        "reject": reverse("permits:office_reject", kwargs={"tenant": tenant, "pk": app.pk}),
    }


def test_an_officer_of_another_service_cannot_open_a_permit_file_or_its_identity_card(office, submitted, client):
    employee = make_person("Rina Pegawai", tenant=office.tenant, roles=["remuneration.employee"])
    login(client, employee)
    urls = pages(office, submitted)
    assert client.get(reverse("tenant:dashboard", kwargs={"tenant": office.tenant.slug})).status_code == 200
    assert client.get(urls["inbox"]).status_code == 403
    assert client.get(urls["detail"]).status_code == 403
    assert client.get(urls["ktp"]).status_code == 404
    assert client.post(urls["reject"], {"reason": "Coba-coba."}).status_code == 403
    assert client.post(urls["assign"], {"assignee": "", "reason": "Coba-coba."}).status_code == 403
    assert not may_open_files(tenant=office.tenant, user=employee)


def test_the_permits_staff_open_the_file_and_its_documents(office, submitted, client):
    login(client, office.verifier)
    urls = pages(office, submitted)
    page = client.get(urls["detail"])
    assert page.status_code == 200 and "Daftar periksa verifikasi" in page.content.decode()
    assert client.get(urls["ktp"]).status_code == 200


def test_the_inspectorate_reads_the_file_but_decides_and_assigns_nothing(office, submitted, client, world):
    login(client, world.serang.people["inspector"])
    urls = pages(office, submitted)
    assert client.get(urls["inbox"]).status_code == 200
    page = client.get(urls["detail"])
    assert page.status_code == 200
    body = page.content.decode()
    assert submitted.registration_number in body
    assert "Penugasan berkas" not in body and "Daftar periksa verifikasi" not in body
    assert client.get(urls["ktp"]).status_code == 200
    assert client.post(urls["reject"], {"reason": "Tidak memenuhi syarat."}).status_code == 403
    assert client.post(urls["assign"], {"assignee": "", "reason": "Pembagian ulang"}).status_code == 403


def test_the_applicant_still_downloads_her_own_documents(office, submitted, client):
    login(client, office.citizen)
    assert client.get(pages(office, submitted)["ktp"]).status_code == 200
