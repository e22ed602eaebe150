import pytest
from django.test import Client

from balai.testing.clients import login

pytestmark = pytest.mark.django_db


def test_the_dashboard_offers_what_each_role_may_do(world):
    admin_page = login(Client(), world.serang.people["admin"]).get("/kota-serang/dasbor/").content.decode()
    assert "Pengaturan Pemda" in admin_page and "Akun petugas" in admin_page
    officer_page = login(Client(), world.serang.people["officer"]).get("/kota-serang/dasbor/").content.decode()
    assert "Struktur organisasi" in officer_page
    assert "Pengaturan Pemda" not in officer_page and "Temuan integritas" not in officer_page
    inspector_page = login(Client(), world.serang.people["inspector"]).get("/kota-serang/dasbor/").content.decode()
    assert "Temuan integritas" in inspector_page and "Jejak audit" in inspector_page


def test_citizens_see_their_bills_in_the_navigation_and_no_dashboard(world):
    client = login(Client(), world.serang.people["citizen"])
    page = client.get("/kota-serang/").content.decode()
    assert "Tagihan saya" in page and "Dasbor" not in page
    assert client.get("/kota-serang/dasbor/").status_code == 403


def test_switched_on_services_lead_to_their_pages(world):
    from balai.core.accounts.models import Membership
    from balai.core.tenants.services import tenant_module_configure

    tenant_module_configure(tenant=world.serang.tenant, module="permits", enabled=True)
    home = Client().get("/kota-serang/").content.decode()
    assert 'href="/kota-serang/izin/"' in home
    officer = world.serang.people["officer"]
    Membership.objects.filter(user=officer, tenant=world.serang.tenant).update(roles=["core.officer", "permits.verifier"])
    page = login(Client(), officer).get("/kota-serang/dasbor/").content.decode()
    assert 'href="/kota-serang/izin/kantor/"' in page
    admin_page = login(Client(), world.serang.people["admin"]).get("/kota-serang/dasbor/").content.decode()
    assert 'href="/kota-serang/izin/katalog-kelola/"' in admin_page
