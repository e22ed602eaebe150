import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from balai.core.orgs import imports, selectors, services
from balai.core.orgs.models import Assignment, Employee, Position, Unit

UNIT_ROWS = [
    ["kode", "nama", "singkatan", "jenis", "kode_induk"],
    ["BKAD.1", "Bidang Perbendaharaan", "", "bidang", "BKAD"],  # parent comes later in the file
    ["BKAD", "Badan Keuangan dan Aset Daerah", "BKAD", "opd", ""],
    ["BKAD.1.1", "Seksi Belanja", "", "seksi", "BKAD.1"],
    ["BKAD.9", "Bidang Hantu", "", "bidang", "TIDAKADA"],
    ["BKAD.2", "Bidang Akuntansi", "", "departemen", "BKAD"],
]
EMPLOYEE_HEADER = ["nip", "nama", "jenis_pegawai", "golongan", "surel", "kode_unit", "jabatan", "kelas_jabatan", "kepala", "mulai"]
EMPLOYEE_ROWS = [
    EMPLOYEE_HEADER,
    ["198001012005011001", "Bambang Sutrisno", "PNS", "IV/c", "", "BKAD", "Kepala Badan", "15", "ya", "2024-01-02"],
    ["198502022010122002", "Sri Wahyuni", "PNS", "IV/a", "", "BKAD.1", "Kepala Bidang Perbendaharaan", "12", "ya", "02/01/2024"],
    ["19850101", "Nip Pendek", "PNS", "", "", "BKAD.1", "Bendahara", "7", "tidak", "2024-01-02"],
    ["199001012015031003", "Unit Salah", "PNS", "III/b", "", "BKAD.7", "Staf", "6", "", "2024-01-02"],
    ["199101012015032004", "Kelas Salah", "PPPK", "IX", "", "BKAD.1.1", "Pengelola Belanja", "20", "", "2024-01-02"],
    ["199201012019031005", "Dua Kepala", "PNS", "III/a", "", "BKAD", "Kepala Badan", "15", "ya", "2024-01-02"],
    ["199301012019032006", "Ratna Sari", "PPPK", "IX", "ratna@contoh.id", "BKAD.1.1", "Pengelola Belanja", "7", "tidak", "2024-01-02"],
]


def csv_upload(rows, *, name="data.csv", delimiter=",", bom=False):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    data = out.getvalue().encode("utf-8-sig" if bom else "utf-8")
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx_upload(sheets, *, name="data.xlsx"):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def tenant(world):
    return world.serang.tenant


def by_line(report):
    return {(r.kind, r.line): r for r in report.rows}


def test_it_imports_units_from_csv_in_tree_order_and_reports_every_row(tenant):
    report = services.orgs_import(tenant=tenant, file=csv_upload(UNIT_ROWS), actor=None)
    assert report.ok
    rows = by_line(report)
    assert [r.line for r in report.rows] == [2, 3, 4, 5, 6]
    assert rows[("units", 2)].outcome == rows[("units", 3)].outcome == rows[("units", 4)].outcome == imports.ADDED
    assert "Baris 5: kode induk TIDAKADA tidak ditemukan" in rows[("units", 5)].text
    assert "jenis unit 'departemen' tidak dikenal" in rows[("units", 6)].text
    assert set(Unit.objects.filter(tenant=tenant).values_list("code", flat=True)) == {"BKAD", "BKAD.1", "BKAD.1.1"}
    assert Unit.objects.get(tenant=tenant, code="BKAD.1.1").parent.code == "BKAD.1"


def test_it_imports_employees_and_refuses_bad_rows_with_their_reason(tenant):
    services.orgs_import(tenant=tenant, file=csv_upload(UNIT_ROWS), actor=None)
    report = services.orgs_import(tenant=tenant, file=csv_upload(EMPLOYEE_ROWS, delimiter=";", bom=True), actor=None)
    rows = by_line(report)
    assert report.accepted_count == 3 and report.rejected_count == 4
    assert rows[("employees", 4)].text.startswith("Baris 4: NIP 19850101 harus 18 angka")
    assert "kode unit BKAD.7 tidak ditemukan" in rows[("employees", 5)].text
    assert "Kelas jabatan '20' tidak sah" in rows[("employees", 6)].text
    assert "masih dipegang Bambang Sutrisno" in rows[("employees", 7)].text
    # Nothing of a rejected row is saved: no employee, no position it would have created.
    assert not Employee.objects.filter(tenant=tenant, nip__in=["199201012019031005", "199101012015032004"]).exists()
    assert not Position.objects.filter(tenant=tenant, name="Bendahara").exists()
    ratna = Employee.objects.get(tenant=tenant, nip="199301012019032006")
    assert (ratna.employment_type, ratna.rank, ratna.email) == ("pppk", "IX", "ratna@contoh.id")
    kepala = Employee.objects.get(tenant=tenant, nip="198001012005011001")
    assert selectors.supervisor_of(tenant=tenant, employee=ratna, on=datetime.date(2024, 2, 1)) == Employee.objects.get(
        tenant=tenant, nip="198502022010122002"
    )
    assert selectors.supervisor_of(tenant=tenant, employee=kepala, on=datetime.date(2024, 2, 1)) is None


def test_a_rejected_row_after_a_partial_write_leaves_nothing_behind(tenant):
    services.orgs_import(tenant=tenant, file=csv_upload(UNIT_ROWS), actor=None)
    services.orgs_import(tenant=tenant, file=csv_upload(EMPLOYEE_ROWS[:2]), actor=None)
    # The position is created and the employee saved before the head check refuses the assignment.
    rows = [EMPLOYEE_HEADER, ["199201012019031005", "Calon Kepala", "PNS", "", "", "BKAD", "Kepala Badan Baru", "15", "ya", "2024-01-02"]]
    services.position_update(position=Position.objects.get(tenant=tenant, name="Kepala Badan"), is_head=True)
    report = services.orgs_import(tenant=tenant, file=csv_upload(rows), actor=None)
    assert report.rejected_count == 1 and "satu kepala" in report.rows[0].reason
    assert not Employee.objects.filter(tenant=tenant, nip="199201012019031005").exists()
    assert not Position.objects.filter(tenant=tenant, name="Kepala Badan Baru").exists()


def test_it_imports_both_sheets_of_an_xlsx_and_reimporting_changes_nothing(tenant):
    upload = xlsx_upload({"pegawai": EMPLOYEE_ROWS, "unit": UNIT_ROWS})
    first = services.orgs_import(tenant=tenant, file=upload, actor=None)
    assert first.ok and first.count(imports.ADDED) == 6
    counts = (Unit.objects.count(), Position.objects.count(), Employee.objects.count(), Assignment.objects.count())
    again = services.orgs_import(tenant=tenant, file=xlsx_upload({"pegawai": EMPLOYEE_ROWS, "unit": UNIT_ROWS}), actor=None)
    assert again.count(imports.ADDED) == 0 and again.count(imports.UPDATED) == 0
    assert again.count(imports.UNCHANGED) == 6
    assert (Unit.objects.count(), Position.objects.count(), Employee.objects.count(), Assignment.objects.count()) == counts


def test_reimporting_with_changes_updates_by_code_and_nip(tenant):
    services.orgs_import(tenant=tenant, file=xlsx_upload({"unit": UNIT_ROWS, "pegawai": EMPLOYEE_ROWS}), actor=None)
    units = [list(r) for r in UNIT_ROWS]
    units[2][1] = "Badan Pengelolaan Keuangan dan Aset Daerah"
    people = [list(r) for r in EMPLOYEE_ROWS]
    people[7][3] = "X"
    people[7][9] = "2025-01-02"
    people[7][6] = "Analis Anggaran"
    report = services.orgs_import(tenant=tenant, file=xlsx_upload({"unit": units, "pegawai": people}), actor=None)
    assert by_line(report)[("units", 3)].outcome == imports.UPDATED
    assert by_line(report)[("employees", 8)].outcome == imports.UPDATED
    bkad = Unit.objects.get(tenant=tenant, code="BKAD")
    assert bkad.name == "Badan Pengelolaan Keuangan dan Aset Daerah" and bkad.names.count() == 2
    ratna = Employee.objects.get(tenant=tenant, nip="199301012019032006")
    assert ratna.rank == "X"
    history = list(ratna.assignments.order_by("start").values_list("position__name", "end"))
    assert history == [("Pengelola Belanja", datetime.date(2025, 1, 1)), ("Analis Anggaran", None)]


def test_an_nip_typed_as_a_number_in_excel_is_refused_with_a_fix(tenant):
    services.orgs_import(tenant=tenant, file=csv_upload(UNIT_ROWS), actor=None)
    rows = [EMPLOYEE_HEADER, [198001012005011001.0, "Angka", "PNS", "", "", "BKAD", "Staf", 6, "tidak", datetime.date(2024, 1, 2)]]
    report = services.orgs_import(tenant=tenant, file=xlsx_upload({"pegawai": rows}), actor=None)
    assert "format kolom nip sebagai Teks" in report.rows[0].reason


def test_dates_and_numbers_from_excel_cells_are_read(tenant):
    services.orgs_import(tenant=tenant, file=csv_upload(UNIT_ROWS), actor=None)
    rows = [EMPLOYEE_HEADER, ["198001012005011001", "Sel Excel", "PNS", "", "", "BKAD", "Staf", 6, "", datetime.datetime(2024, 1, 2)]]
    report = services.orgs_import(tenant=tenant, file=xlsx_upload({"pegawai": rows}), actor=None)
    assert report.rejected_count == 0
    assert Assignment.objects.get(employee__nip="198001012005011001").start == datetime.date(2024, 1, 2)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("struktur.xlsx", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "isinya bukan lembar kerja Excel"),
        ("struktur.xlsx", b"PK\x03\x04" + b"\x00" * 200, "tidak dapat dibuka"),
        ("struktur.csv", b"%PDF-1.7\n1 0 obj\n", "bukan teks CSV"),
        ("struktur.csv", "kode,nama\nA,Énergie".encode("latin-1"), "bukan UTF-8"),
        ("struktur.pdf", b"kode,nama,jenis\nA,B,opd\n", "Unggah berkas .xlsx atau .csv"),
        ("kosong.csv", b"kode,nama,jenis\n", "Tidak ada baris data"),
        ("judul.csv", b"a,b,c\n1,2,3\n", "Baris judul"),
        ("kolom.csv", b"kode,nama\nA,B\n", "Kolom jenis tidak ada"),
    ],
)
def test_it_refuses_files_that_are_not_what_they_claim(tenant, name, content, says):
    report = services.orgs_import(tenant=tenant, file=SimpleUploadedFile(name, content), actor=None)
    assert not report.ok and says in report.error
    assert not Unit.objects.filter(tenant=tenant).exists()


def test_a_zip_that_is_not_a_workbook_is_refused(tenant):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    report = services.orgs_import(tenant=tenant, file=SimpleUploadedFile("x.xlsx", out.getvalue()), actor=None)
    assert "bukan lembar kerja Excel" in report.error


def test_a_workbook_that_unpacks_too_large_is_refused(tenant, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 1000)
    report = services.orgs_import(tenant=tenant, file=SimpleUploadedFile("t.xlsx", imports.template_xlsx()), actor=None)
    assert "terlalu besar" in report.error


def test_it_caps_size_and_rows(tenant):
    big = SimpleUploadedFile("besar.csv", b"kode,nama,jenis\n" + b"A,B,opd\n" * 300_000)
    assert "lebih dari 2 MB" in services.orgs_import(tenant=tenant, file=big, actor=None).error
    rows = [["kode", "nama", "jenis", "kode_induk"]] + [[f"U{i}", f"Unit {i}", "opd", ""] for i in range(5001)]
    report = services.orgs_import(tenant=tenant, file=csv_upload(rows), actor=None)
    assert "lebih dari 5.000 baris" in report.error
    assert not Unit.objects.filter(tenant=tenant).exists()


def test_the_templates_import_cleanly(tenant):
    report = services.orgs_import(tenant=tenant, file=SimpleUploadedFile("t.xlsx", imports.template_xlsx()), actor=None)
    assert report.ok and report.rejected_count == 0, [r.text for r in report.rejected]
    workbook = load_workbook(io.BytesIO(imports.template_xlsx()))
    assert workbook.sheetnames == ["unit", "pegawai"]
    assert workbook["pegawai"]["A2"].number_format == "@"
    again = services.orgs_import(tenant=tenant, file=SimpleUploadedFile("u.csv", imports.template_csv(imports.UNITS)), actor=None)
    assert again.count(imports.UNCHANGED) == 3
    people = services.orgs_import(tenant=tenant, file=SimpleUploadedFile("p.csv", imports.template_csv(imports.EMPLOYEES)), actor=None)
    assert people.count(imports.UNCHANGED) == 2


def test_an_import_stays_in_its_tenant(world):
    serang, cilegon = world.serang.tenant, world.cilegon.tenant
    services.unit_create(tenant=cilegon, code="BKAD", name="BKAD Cilegon", kind="opd")
    report = services.orgs_import(tenant=serang, file=csv_upload([UNIT_ROWS[0], ["BKAD.1", "Bidang", "", "bidang", "BKAD"]]), actor=None)
    assert "kode induk BKAD tidak ditemukan" in report.rows[0].reason
    assert Unit.objects.get(code="BKAD").name == "BKAD Cilegon"
