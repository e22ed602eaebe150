"""Checks and normalisation of the identifiers and codes that people type: NIP, rank, job class."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import JOB_CLASS_MAX, JOB_CLASS_MIN, PNS_RANKS, PPPK_RANKS, Employee

_ROMAN = {"I": 1, "V": 5, "X": 10}
_PNS_RANK = re.compile(r"^(IV|III|II|I)\s*/?\s*([A-E])$", re.IGNORECASE)


def nip_clean(raw: str) -> str:
    """Return the NIP as 18 digits, or raise ValidationError saying what is wrong with it.

    An NIP reads YYYYMMDD (birth date) YYYYMM (appointment) G (1 man, 2 woman) NNN (serial).
    Spaces and dots that people type between the groups are ignored.
    """
    nip = re.sub(r"[\s.]", "", str(raw or ""))
    if not nip:
        raise ValidationError(_("NIP wajib diisi: 18 angka, misalnya 198501012010121001."), code="required")
    if not nip.isdigit():
        raise ValidationError(_("NIP %(nip)s hanya boleh berisi angka.") % {"nip": nip}, code="invalid")
    if len(nip) != 18:
        raise ValidationError(
            _("NIP %(nip)s harus 18 angka; yang tertulis %(count)s angka.") % {"nip": nip, "count": len(nip)},
            code="length",
        )
    try:
        birth = datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("NIP %(nip)s: 8 angka pertama harus tanggal lahir (tahun, bulan, tanggal), misalnya 19850101.") % {"nip": nip},
            code="birth_date",
        ) from None
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or year < 1900:
        raise ValidationError(
            _("NIP %(nip)s: angka ke-9 sampai ke-14 harus tahun dan bulan pengangkatan, misalnya 201001.") % {"nip": nip},
            code="appointment",
        )
    if year < birth.year + 15:
        raise ValidationError(
            _("NIP %(nip)s: tahun pengangkatan %(year)s terlalu dekat dengan tahun lahir %(birth)s; periksa lagi NIP-nya.")
            % {"nip": nip, "year": year, "birth": birth.year},
            code="appointment",
        )
    if nip[14] not in "12":
        raise ValidationError(
            _("NIP %(nip)s: angka ke-15 harus 1 (laki-laki) atau 2 (perempuan).") % {"nip": nip}, code="gender"
        )
    return nip


def _roman_to_int(text: str) -> int | None:
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total


def rank_clean(raw: str, *, employment_type: str) -> str:
    """Return the rank in its written form (`III/a` for PNS, `IX` for PPPK), or "" when empty."""
    text = str(raw or "").strip()
    if not text:
        return ""
    if employment_type == Employee.EmploymentType.PNS:
        match = _PNS_RANK.match(text)
        value = f"{match.group(1).upper()}/{match.group(2).lower()}" if match else ""
        if value not in PNS_RANKS:
            raise ValidationError(
                _("Golongan PNS '%(rank)s' tidak dikenal; tulis seperti III/a atau IV/b.") % {"rank": text}, code="rank"
            )
        return value
    number = int(text) if text.isdigit() else _roman_to_int(text.upper())
    if number is None or not 1 <= number <= len(PPPK_RANKS):
        raise ValidationError(
            _("Golongan PPPK '%(rank)s' tidak dikenal; tulis angka Romawi I sampai XVII, misalnya IX.") % {"rank": text},
            code="rank",
        )
    return PPPK_RANKS[number - 1]


def job_class_clean(raw) -> int:
    """Return the job class (kelas jabatan) as an integer from 1 to 17."""
    text = str(raw if raw is not None else "").strip()
    if text.endswith(".0"):  # a number cell read from a spreadsheet
        text = text[:-2]
    if not text:
        raise ValidationError(_("Kelas jabatan wajib diisi: angka 1 sampai 17."), code="required")
    if not text.isdigit() or not JOB_CLASS_MIN <= int(text) <= JOB_CLASS_MAX:
        raise ValidationError(
            _("Kelas jabatan '%(value)s' tidak sah; tulis angka 1 sampai 17.") % {"value": text}, code="job_class"
        )
    return int(text)
