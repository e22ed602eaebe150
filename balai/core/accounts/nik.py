"""The NIK (Nomor Induk Kependudukan): format, district code, birth date and serial, with precise messages.

python-stdnum does the cleaning and the basic format check; the rest is ours, because a citizen must be
told exactly which part of the number is wrong: the district code is checked against the official
Kemendagri region list we ship (stdnum only knows provinces and regencies), the day may carry +40 for
women (stdnum's modulo would accept 81 as the 1st), and the date must match the birth date the person
wrote. Every error is a `ValidationError` whose message says what is wrong and what to do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import exceptions as stdnum_exceptions
from stdnum.id import nik as stdnum_nik

from balai.core.tenants import regions

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40
CHECK_KTP = gettext_lazy("Salin NIK persis seperti di KTP atau Kartu Keluarga Anda.")


@dataclass(frozen=True)
class NikInfo:
    number: str
    district: regions.Region
    # The birth dates the number can stand for (the year has two digits: 19xx and/or 20xx), oldest first.
    birth_dates: tuple[datetime.date, ...]
    is_female: bool


def _fail(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _candidate_dates(day: int, month: int, yy: int) -> tuple[datetime.date, ...]:
    found = []
    for century in (1900, 2000):
        try:
            found.append(datetime.date(century + yy, month, day))
        except ValueError:
            continue
    return tuple(found)


def nik_parse(raw: str, *, today: datetime.date | None = None) -> NikInfo:
    """Parse a NIK, or raise a ValidationError that names the part that is wrong."""
    today = today or timezone.localdate()
    text = (raw or "").strip()
    if not text:
        raise _fail(_("Tulis NIK Anda: 16 angka yang tertera di KTP atau Kartu Keluarga."), "required")
    number = stdnum_nik.compact(text)  # drops spaces, dots and dashes people type between groups
    try:
        stdnum_nik.validate(number)
    except stdnum_exceptions.InvalidLength:  # a subclass of InvalidFormat, so it goes first
        raise _fail(
            _("NIK harus 16 angka; yang Anda tulis %(count)d angka. %(hint)s") % {"count": len(number), "hint": CHECK_KTP},
            "length",
        ) from None
    except stdnum_exceptions.InvalidFormat:
        wrong = "".join(dict.fromkeys(ch for ch in number if not ch.isdigit() or not ch.isascii()))
        raise _fail(
            _("NIK hanya berisi angka 0–9; yang Anda tulis memuat “%(chars)s”. Hapus huruf atau tanda itu (huruf O bukan angka 0).")
            % {"chars": wrong},
            "not_digits",
        ) from None
    except stdnum_exceptions.ValidationError:
        pass  # stdnum's place and date checks are coarser than ours, which follow and explain

    prefix = number[:6]
    code = f"{prefix[:2]}.{prefix[2:4]}.{prefix[4:6]}"
    district = regions.district_for_nik_prefix(prefix)
    if district is None:
        raise _fail(
            _(
                "Enam angka pertama NIK (%(prefix)s) adalah kode kecamatan %(code)s, yang tidak ada dalam daftar "
                "wilayah Kemendagri. %(hint)s"
            )
            % {"prefix": prefix, "code": code, "hint": CHECK_KTP},
            "district",
        )

    dd, mm, yy = int(number[6:8]), int(number[8:10]), int(number[10:12])
    is_female = dd > FEMALE_DAY_OFFSET
    day = dd - FEMALE_DAY_OFFSET if is_female else dd
    date_digits = number[6:12]
    dates = _candidate_dates(day, mm, yy) if 1 <= day <= 31 and 1 <= mm <= 12 else ()
    if not dates:
        if not 1 <= mm <= 12:
            detail = _("bulan %(month)s tidak ada (harus 01 sampai 12)") % {"month": number[8:10]}
        elif not (1 <= dd <= 31 or 41 <= dd <= 71):
            detail = _("tanggal %(day)s tidak mungkin (01–31, atau 41–71 untuk perempuan)") % {"day": number[6:8]}
        else:
            detail = _("tanggal %(day)s tidak ada pada bulan %(month)s") % {"day": f"{day:02d}", "month": number[8:10]}
        raise _fail(
            _(
                "Angka ke-7 sampai ke-12 NIK (%(digits)s) adalah tanggal lahir (TTBBTT, tanggal ditambah 40 untuk "
                "perempuan), tetapi %(detail)s. %(hint)s"
            )
            % {"digits": date_digits, "detail": detail, "hint": CHECK_KTP},
            "birth_date",
        )
    dates = tuple(d for d in dates if d <= today)
    if not dates:
        raise _fail(
            _("Tanggal lahir dalam NIK (%(digits)s) jatuh di masa depan. %(hint)s") % {"digits": date_digits, "hint": CHECK_KTP},
            "birth_date_future",
        )
    if number[12:] == "0000":
        raise _fail(
            _("Empat angka terakhir NIK adalah nomor urut dan tidak pernah 0000. %(hint)s") % {"hint": CHECK_KTP},
            "serial",
        )
    return NikInfo(number=number, district=district, birth_dates=dates, is_female=is_female)


def birth_date_check(birth_date: datetime.date, *, today: datetime.date | None = None) -> None:
    """Refuse a birth date that cannot be a living person's."""
    today = today or timezone.localdate()
    if birth_date > today:
        raise _fail(_("Tanggal lahir tidak boleh di masa depan. Tulis tanggal lahir seperti di KTP."), "future")
    if birth_date.year < 1900:
        raise _fail(_("Tahun lahir harus 1900 atau sesudahnya. Tulis tanggal lahir seperti di KTP."), "too_old")


def nik_validate(raw: str, *, birth_date: datetime.date | None = None, today: datetime.date | None = None) -> str:
    """The NIK in its 16-digit form, checked and, when `birth_date` is given, matched against it."""
    info = nik_parse(raw, today=today)
    if birth_date is not None and birth_date not in info.birth_dates:
        encoded = info.birth_dates[-1]
        raise _fail(
            _(
                "Tanggal lahir dalam NIK (%(digits)s, yaitu %(nik_date)s) tidak sama dengan tanggal lahir yang Anda "
                "isi (%(entered)s). Periksa keduanya di KTP Anda."
            )
            % {
                "digits": info.number[6:12],
                "nik_date": formats.date_format(encoded, "j F") + f" ’{info.number[10:12]}",
                "entered": formats.date_format(birth_date, "j F Y"),
            },
            "birth_date_mismatch",
        )
    return info.number
