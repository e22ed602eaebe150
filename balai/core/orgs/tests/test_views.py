import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from balai.core.orgs import services
from balai.core.orgs.models import Employee, Unit
from balai.testing.clients import login

from .conftest import SINCE, make_employee


def url(name, tenant, **kwargs):
    return reverse(f"orgs:{name}", kwargs={"tenant": tenant.slug, **kwargs})


@pytest.fixture
def admin(world):
    return login(Client(), world.serang.people["admin"])


@pytest.fixture
def officer(world):
    return login(Client(), world.serang.people["officer"])


def test_the_admin_adds_a_unit_and_sees_it_in_the_tree(admin, tenant):
    page = admin.get(url("unit_list", tenant))
    assert page.status_code == 200
    assert "Tambah unit" in page.content.decode()
    form = admin.get(url("unit_create", tenant)).content.decode()
    assert "Nama unit" in form and "Kode unit" in form and "Jenis unit" in form
    response = admin.post(
        url("unit_create", tenant), {"name": "Dinas Komunikasi dan Informatika", "short_name": "Diskominfo", "code": "DISKOMINFO", "kind": "opd"}
    )
    unit = Unit.objects.get(tenant=tenant, code="DISKOMINFO")
    assert response.status_code == 302 and response.url == url("unit_detail", tenant, pk=unit.pk)
    assert "Dinas Komunikasi dan Informatika" in admin.get(url("unit_list", tenant)).content.decode()


def test_a_unit_form_with_mistakes_says_what_to_fix(admin, tenant, org):
    response = admin.post(url("unit_create", tenant), {"name": "", "code": "DPMPTSP", "kind": "seksi"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ada yang perlu diperbaiki" in body
    response = admin.post(url("unit_create", tenant), {"name": "Seksi Baru", "code": "DPMPTSP", "kind": "seksi"})
    body = response.content.decode()
    assert response.status_code == 400 and "Pilih unit induk" in body
    response = admin.post(
        url("unit_create", tenant), {"name": "Seksi Baru", "code": "DPMPTSP", "kind": "seksi", "parent": org["units"]["bidang"].pk}
    )
    assert "sudah dipakai" in response.content.decode()


def test_an_officer_views_the_structure_but_cannot_change_it(officer, tenant, org):
    assert officer.get(url("unit_list", tenant)).status_code == 200
    assert officer.get(url("unit_detail", tenant, pk=org["units"]["seksi"].pk)).status_code == 200
    assert officer.get(url("employee_list", tenant)).status_code == 200
    page = officer.get(url("unit_list", tenant)).content.decode()
    assert "Tambah unit" not in page
    assert officer.get(url("unit_create", tenant)).status_code == 403
    assert officer.post(url("unit_create", tenant), {"name": "X", "code": "X", "kind": "opd"}).status_code == 403
    assert officer.get(url("import", tenant)).status_code == 403
    assert not Unit.objects.filter(tenant=tenant, code="X").exists()


def test_another_tenants_unit_is_not_found(admin, world):
    foreign = services.unit_create(tenant=world.cilegon.tenant, code="BKAD", name="BKAD Cilegon", kind="opd")
    assert admin.get(url("unit_detail", world.serang.tenant, pk=foreign.pk)).status_code == 404
    assert admin.post(url("unit_update", world.serang.tenant, pk=foreign.pk), {"name": "Diambil"}).status_code == 404


def test_the_unit_page_shows_positions_holders_and_supervisors_in_few_queries(admin, tenant, org):
    for i in range(10):
        position = services.position_create(unit=org["units"]["seksi"], name=f"Staf {i}", job_class=5)
        services.employee_assign(employee=make_employee(tenant, 100 + i, f"Staf Nomor {i}"), position=position, start=SINCE)
    with CaptureQueriesContext(connection) as queries:
        response = admin.get(url("unit_detail", tenant, pk=org["units"]["seksi"].pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Agus Salim" in body and "Dedi Kurniawan" in body and "Staf Nomor 9" in body
    assert "Rina Marlina" in body  # the seksi head reports to the bidang head
    assert len(queries) <= 20, len(queries)


def test_the_employee_list_searches_by_name_and_nip_and_filters_by_unit(admin, tenant, org):
    body = admin.get(url("employee_list", tenant), {"q": "dedi"}).content.decode()
    assert "Dedi Kurniawan" in body and "Agus Salim" not in body
    body = admin.get(url("employee_list", tenant), {"q": org["people"]["kasi"].nip}).content.decode()
    assert "Agus Salim" in body and "Dedi Kurniawan" not in body
    body = admin.get(url("employee_list", tenant), {"unit": org["units"]["bidang"].pk}).content.decode()
    assert "Rina Marlina" in body and "Dedi Kurniawan" in body and "Hendra Wijaya" not in body


def test_the_employee_list_pages_with_bounded_queries(admin, tenant, org):
    for i in range(40):
        make_employee(tenant, 200 + i, f"Zaenal {i:02d}")
    with CaptureQueriesContext(connection) as queries:
        response = admin.get(url("employee_list", tenant), {"halaman": 2})
    assert response.status_code == 200
    assert "Halaman 2 dari 2" in response.content.decode()
    assert len(queries) <= 12, len(queries)


def test_the_admin_adds_an_employee_and_assigns_a_position(admin, tenant, org):
    response = admin.post(
        url("employee_create", tenant),
        {"nip": "19850101", "full_name": "Joko Susilo", "employment_type": "pns", "status": "active"},
    )
    assert response.status_code == 400 and "NIP 19850101 harus 18 angka" in response.content.decode()
    response = admin.post(
        url("employee_create", tenant),
        {"nip": "19900505 201503 1 007", "full_name": "Joko Susilo", "employment_type": "pns", "rank": "iii/b", "status": "active"},
    )
    joko = Employee.objects.get(tenant=tenant, nip="199005052015031007")
    assert joko.rank == "III/b"
    assert response.url == url("employee_assign", tenant, pk=joko.pk)
    response = admin.post(url("employee_assign", tenant, pk=joko.pk), {"position": org["positions"]["staf_bidang"].pk, "start": "2025-01-02"})
    assert response.status_code == 302
    body = admin.get(url("employee_detail", tenant, pk=joko.pk)).content.decode()
    assert "Analis Pelayanan" in body and "Rina Marlina" in body


def test_assigning_someone_to_an_occupied_head_post_is_explained(admin, tenant, org):
    joko = make_employee(tenant, 50, "Joko Susilo")
    response = admin.post(url("employee_assign", tenant, pk=joko.pk), {"position": org["positions"]["kasi"].pk, "start": "2025-01-02"})
    assert response.status_code == 400
    assert "masih dipegang Agus Salim" in response.content.decode()


def test_the_admin_renames_a_unit_and_the_old_name_stays_in_its_history(admin, tenant, org):
    seksi = org["units"]["seksi"]
    response = admin.post(
        url("unit_update", tenant, pk=seksi.pk),
        {"name": "Seksi Perizinan Berusaha", "code": seksi.code, "kind": "seksi", "parent": seksi.parent_id, "effective": "2025-01-01"},
    )
    assert response.status_code == 302
    body = admin.get(url("unit_detail", tenant, pk=seksi.pk)).content.decode()
    assert "Seksi Perizinan Berusaha" in body and "Seksi Perizinan Usaha" in body


def test_the_import_page_reports_each_row(admin, tenant, org):
    csv = "kode;nama;singkatan;jenis;kode_induk\nDPMPTSP.2;Bidang Pengaduan;;bidang;DPMPTSP\nDPMPTSP.3;Bidang Tanpa Induk;;bidang;\n"
    response = admin.post(url("import", tenant), {"file": SimpleUploadedFile("unit.csv", csv.encode())})
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 baris diterima, 1 baris ditolak" in body
    assert "Baris 3: Pilih unit induk" in body
    assert Unit.objects.filter(tenant=tenant, code="DPMPTSP.2").exists()


def test_the_import_page_refuses_a_disguised_file(admin, tenant):
    response = admin.post(url("import", tenant), {"file": SimpleUploadedFile("pegawai.xlsx", b"%PDF-1.4 bukan excel")})
    assert response.status_code == 400
    assert "isinya bukan lembar kerja Excel" in response.content.decode()


def test_the_templates_download(admin, tenant):
    response = admin.get(url("import_template", tenant, filename="templat-pegawai.csv"))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('templat-pegawai.csv"')
    assert response.content.decode("utf-8-sig").startswith("nip,nama,jenis_pegawai")
    response = admin.get(url("import_template", tenant, filename="templat-struktur-organisasi.xlsx"))
    assert response.content.startswith(b"PK\x03\x04")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["unit", "pegawai"]
    assert admin.get(url("import_template", tenant, filename="lain.exe")).status_code == 404
