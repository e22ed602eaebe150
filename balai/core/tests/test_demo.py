import pytest
from django.core.management import call_command
from django.test import Client

from balai.core.accounts.models import Membership, User
from balai.core.demo import DEMO_PASSWORD, DEMO_TENANTS, demo_seed
from balai.core.orgs.models import Employee, Unit
from balai.core.tenants.models import Tenant


@pytest.mark.django_db
def test_the_demo_loads_the_memorandum_tenants_once(settings):
    settings.DEMO = True
    first, links = demo_seed()
    counts = (Tenant.objects.count(), User.objects.count(), Unit.objects.count(), Employee.objects.count())
    second, links_again = demo_seed()
    assert links == links_again
    assert (Tenant.objects.count(), User.objects.count(), Unit.objects.count(), Employee.objects.count()) == counts
    assert [a.email for a in first] == [a.email for a in second]
    assert sorted(Tenant.objects.values_list("code", flat=True)) == sorted(DEMO_TENANTS)
    banten = Tenant.objects.get(code="36")
    assert set(banten.children.values_list("name", flat=True)) >= {"Kota Serang", "Kota Cilegon", "Kabupaten Serang"}
    # Every tenant has its offices, and the officers are employees holding positions there.
    serang = Tenant.objects.get(slug="kota-serang")
    assert set(Unit.objects.filter(tenant=serang, parent=None).values_list("short_name", flat=True)) >= {
        "DPMPTSP", "BKAD", "BKPSDM", "Inspektorat", "Dinsos", "Diskominfo"
    }
    admin = User.objects.get(email="admin@kota-serang.demo.balai.id")
    assert Employee.objects.filter(tenant=serang, user=admin).exists()
    assert "core.tenant_admin" in Membership.objects.get(tenant=serang, user=admin).roles
    # Each tenant's first citizen represents a registered business (once, however often the demo loads).
    from balai.core.parties.models import LegalEntity
    from balai.core.parties.selectors import entities_represented_by

    warga = User.objects.get(email="warga@kota-serang.demo.balai.id")
    business = entities_represented_by(user=warga, kind=LegalEntity.Kind.BUSINESS).get()
    assert len(business.nib) == 13 and LegalEntity.objects.filter(kind="business").count() == len(DEMO_TENANTS)
    # The licensing office answers for the demo permits: a late file is reported to its head, the demo's
    # "kepala" account.
    from balai.core.workflow.services import unit_head_of
    from balai.permits.models import PermitType

    office = Unit.objects.get(tenant=serang, code="DPMPTSP")
    assert set(PermitType.objects.filter(tenant=serang).values_list("unit", flat=True)) == {office.pk}
    kepala = User.objects.get(email="kepala@kota-serang.demo.balai.id")

    class File:  # what unit_head_of reads of a workflow instance
        tenant, unit_id, unit = serang, office.pk, office

    heads, _whom = unit_head_of(File())
    assert heads == [kepala]


@pytest.mark.django_db
def test_demo_accounts_log_in_and_see_their_tenant(settings):
    settings.DEMO = True
    settings.WAIVE_OFFICER_2FA = True
    demo_seed()
    client = Client()
    response = client.post("/accounts/masuk/", {"username": "admin@kota-serang.demo.balai.id", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get("/kota-serang/kelola/")
    assert page.status_code == 200
    assert "Mode demo" in page.content.decode()
    assert client.get("/kota-cilegon/kelola/").status_code == 403


@pytest.mark.django_db
def test_the_command_prints_the_accounts(settings, capsys):
    settings.DEMO = True
    call_command("demo_seed", "--base-url", "http://127.0.0.1:8123")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/kota-serang/" in out
    assert "admin@kota-serang.demo.balai.id" in out
    assert DEMO_PASSWORD in out


@pytest.mark.django_db
def test_the_demo_is_never_loaded_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="never loaded in production"):
        demo_seed()


@pytest.mark.django_db
def test_the_demo_links_open_a_valid_document_and_a_payable_bill(settings, tmp_path):
    settings.DEMO = True
    settings.BALAI_PKI_DIR = tmp_path / "pki"
    _accounts, links = demo_seed()
    client = Client()
    by_label = {}
    for link in links:
        by_label.setdefault(link.label, []).append(link)
        assert client.get(link.path).status_code == 200, link
    verify_page = client.get(by_label["Verifikasi dokumen (QR)"][0].path).content.decode()
    assert "Sah" in verify_page and "Surat Keterangan Domisili" in verify_page
    assert "Rp 150.000" in client.get(by_label["Bayar tagihan di simulator"][0].path).content.decode()
