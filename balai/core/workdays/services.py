"""Writes on the working-day calendar: a tenant's local days off, extra cuti bersama and kept working days."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from balai.core.tenants.models import Tenant

from .calendar import WorkCalendar, holidays_language, national_days
from .models import DayOff
from .selectors import forget_year

NAME_MAX_LENGTH = 120


def _long_date(day: date) -> str:
    return formats.date_format(day, "l, j F Y")


def editable_years(*, tenant: Tenant) -> range:
    """Years whose calendar the administrator may change: last year (late corrections), this year and
    next year (cuti bersama are decreed months ahead). Older years stay as the clocks counted them."""
    this_year = WorkCalendar(timezone=tenant.timezone).today().year
    return range(this_year - 1, this_year + 2)


def _check_year(*, tenant: Tenant, day: date) -> None:
    years = editable_years(tenant=tenant)
    if day.year not in years:
        raise ValidationError(
            {
                "date": _(
                    "Tanggal %(date)s di luar rentang yang dapat diubah. Pilih tanggal dari tahun %(first)s sampai %(last)s."
                )
                % {"date": formats.date_format(day, "j F Y"), "first": years[0], "last": years[-1]}
            }
        )


@transaction.atomic
def day_off_add(*, tenant: Tenant, date: date, kind: str, name: str, actor) -> DayOff:
    """Record one change to the tenant's calendar and return it.

    Guarantees: at most one change per tenant and date; a day off (libur daerah, cuti bersama tambahan)
    only on a weekday that is a working day nationally; "tetap hari kerja" only on a weekday that is a
    national holiday or cuti bersama; the date lies in `editable_years`; a name or reason is given. Every
    calendar of the tenant sees the change once the transaction commits. Otherwise ValidationError, keyed
    by field, and nothing is saved.
    """
    name = (name or "").strip()
    if kind not in DayOff.Kind.values:
        raise ValidationError(
            {"kind": _("Pilih jenis perubahan: libur daerah, cuti bersama tambahan, atau tetap hari kerja.")}
        )
    if not name:
        raise ValidationError(
            {
                "name": _(
                    "Tulis nama hari libur atau alasan perubahannya, misalnya “Hari Jadi Kota”."
                )
            }
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("Nama terlalu panjang. Persingkat sampai paling banyak 120 karakter.")}
        )
    _check_year(tenant=tenant, day=date)

    existing = DayOff.objects.filter(tenant=tenant, date=date).first()
    if existing is not None:
        raise ValidationError(
            {
                "date": _(
                    "Tanggal %(date)s sudah tercatat sebagai “%(name)s”. Hapus catatan itu dulu bila ingin menggantinya."
                )
                % {"date": formats.date_format(date, "j F Y"), "name": existing.name}
            }
        )
    national = national_days(date.year, holidays_language(translation.get_language())).get(date)
    if date.weekday() >= 5:
        if kind == DayOff.Kind.WORKING:
            message = _(
                "%(date)s jatuh pada akhir pekan dan tidak dapat dijadikan hari kerja. Pilih hari Senin sampai Jumat."
            )
        else:
            message = _(
                "%(date)s jatuh pada akhir pekan, jadi sudah bukan hari kerja. Pilih hari Senin sampai Jumat."
            )
        raise ValidationError({"date": message % {"date": _long_date(date)}})
    if kind == DayOff.Kind.WORKING and national is None:
        raise ValidationError(
            {
                "date": _(
                    "%(date)s bukan libur nasional atau cuti bersama, jadi sudah hari kerja. Pilih tanggal libur yang ingin dijadikan hari kerja."
                )
                % {"date": _long_date(date)}
            }
        )
    if kind != DayOff.Kind.WORKING and national is not None:
        raise ValidationError(
            {
                "date": _(
                    "%(date)s sudah libur nasional (%(name)s). Pilih tanggal lain atau biarkan apa adanya."
                )
                % {"date": _long_date(date), "name": national[1]}
            }
        )

    try:
        with transaction.atomic():
            day_off = DayOff.objects.create(tenant=tenant, date=date, kind=kind, name=name, created_by=actor)
    except IntegrityError:
        # Another administrator recorded the same date a moment ago.
        raise ValidationError(
            {
                "date": _(
                    "Tanggal %(date)s baru saja dicatat oleh orang lain. Muat ulang halaman untuk melihatnya."
                )
                % {"date": formats.date_format(date, "j F Y")}
            }
        ) from None
    transaction.on_commit(lambda: forget_year(tenant_id=tenant.pk, year=date.year))
    return day_off


@transaction.atomic
def day_off_remove(*, tenant: Tenant, day_off: DayOff, actor) -> None:
    """Remove one change from the tenant's calendar; the national calendar applies to that date again.

    Guarantees: only the tenant's own change, only within `editable_years`; every calendar of the tenant
    sees the removal once the transaction commits. Otherwise ValidationError and nothing changes.
    """
    if day_off.tenant_id != tenant.pk:
        raise ValueError("A day off can only be removed through its own tenant.")
    _check_year(tenant=tenant, day=day_off.date)
    DayOff.objects.filter(tenant=tenant, pk=day_off.pk).delete()
    year = day_off.date.year
    transaction.on_commit(lambda: forget_year(tenant_id=tenant.pk, year=year))
