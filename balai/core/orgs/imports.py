"""Import of units and employees from a spreadsheet (.xlsx) or a text table (.csv).

Formats (the first row holds the column names; their order is free, case and spaces do not matter):

Units (`unit` sheet, or a csv whose header has `kode` but not `nip`):
    kode        unit code, unique in the Pemda, no spaces (DPMPTSP, DPMPTSP.1)        required
    nama        unit name                                                              required
    singkatan   short name (DPMPTSP)                                                    optional
    jenis       opd, bidang, bagian, seksi, subbagian, uptd or lainnya                  required
    kode_induk  code of the parent unit; empty for an OPD                              required except for OPD
    berlaku_mulai  the day a new unit came into force; empty: it existed before      optional
                   records began (so that employees' earlier start dates fit)

Employees (`pegawai` sheet, or a csv whose header has `nip`):
    nip            18 digits (write it as text in Excel)                                required
    nama           full name                                                            required
    jenis_pegawai  PNS or PPPK                                                          required
    golongan       III/a for PNS, IX for PPPK                                           optional
    surel          e-mail address                                                       optional
    kode_unit      code of an existing unit (or one in the same file)                   required
    jabatan        position name in that unit; created when it does not exist yet       required
    kelas_jabatan  1 to 17                                                              required
    kepala         ya or tidak: whether the position heads the unit (default tidak)    optional
    mulai          start of the assignment: 2024-01-02, 02/01/2024 or 02-01-2024        required

A csv is UTF-8 (with or without BOM), separated by commas or semicolons. An xlsx may hold both
sheets; units are imported before employees.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from balai.core.tenants.models import Tenant

from . import services
from .identifiers import job_class_clean, nip_clean
from .models import Assignment, Employee, Position, Unit
from .selectors import tenant_today

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"

UNIT_COLUMNS = ("kode", "nama", "singkatan", "jenis", "kode_induk", "berlaku_mulai")
UNIT_REQUIRED = ("kode", "nama", "jenis")
EMPLOYEE_COLUMNS = ("nip", "nama", "jenis_pegawai", "golongan", "surel", "kode_unit", "jabatan", "kelas_jabatan", "kepala", "mulai")
EMPLOYEE_REQUIRED = ("nip", "nama", "jenis_pegawai", "kode_unit", "jabatan", "kelas_jabatan", "mulai")

UNITS, EMPLOYEES = "units", "employees"
KIND_LABELS = {UNITS: "unit", EMPLOYEES: "pegawai"}

ADDED, UPDATED, UNCHANGED, REJECTED = "added", "updated", "unchanged", "rejected"


class FileRefused(Exception):
    """The whole file is refused; the message says why and what to do."""


@dataclass
class ImportRow:
    kind: str
    line: int
    key: str
    outcome: str
    messages: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.outcome != REJECTED

    @property
    def outcome_label(self) -> str:
        return {ADDED: _("Ditambahkan"), UPDATED: _("Diperbarui"), UNCHANGED: _("Tidak berubah"), REJECTED: _("Ditolak")}[
            self.outcome
        ]

    @property
    def reason(self) -> str:
        return "; ".join(m.rstrip(".") for m in self.messages)

    @property
    def text(self) -> str:
        detail = self.reason if self.messages else self.outcome_label
        return _("Baris %(line)s: %(detail)s") % {"line": self.line, "detail": detail}


@dataclass
class ImportReport:
    file_name: str
    error: str = ""
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error

    def of_kind(self, kind: str) -> list[ImportRow]:
        return [r for r in self.rows if r.kind == kind]

    @property
    def sections(self) -> list[tuple[str, list[ImportRow]]]:
        return [(KIND_LABELS[k], rows) for k in (UNITS, EMPLOYEES) if (rows := self.of_kind(k))]

    @property
    def accepted_count(self) -> int:
        return sum(1 for r in self.rows if r.accepted)

    @property
    def rejected_count(self) -> int:
        return sum(1 for r in self.rows if not r.accepted)

    @property
    def rejected(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.accepted]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


@dataclass
class Table:
    name: str
    kind: str
    rows: list[tuple[int, dict[str, Any]]]


# Reading the file --------------------------------------------------------------------------------


def _header_key(value: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(value or "").strip().lower())


def _kind_of(header: list[str], name: str) -> str:
    if "nip" in header:
        return EMPLOYEES
    if "kode" in header and "nama" in header:
        return UNITS
    raise FileRefused(
        _("Baris judul %(name)s tidak dikenali. Pakai templat dari halaman ini: baris pertama berisi nama kolom, misalnya kode, nama, jenis.")
        % {"name": name}
    )


def _table(name: str, records, *, budget: list[int]) -> Table | None:
    """Rows of one sheet or csv as (line number, {column: value}); None when the sheet is empty."""
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, Any]]] = []
    for line, record in enumerate(records, start=1):
        values = list(record or ())
        if header is None:
            if not any(v not in (None, "") and str(v).strip() for v in values):
                continue
            header = [_header_key(v) for v in values]
            header_line = line
            continue
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        budget[0] += 1
        if budget[0] > MAX_ROWS:
            raise FileRefused(
                _("Berkas memuat lebih dari %(max)s baris data. Pecah menjadi beberapa berkas lalu impor satu per satu.")
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        rows.append((line, {h: v for h, v in zip(header, values, strict=False) if h}))
    if header is None:
        return None
    kind = _kind_of(header, name)
    required = UNIT_REQUIRED if kind == UNITS else EMPLOYEE_REQUIRED
    missing = [c for c in required if c not in header]
    if missing:
        raise FileRefused(
            _("Kolom %(cols)s tidak ada di baris judul %(name)s (baris %(line)s). Tambahkan kolom itu atau pakai templat.")
            % {"cols": ", ".join(missing), "name": name, "line": header_line}
        )
    return Table(name=name, kind=kind, rows=rows)


def _read_xlsx(data: bytes) -> list[Table]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise FileRefused(_("Berkas ini bukan lembar kerja Excel (.xlsx). Simpan sebagai .xlsx atau .csv lalu unggah lagi."))
            # A small zip can unpack to gigabytes; a real 5,000-row sheet stays far below this.
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FileRefused(_("Isi berkas .xlsx ini terlalu besar. Pecah menjadi beberapa berkas lalu impor satu per satu."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(
            _("Berkas .xlsx ini tidak dapat dibuka (rusak atau bukan Excel). Simpan ulang dari Excel sebagai .xlsx lalu unggah lagi.")
        ) from None
    try:
        tables, budget = [], [0]
        for sheet in workbook.worksheets:
            label = _("lembar '%(name)s'") % {"name": sheet.title}
            table = _table(label, sheet.iter_rows(values_only=True), budget=budget)
            if table is not None:
                tables.append(table)
        return tables
    finally:
        workbook.close()


def _read_csv(data: bytes) -> list[Table]:
    if b"\x00" in data or data.startswith(b"%PDF"):
        raise FileRefused(_("Berkas ini bukan teks CSV. Simpan dari Excel sebagai 'CSV UTF-8' lalu unggah lagi."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            _("Berkas CSV ini bukan UTF-8. Di Excel pilih Simpan Sebagai → 'CSV UTF-8 (dipisah koma)' lalu unggah lagi.")
        ) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _table(_("berkas CSV"), reader, budget=[0])
    except csv.Error:
        raise FileRefused(_("Berkas CSV ini tidak dapat dibaca (tanda kutip tidak seimbang?). Periksa lalu unggah lagi.")) from None
    return [table] if table else []


def read_tables(file) -> list[Table]:
    """The tables in an uploaded file, checked by content; raises FileRefused for the whole file."""
    name = (getattr(file, "name", "") or "").lower()
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise FileRefused(_("Berkas terlalu besar (lebih dari 2 MB). Pecah menjadi beberapa berkas lalu impor satu per satu."))
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileRefused(_("Berkas terlalu besar (lebih dari 2 MB). Pecah menjadi beberapa berkas lalu impor satu per satu."))
    if not data.strip():
        raise FileRefused(_("Berkas ini kosong. Isi templat lalu unggah lagi."))
    is_zip = data.startswith(ZIP_MAGIC)
    if name.endswith(".xlsx"):
        if not is_zip:
            raise FileRefused(_("Berkas ini bernama .xlsx tetapi isinya bukan lembar kerja Excel. Simpan dari Excel sebagai .xlsx lalu unggah lagi."))
        tables = _read_xlsx(data)
    elif name.endswith(".csv"):
        if is_zip:
            raise FileRefused(_("Berkas ini bernama .csv tetapi isinya bukan teks CSV. Ganti namanya menjadi .xlsx atau simpan sebagai CSV."))
        tables = _read_csv(data)
    else:
        raise FileRefused(_("Unggah berkas .xlsx atau .csv; jenis berkas lain tidak dapat diimpor."))
    if not any(t.rows for t in tables):
        raise FileRefused(_("Tidak ada baris data di berkas ini. Isi baris di bawah baris judul lalu unggah lagi."))
    return tables


# Parsing cells -----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _date(value: Any, *, label: str) -> datetime.date | None:
    """A date from a cell; None when empty."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date, no time of day)
        except ValueError:
            continue
    raise ValidationError(
        _("%(label)s '%(value)s' tidak dikenali; tulis seperti 2024-01-02 atau 02/01/2024") % {"label": label, "value": text}
    )


_YES = {"ya", "y", "yes", "1", "true", "benar", "kepala"}
_NO = {"", "tidak", "t", "no", "n", "0", "false", "bukan"}


def _yes_no(value: Any) -> bool:
    text = _text(value).lower()
    if text in _YES or value is True:
        return True
    if text in _NO or value is False:
        return False
    raise ValidationError(_("kolom kepala berisi '%(value)s'; tulis ya atau tidak") % {"value": text})


_UNIT_KINDS = {**{k: k for k in Unit.Kind.values}, "sub bagian": "subbagian", "sub_bagian": "subbagian", "subbag": "subbagian"}


def _unit_kind(value: Any) -> str:
    text = _text(value).lower()
    if text in _UNIT_KINDS:
        return _UNIT_KINDS[text]
    raise ValidationError(
        _("jenis unit '%(value)s' tidak dikenal; tulis salah satu: opd, bidang, bagian, seksi, subbagian, uptd, lainnya")
        % {"value": _text(value)}
    )


def _employment_type(value: Any) -> str:
    text = _text(value).lower()
    if text in Employee.EmploymentType.values:
        return text
    raise ValidationError(_("jenis pegawai '%(value)s' tidak dikenal; tulis PNS atau PPPK") % {"value": _text(value)})


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for errors in exc.message_dict.values() for m in errors]
    return list(exc.messages)


# Rows --------------------------------------------------------------------------------------------


def _unit_row(*, tenant: Tenant, data: dict[str, Any], today: datetime.date, actor) -> str:
    errors: list[str] = []
    code, name = _text(data.get("kode")), _text(data.get("nama"))
    short_name, parent_code = _text(data.get("singkatan")), _text(data.get("kode_induk"))
    if not code:
        errors.append(_("kode unit wajib diisi"))
    if not name:
        errors.append(_("nama unit wajib diisi"))
    kind = ""
    try:
        kind = _unit_kind(data.get("jenis"))
    except ValidationError as exc:
        errors.extend(exc.messages)
    valid_from = None
    try:
        valid_from = _date(data.get("berlaku_mulai"), label=_("berlaku_mulai"))
    except ValidationError as exc:
        errors.extend(exc.messages)
    parent = None
    if parent_code:
        parent = Unit.objects.filter(tenant=tenant, code=parent_code).first()
        if parent is None:
            errors.append(_("kode induk %(code)s tidak ditemukan; tulis unit induk lebih dulu atau periksa kodenya") % {"code": parent_code})
    if errors:
        raise ValidationError(errors)
    unit = Unit.objects.filter(tenant=tenant, code=code).select_related("parent").first()
    if unit is None:
        services.unit_create(
            tenant=tenant, code=code, name=name, kind=kind, parent=parent, short_name=short_name, valid_from=valid_from, actor=actor
        )
        return ADDED
    if unit.valid_to is not None:
        raise ValidationError(_("unit %(code)s sudah ditutup dan tidak dapat diubah lewat impor") % {"code": code})
    if (unit.name, unit.short_name, unit.kind, unit.parent_id) == (name, short_name, kind, parent.pk if parent else None):
        return UNCHANGED
    services.unit_update(unit=unit, name=name, short_name=short_name, kind=kind, parent=parent, effective=today, actor=actor)
    return UPDATED


def _employee_row(*, tenant: Tenant, data: dict[str, Any], today: datetime.date, actor) -> str:
    errors: list[str] = []
    raw_nip = data.get("nip")
    nip = ""
    if isinstance(raw_nip, float) or (isinstance(raw_nip, int) and not isinstance(raw_nip, bool) and raw_nip > 10**15):
        # Excel keeps 15 significant digits: an 18-digit NIP stored as a number has lost its last digits.
        errors.append(_("NIP tersimpan sebagai angka di Excel sehingga angka terakhirnya hilang; format kolom nip sebagai Teks lalu ketik ulang NIP-nya"))
    else:
        try:
            nip = nip_clean(_text(raw_nip))
        except ValidationError as exc:
            errors.extend(exc.messages)
    name = _text(data.get("nama"))
    if not name:
        errors.append(_("nama pegawai wajib diisi"))
    employment_type = ""
    try:
        employment_type = _employment_type(data.get("jenis_pegawai"))
    except ValidationError as exc:
        errors.extend(exc.messages)
    rank, email = _text(data.get("golongan")), _text(data.get("surel"))
    unit_code, position_name = _text(data.get("kode_unit")), _text(data.get("jabatan"))
    unit = None
    if not unit_code:
        errors.append(_("kode unit wajib diisi"))
    else:
        unit = Unit.objects.filter(tenant=tenant, code=unit_code).first()
        if unit is None:
            errors.append(_("kode unit %(code)s tidak ditemukan; impor unitnya dulu atau periksa kodenya") % {"code": unit_code})
        elif unit.valid_to is not None:
            errors.append(_("unit %(code)s sudah ditutup") % {"code": unit_code})
    if not position_name:
        errors.append(_("nama jabatan wajib diisi"))
    job_class = None
    try:
        job_class = job_class_clean(data.get("kelas_jabatan"))
    except ValidationError as exc:
        errors.extend(exc.messages)
    is_head = False
    try:
        is_head = _yes_no(data.get("kepala"))
    except ValidationError as exc:
        errors.extend(exc.messages)
    start = None
    try:
        start = _date(data.get("mulai"), label=_("tanggal mulai"))
    except ValidationError as exc:
        errors.extend(exc.messages)
    else:
        if start is None:
            errors.append(_("tanggal mulai wajib diisi, misalnya 2024-01-02"))
    if errors:
        raise ValidationError(errors)

    changed = False
    position = Position.objects.filter(tenant=tenant, unit=unit, name__iexact=position_name, is_active=True).first()
    if position is None:
        position = services.position_create(unit=unit, name=position_name, job_class=job_class, is_head=is_head, actor=actor)
        changed = True
    elif (position.job_class, position.is_head) != (job_class, is_head):
        position = services.position_update(position=position, job_class=job_class, is_head=is_head, actor=actor)
        changed = True

    employee = Employee.objects.filter(tenant=tenant, nip=nip).first()
    created = employee is None
    if created:
        employee = services.employee_create(
            tenant=tenant, nip=nip, full_name=name, employment_type=employment_type, rank=rank, email=email, actor=actor
        )
    else:
        before = (employee.full_name, employee.employment_type, employee.rank, employee.email)
        employee = services.employee_update(
            employee=employee, full_name=name, employment_type=employment_type, rank=rank, email=email, actor=actor
        )
        changed = changed or before != (employee.full_name, employee.employment_type, employee.rank, employee.email)

    current = (
        Assignment.objects.filter(tenant=tenant, employee=employee, is_primary=True, end__isnull=True).order_by("-start").first()
    )
    if current is None or current.position_id != position.pk:
        services.employee_assign(employee=employee, position=position, start=start, actor=actor)
        changed = True
    if created:
        return ADDED
    return UPDATED if changed else UNCHANGED


def _run_row(report: ImportReport, kind: str, line: int, key: str, handler, **kwargs) -> None:
    try:
        with transaction.atomic():  # one savepoint per row: a rejected row leaves nothing behind
            outcome = handler(**kwargs)
    except ValidationError as exc:
        report.rows.append(ImportRow(kind=kind, line=line, key=key, outcome=REJECTED, messages=_messages(exc)))
    else:
        report.rows.append(ImportRow(kind=kind, line=line, key=key, outcome=outcome))


def _import_units(*, tenant: Tenant, table: Table, report: ImportReport, today: datetime.date, actor) -> None:
    # Rows whose parent comes later in the file wait until that parent is in; the report keeps file order.
    pending = list(table.rows)
    start = len(report.rows)
    while pending:
        waiting_codes = {_text(d.get("kode")) for _line, d in pending}
        deferred = []
        for line, data in pending:
            parent_code, code = _text(data.get("kode_induk")), _text(data.get("kode"))
            if (
                parent_code
                and parent_code != code
                and parent_code in waiting_codes
                and not Unit.objects.filter(tenant=tenant, code=parent_code).exists()
            ):
                deferred.append((line, data))
                continue
            _run_row(report, UNITS, line, code, _unit_row, tenant=tenant, data=data, today=today, actor=actor)
            waiting_codes.discard(code)
        if len(deferred) == len(pending):  # a cycle: nobody's parent can come in
            for line, data in deferred:
                report.rows.append(
                    ImportRow(
                        kind=UNITS,
                        line=line,
                        key=_text(data.get("kode")),
                        outcome=REJECTED,
                        messages=[_("kode induk %(code)s membentuk lingkaran dengan unit lain di berkas ini") % {"code": _text(data.get("kode_induk"))}],
                    )
                )
            break
        pending = deferred
    report.rows[start:] = sorted(report.rows[start:], key=lambda r: r.line)


@transaction.atomic
def import_file(*, tenant: Tenant, file, actor=None) -> ImportReport:
    """See services.orgs_import."""
    report = ImportReport(file_name=getattr(file, "name", "") or "")
    try:
        tables = read_tables(file)
    except FileRefused as exc:
        report.error = str(exc)
        return report
    today = tenant_today(tenant)
    for table in sorted(tables, key=lambda t: 0 if t.kind == UNITS else 1):
        if table.kind == UNITS:
            _import_units(tenant=tenant, table=table, report=report, today=today, actor=actor)
        else:
            for line, data in table.rows:
                _run_row(report, EMPLOYEES, line, _text(data.get("nip")), _employee_row, tenant=tenant, data=data, today=today, actor=actor)
    return report


# Templates ---------------------------------------------------------------------------------------

UNIT_EXAMPLES = [
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "opd", "", ""),
    ("DPMPTSP.1", "Bidang Pelayanan Perizinan", "", "bidang", "DPMPTSP", ""),
    ("DPMPTSP.1.1", "Seksi Perizinan Usaha", "", "seksi", "DPMPTSP.1", "2024-01-02"),
]
EMPLOYEE_EXAMPLES = [
    ("198501012010121001", "Ahmad Fauzi", "PNS", "IV/a", "ahmad.fauzi@contoh.go.id", "DPMPTSP.1", "Kepala Bidang Pelayanan Perizinan", "12", "ya", "2024-01-02"),
    ("199203152019032002", "Siti Rahmawati", "PNS", "III/b", "", "DPMPTSP.1.1", "Pengadministrasi Perizinan", "6", "tidak", "2024-01-02"),
]


def template_csv(kind: str) -> bytes:
    """A csv template with the header and example rows (UTF-8 with BOM, so that Excel reads it right)."""
    columns, examples = (UNIT_COLUMNS, UNIT_EXAMPLES) if kind == UNITS else (EMPLOYEE_COLUMNS, EMPLOYEE_EXAMPLES)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(examples)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """An xlsx template with a `unit` and a `pegawai` sheet; NIP is a text column so that no digit is lost."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    units = workbook.active
    units.title = "unit"
    employees = workbook.create_sheet("pegawai")
    for sheet, columns, examples in ((units, UNIT_COLUMNS, UNIT_EXAMPLES), (employees, EMPLOYEE_COLUMNS, EMPLOYEE_EXAMPLES)):
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in examples:
            sheet.append(list(row))
        for index, column in enumerate(columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(12, len(column) + 4)
    for row in employees.iter_rows(min_row=2, max_col=1):
        for cell in row:
            cell.number_format = "@"
    employees.column_dimensions["A"].width = 22
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
