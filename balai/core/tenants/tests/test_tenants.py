import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from balai.core.tenants import regions
from balai.core.tenants.models import Tenant, TenantModule
from balai.core.tenants.selectors import tenant_module_settings, tenant_modules
from balai.core.tenants.services import tenant_create, tenant_domain_add, tenant_module_configure
from balai.testing.clients import login

pytestmark = pytest.mark.django_db


def test_it_names_a_city_from_the_official_list():
    tenant = tenant_create(code="36.73")
    assert (tenant.name, tenant.slug, tenant.kind, tenant.timezone) == ("Kota Serang", "kota-serang", "city", "Asia/Jakarta")


def test_it_names_a_province_and_adopts_its_existing_regencies():
    regency = tenant_create(code="36.04")
    assert regency.parent is None and regency.kind == Tenant.Kind.REGENCY
    province = tenant_create(code="36")
    regency.refresh_from_db()
    assert province.name == "Provinsi Banten"
    assert regency.parent == province
    assert tenant_create(code="36.72").parent == province


@pytest.mark.parametrize(
    ("code", "zone"), [("51.71", "Asia/Makassar"), ("94", "Asia/Jayapura"), ("32.73", "Asia/Jakarta"), ("73.71", "Asia/Makassar")]
)
def test_it_sets_the_time_zone_of_the_region(code, zone):
    assert tenant_create(code=code).timezone == zone


@pytest.mark.parametrize(
    ("code", "message"),
    [("99.99", "tidak ada dalam daftar resmi"), ("36.73.01", "bukan kecamatan")],
)
def test_it_refuses_codes_that_are_not_a_pemda(code, message):
    with pytest.raises(ValidationError, match=message):
        tenant_create(code=code)


def test_it_refuses_a_second_tenant_for_the_same_region_or_a_reserved_slug():
    tenant_create(code="36.73")
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        tenant_create(code="36.73")
    with pytest.raises(ValidationError, match="dipakai oleh platform"):
        tenant_create(code="36.72", slug="api")


def test_region_list_covers_the_country():
    assert len(regions.all_regions(level=1)) == 38
    assert len(regions.all_regions(level=2)) == 514
    assert regions.district_for_nik_prefix("367301").name == regions.get("36.73.01").name


def test_tenant_page_by_path_and_helpful_404():
    tenant_create(code="36.73")
    client = Client()
    page = client.get("/kota-serang/")
    assert page.status_code == 200
    assert "<h1>Kota Serang</h1>" in page.content.decode()
    missing = client.get("/kota-serangg/")
    assert missing.status_code == 404
    body = missing.content.decode()
    assert "Pemda tidak ditemukan" in body
    assert 'href="/kota-serang/"' in body  # the near miss is suggested


def test_tenant_page_by_mapped_host():
    serang = tenant_create(code="36.73")
    tenant_create(code="36.72")
    tenant_domain_add(tenant=serang, host="Layanan.SerangKota.go.id")
    client = Client(HTTP_HOST="layanan.serangkota.go.id")
    assert "<h1>Kota Serang</h1>" in client.get("/").content.decode()
    assert "<h1>Kota Serang</h1>" in client.get("/kota-serang/").content.decode()
    # A mapped host serves only its own tenant.
    assert client.get("/kota-cilegon/").status_code == 404
    # Platform paths stay platform paths on a mapped host.
    assert client.get("/healthz").status_code == 200


def test_module_settings_are_typed_and_defaulted():
    tenant = tenant_create(code="36.73")
    assert tenant_module_settings(tenant=tenant, module="permits")["reschedules_allowed"] == 2
    tenant_module_configure(tenant=tenant, module="permits", enabled=True, settings={"reschedules_allowed": "3"})
    assert tenant_module_settings(tenant=tenant, module="permits")["reschedules_allowed"] == 3
    assert [m.manifest.code for m in tenant_modules(tenant=tenant)] == ["permits"]


def test_invalid_module_settings_are_refused_whole():
    tenant = tenant_create(code="36.73")
    with pytest.raises(ValidationError) as caught:
        tenant_module_configure(
            tenant=tenant, module="permits", enabled=True, settings={"reschedules_allowed": "99", "agent_booking_cap": "x"}
        )
    assert set(caught.value.message_dict) == {"reschedules_allowed", "agent_booking_cap"}
    assert "paling besar adalah 10" in caught.value.message_dict["reschedules_allowed"][0]
    assert not TenantModule.objects.filter(tenant=tenant, enabled=True).exists()
    with pytest.raises(ValidationError, match="tidak dikenal"):
        tenant_module_configure(tenant=tenant, module="permits", enabled=True, settings={"bogus": 1})


def test_admin_switches_a_service_on_and_the_public_sees_it(world):
    client = login(Client(), world.serang.people["admin"])
    response = client.post(
        "/kota-serang/kelola/modul/grants/",
        {"grants-enabled": "on", "grants-proposal_window_end_month": "3", "grants-lpj_deadline_day": "10"},
    )
    assert response.status_code == 302
    home = Client().get("/kota-serang/").content.decode()
    assert "Sabilulungan (Hibah &amp; Bansos)" in home
    # The other tenant did not get it.
    assert "Sabilulungan" not in Client().get("/kota-cilegon/").content.decode()


def test_admin_sees_what_is_wrong_with_a_setting(world):
    client = login(Client(), world.serang.people["admin"])
    response = client.post(
        "/kota-serang/kelola/modul/grants/",
        {"grants-enabled": "on", "grants-proposal_window_end_month": "13", "grants-lpj_deadline_day": "10"},
    )
    assert response.status_code == 400
    assert "Ada yang perlu diperbaiki" in response.content.decode()
    assert not TenantModule.objects.filter(tenant=world.serang.tenant, module="grants").exists()


def test_logo_must_really_be_an_image(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(Client(), world.serang.people["admin"])
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.7 not an image", content_type="image/png")
    response = client.post("/kota-serang/kelola/profil/", {"logo": fake})
    assert response.status_code == 400
    assert "bukan gambar PNG atau JPEG" in response.content.decode()
    world.serang.tenant.refresh_from_db()
    assert not world.serang.tenant.logo


def test_tenant_decisions_are_on_the_audit_chain(world):
    from balai.core.audit.models import AuditEntry
    from balai.core.audit.verify import verify_chain

    admin = world.serang.people["admin"]
    tenant_module_configure(tenant=world.serang.tenant, module="permits", enabled=True, actor=admin)
    actions = list(AuditEntry.objects.filter(tenant=world.serang.tenant).order_by("seq").values_list("action", "actor_id"))
    assert actions[0] == ("tenants.tenant_create", None)
    assert ("tenants.module_configure", admin.pk) in actions
    assert verify_chain(world.serang.tenant).ok
