"""Writes of the appointments app: publish and change capacity, book, reschedule, cancel, record attendance,
register and verify powers of attorney. Every decision is audited; refusals that matter are audited too.

Locks are always taken in the same order, so that concurrent services cannot deadlock: the booking row,
then the agent's user row, then slot counters by primary key, then (last, inside `audit_record`) the
tenant's audit chain head.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats
from django.utils.translation import gettext as _

from balai.core.accounts.models import User
from balai.core.accounts.nik import nik_validate
from balai.core.accounts.selectors import user_has_perm
from balai.core.audit.services import audit_record, audit_refusal_soon
from balai.core.ratelimit import client_ip
from balai.core.tenants.models import Tenant
from balai.core.tenants.selectors import tenant_module_settings
from balai.core.workdays.selectors import calendar_for
from balai.permits.models import Application, PermitType

from . import clock, fingerprints
from .models import Booking, CapacityChange, PowerOfAttorney, ServiceDay, SlotCounter

FRONTDESK_PERM = "permits.counter"
ADMIN_PERM = "tenants.manage"
MAX_WINDOWS = 24
MAX_WINDOW_CAPACITY = 1000
MIN_REASON_LENGTH = 10
POA_MAX_DAYS = 366
POA_PURPOSE = "permits.appointments.power_of_attorney"
# Booking attempts (creating or rescheduling) allowed per key and period: (attempts, seconds).
# A household or an office shares one network, hence its larger allowance.
RATE_LIMITS = {"account": (10, 3600), "device": (20, 3600), "network": (60, 3600)}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class AppointmentRefused(ValidationError):
    """A refusal with a message for the person (what is wrong and what to do) and a stable `code`."""

    def __init__(self, message, code: str, *, audit: dict | None = None):
        super().__init__(message, code=code)
        self.audit = audit


@dataclass(frozen=True)
class Window:
    start: dt.time
    end: dt.time
    capacity: int

    def as_json(self) -> dict:
        return {"start": self.start.strftime("%H:%M"), "end": self.end.strftime("%H:%M"), "capacity": self.capacity}


# --- helpers -----------------------------------------------------------------------------------------




def _keeps_refusals(fn):
    """Run `fn` atomically; a refusal carrying an audit entry is recorded after the rollback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                return fn(*args, **kwargs)
        except AppointmentRefused as refused:
            if refused.audit is not None:
                entry, refused.audit = refused.audit, None
                audit_refusal_soon(**entry)
            raise

    return wrapper


def _same_tenant(tenant: Tenant, *objects) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "tenant_id", tenant.pk) != tenant.pk:
            raise ValueError("Objects from another tenant cannot be combined.")


def _parse_time(value) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    text = str(value).strip().replace(".", ":")
    hours, _sep, minutes = text.partition(":")
    try:
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise AppointmentRefused(
            _("Jam %(value)s tidak dikenali. Tulis jam seperti 08:00.") % {"value": text}, "time"
        ) from None


def windows_parse(windows: Iterable) -> list[Window]:
    """Normalise windows given as dicts {start, end, capacity}, tuples or `Window`; sorted by start.

    Refuses an empty list, too many windows, a window that ends before it starts, overlapping windows
    and a capacity outside 0..MAX_WINDOW_CAPACITY.
    """
    found: list[Window] = []
    for item in windows:
        if isinstance(item, Window):
            window = item
        else:
            start, end, capacity = (
                (item.get("start"), item.get("end"), item.get("capacity")) if isinstance(item, dict) else item
            )
            try:
                capacity = int(capacity)
            except (TypeError, ValueError):
                raise AppointmentRefused(_("Kapasitas sesi harus berupa angka bulat, misalnya 10."), "capacity") from None
            window = Window(_parse_time(start), _parse_time(end), capacity)
        if window.end <= window.start:
            raise AppointmentRefused(
                _("Sesi %(start)s harus selesai setelah jam mulainya. Periksa jam selesai.")
                % {"start": window.start.strftime("%H:%M")},
                "window_order",
            )
        if not 0 <= window.capacity <= MAX_WINDOW_CAPACITY:
            raise AppointmentRefused(
                _("Kapasitas sesi harus antara 0 dan %(max)s orang.") % {"max": MAX_WINDOW_CAPACITY}, "capacity"
            )
        found.append(window)
    if not found:
        raise AppointmentRefused(_("Tuliskan paling sedikit satu sesi, misalnya 08:00-09:00 10."), "no_windows")
    if len(found) > MAX_WINDOWS:
        raise AppointmentRefused(_("Paling banyak %(max)s sesi per hari.") % {"max": MAX_WINDOWS}, "too_many_windows")
    found.sort(key=lambda w: w.start)
    for earlier, later in zip(found, found[1:], strict=False):
        if later.start < earlier.end:
            raise AppointmentRefused(
                _("Sesi %(a)s dan %(b)s bertumpang tindih. Atur agar satu sesi selesai sebelum sesi berikutnya mulai.")
                % {"a": earlier.start.strftime("%H:%M"), "b": later.start.strftime("%H:%M")},
                "overlap",
            )
    return found


def _local(tenant: Tenant, moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(calendar_for(tenant).zone)


def _format_moment(tenant: Tenant, moment: dt.datetime) -> str:
    return formats.date_format(_local(tenant, moment), "j F Y H.i")


def default_release_at(*, tenant: Tenant, day: dt.date, days_before: int = 7, at: dt.time = dt.time(7, 0)) -> dt.datetime:
    """When booking opens for `day` by default: `days_before` calendar days earlier at `at`, tenant time."""
    zone = calendar_for(tenant).zone
    return dt.datetime.combine(day - dt.timedelta(days=days_before), at, tzinfo=zone)


def _windows_of(service_day: ServiceDay, slots: Sequence[SlotCounter]) -> dict:
    return {
        "release_at": service_day.release_at.isoformat(),
        "windows": [Window(s.starts_at, s.ends_at, s.capacity).as_json() for s in slots],
    }


def _settings(tenant: Tenant) -> dict:
    return tenant_module_settings(tenant=tenant, module="permits")


def _validated_nik(raw: str) -> str:
    try:
        return nik_validate(raw)
    except ValidationError as exc:
        raise AppointmentRefused(exc.messages[0], "nik") from None


def _new_code() -> str:
    return "JT-" + "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))


# --- rate limits -------------------------------------------------------------------------------------


def _hit(key: str, seconds: int) -> int:
    bucket = int(clock.now().timestamp() // seconds)
    full_key = f"appt:rate:{key}:{bucket}"
    cache.add(full_key, 0, seconds + 60)
    try:
        return cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, seconds + 60)
        return 1


def _rate_limit(*, tenant: Tenant, booker, network: str, device: str) -> None:
    """Count one booking attempt against the booker's account, device and network; refuse beyond the limits."""
    keys = {"account": str(booker.pk), "device": device, "network": network}
    for kind, value in keys.items():
        if not value:
            continue
        limit, seconds = RATE_LIMITS[kind]
        if _hit(f"{tenant.pk}:{kind}:{value}", seconds) > limit:
            audit_refusal_soon(
                **dict(
                    tenant=tenant, actor=booker, action="permits.appointments.booking_refused",
                    data={"reason": f"rate_limited_{kind}", "network": network},
                )
            )
            raise AppointmentRefused(
                _(
                    "Terlalu banyak percobaan pemesanan dalam waktu singkat. Tunggu sekitar %(minutes)s menit, "
                    "lalu coba lagi."
                )
                % {"minutes": max(seconds // 60, 1)},
                "rate_limited",
            )


def _request_marks(request) -> tuple[str, str]:
    if request is None:
        return "", ""
    return fingerprints.network_of(client_ip(request)), fingerprints.device_hash(request)


# --- capacity ----------------------------------------------------------------------------------------


def _check_bookable_day(tenant: Tenant, day: dt.date, *, today: dt.date) -> None:
    calendar = calendar_for(tenant)
    if day < today:
        raise AppointmentRefused(_("Tanggal %(day)s sudah lewat. Pilih tanggal yang akan datang.")
                                 % {"day": formats.date_format(day, "j F Y")}, "past")
    if not calendar.is_working_day(day):
        name = calendar.holiday_name(day)
        raise AppointmentRefused(
            _("%(day)s bukan hari kerja%(why)s. Pilih hari kerja lain.")
            % {"day": formats.date_format(day, "l, j F Y"), "why": f" ({name})" if name else ""},
            "not_working_day",
        )


@transaction.atomic
def capacity_publish(
    *,
    tenant: Tenant,
    permit_type: PermitType,
    day: dt.date,
    windows: Iterable,
    release_at: dt.datetime | None = None,
    actor,
) -> ServiceDay:
    """Publish the capacity of a service (a permit type that needs an appointment) for one working day.

    Guarantees: the day is a future working day of the tenant's calendar; windows do not overlap; booking
    opens at `release_at` (default: 7 days before at 07:00 tenant time), which is before the first window
    starts; a day is published once (later edits go through `capacity_change`); the publication is a public
    `CapacityChange` and is audited.
    """
    _same_tenant(tenant, permit_type)
    if not permit_type.needs_appointment:
        raise AppointmentRefused(
            _("Layanan %(name)s tidak memakai janji temu. Aktifkan \"perlu janji temu\" di katalog lebih dulu.")
            % {"name": permit_type.name},
            "no_appointments",
        )
    parsed = windows_parse(windows)
    calendar = calendar_for(tenant)
    _check_bookable_day(tenant, day, today=calendar.local_date(clock.now()))
    release_at = release_at or default_release_at(tenant=tenant, day=day)
    first_start = dt.datetime.combine(day, parsed[0].start, tzinfo=calendar.zone)
    if release_at >= first_start:
        raise AppointmentRefused(
            _("Waktu pembukaan pemesanan harus sebelum sesi pertama (%(start)s).") % {"start": _format_moment(tenant, first_start)},
            "release_after_start",
        )
    if ServiceDay.objects.filter(tenant=tenant, permit_type=permit_type, day=day).exists():
        raise AppointmentRefused(
            _("Kuota %(day)s sudah diterbitkan. Ubah kuota hari itu dengan menyebutkan alasannya.")
            % {"day": formats.date_format(day, "j F Y")},
            "already_published",
        )
    now = clock.now()
    service_day = ServiceDay.objects.create(
        tenant=tenant, permit_type=permit_type, day=day, release_at=release_at, created_by=actor,
        created_at=now, updated_at=now,
    )
    slots = SlotCounter.objects.bulk_create(
        [
            SlotCounter(
                tenant=tenant, service_day=service_day, permit_type=permit_type, day=day,
                starts_at=w.start, ends_at=w.end, capacity=w.capacity,
            )
            for w in parsed
        ]
    )
    after = _windows_of(service_day, slots)
    change = CapacityChange.objects.create(
        tenant=tenant, service_day=service_day, permit_type=permit_type, day=day, kind=CapacityChange.Kind.PUBLISH,
        actor=actor, created_at=now, after=after, total_after=sum(w.capacity for w in parsed),
        after_release=False, reduced=False,
    )
    audit_record(
        tenant=tenant, actor=actor, action="permits.appointments.capacity_publish", obj=service_day,
        data={"permit_type": permit_type.code, "day": day.isoformat(), "total": change.total_after},
        after=after,
    )
    return service_day


def capacity_publish_days(
    *,
    tenant: Tenant,
    permit_type: PermitType,
    first: dt.date,
    last: dt.date,
    windows: Iterable,
    release_days_before: int = 7,
    release_time: dt.time = dt.time(7, 0),
    actor,
) -> list[ServiceDay]:
    """Publish the same windows on every working day from `first` to `last` not yet published.

    Each day is its own `capacity_publish` (all or nothing per call: one refusal publishes nothing)."""
    parsed = windows_parse(windows)
    if last < first:
        raise AppointmentRefused(_("Tanggal akhir harus sama dengan atau sesudah tanggal awal."), "range")
    if (last - first).days > 92:
        raise AppointmentRefused(_("Terbitkan kuota paling banyak untuk tiga bulan sekaligus."), "range")
    calendar = calendar_for(tenant)
    taken = set(ServiceDay.objects.filter(tenant=tenant, permit_type=permit_type, day__range=(first, last)).values_list("day", flat=True))
    days = [d for d in calendar.working_dates(first, last) if d not in taken]
    published = []
    with transaction.atomic():
        for day in days:
            release_at = default_release_at(tenant=tenant, day=day, days_before=release_days_before, at=release_time)
            published.append(
                capacity_publish(
                    tenant=tenant, permit_type=permit_type, day=day, windows=parsed, release_at=release_at, actor=actor
                )
            )
    return published


@transaction.atomic
def capacity_change(
    *,
    tenant: Tenant,
    service_day: ServiceDay,
    windows: Iterable,
    reason: str = "",
    release_at: dt.datetime | None = None,
    actor,
) -> CapacityChange:
    """Change a published day's windows (and, before release, its release time).

    Guarantees: after release a reason of at least MIN_REASON_LENGTH characters is required and the
    release time can no longer move; no window drops below the places already booked, and a window with
    active bookings keeps its times; a removed window that has any booking history stays with capacity 0;
    the change (before → after, reason, whether it reduced capacity after release) is a public
    `CapacityChange` row and an audit entry. Counters are locked, so no booking slips in between.
    """
    _same_tenant(tenant, service_day)
    now = clock.now()
    service_day = ServiceDay.objects.select_for_update().get(tenant=tenant, pk=service_day.pk)
    slots = list(SlotCounter.objects.select_for_update().filter(tenant=tenant, service_day=service_day).order_by("pk"))
    slots.sort(key=lambda s: s.starts_at)
    parsed = windows_parse(windows)
    released = service_day.is_released(now)
    reason = (reason or "").strip()
    if released and len(reason) < MIN_REASON_LENGTH:
        raise AppointmentRefused(
            _(
                "Pemesanan hari ini sudah dibuka, jadi perubahan kuota harus disertai alasan (paling sedikit "
                "%(min)s huruf). Alasan ini ditampilkan kepada publik."
            )
            % {"min": MIN_REASON_LENGTH},
            "reason_required",
        )
    if release_at is not None and release_at != service_day.release_at:
        if released:
            raise AppointmentRefused(_("Pemesanan sudah dibuka; waktu pembukaannya tidak dapat diubah lagi."), "release_moved")
    before = _windows_of(service_day, slots)
    total_before = sum(s.capacity for s in slots)
    existing = {s.starts_at: s for s in slots}
    wanted = {w.start: w for w in parsed}
    reduced = False
    changed = release_at is not None and release_at != service_day.release_at
    for start, slot in existing.items():
        window = wanted.get(start)
        if window is None:
            if slot.booked:
                raise AppointmentRefused(
                    _("Sesi %(label)s sudah dipesan %(n)s orang dan tidak dapat dihapus. Kurangi kapasitasnya paling "
                      "rendah menjadi %(n)s, atau jadwalkan ulang pemesannya lebih dulu.")
                    % {"label": slot.label, "n": slot.booked},
                    "below_booked",
                )
            if slot.capacity:
                reduced = True
                changed = True
            if Booking.objects.filter(tenant=tenant, slot=slot).exists():
                slot.capacity = 0
                slot.save(update_fields=["capacity"])
            else:
                slot.delete()
            continue
        if window.capacity < slot.booked:
            raise AppointmentRefused(
                _("Sesi %(label)s sudah dipesan %(n)s orang; kapasitasnya tidak dapat kurang dari %(n)s.")
                % {"label": slot.label, "n": slot.booked},
                "below_booked",
            )
        if window.end != slot.ends_at and slot.booked:
            raise AppointmentRefused(
                _("Jam sesi %(label)s tidak dapat diubah karena sudah ada pemesan.") % {"label": slot.label}, "times_locked"
            )
        if window.capacity < slot.capacity:
            reduced = True
        if (window.capacity, window.end) != (slot.capacity, slot.ends_at):
            changed = True
            slot.capacity, slot.ends_at = window.capacity, window.end
            slot.save(update_fields=["capacity", "ends_at"])
    new_slots = [
        SlotCounter(
            tenant=tenant, service_day=service_day, permit_type_id=service_day.permit_type_id, day=service_day.day,
            starts_at=w.start, ends_at=w.end, capacity=w.capacity,
        )
        for start, w in wanted.items()
        if start not in existing
    ]
    if new_slots:
        changed = True
        SlotCounter.objects.bulk_create(new_slots)
    if not changed:
        raise AppointmentRefused(_("Tidak ada yang berubah. Ubah kapasitas atau jam sesi, lalu simpan."), "unchanged")
    current = list(SlotCounter.objects.filter(tenant=tenant, service_day=service_day).order_by("starts_at"))
    overlaps = [a for a, b in zip(current, current[1:], strict=False) if b.starts_at < a.ends_at]
    if overlaps:
        raise AppointmentRefused(
            _("Sesi %(label)s bertumpang tindih dengan sesi berikutnya. Atur ulang jamnya.") % {"label": overlaps[0].label},
            "overlap",
        )
    if release_at is not None:
        service_day.release_at = release_at
    service_day.updated_at = now
    service_day.save(update_fields=["release_at", "updated_at"])
    after = _windows_of(service_day, current)
    change = CapacityChange.objects.create(
        tenant=tenant, service_day=service_day, permit_type_id=service_day.permit_type_id, day=service_day.day,
        kind=CapacityChange.Kind.CHANGE, actor=actor, created_at=now, before=before, after=after,
        total_before=total_before, total_after=sum(s.capacity for s in current),
        reason=reason, after_release=released, reduced=reduced,
    )
    audit_record(
        tenant=tenant, actor=actor, action="permits.appointments.capacity_change", obj=service_day,
        before=before, after=after,
        data={"reason": reason[:500], "after_release": released, "reduced": reduced, "change": change.pk},
    )
    return change


# --- bookings ----------------------------------------------------------------------------------------


def _resolve_slot(*, tenant: Tenant, permit_type: PermitType, day: dt.date, window) -> SlotCounter:
    if isinstance(window, SlotCounter):
        slot = window
        _same_tenant(tenant, slot)
    else:
        slot = (
            SlotCounter.objects.filter(tenant=tenant, permit_type=permit_type, day=day, starts_at=_parse_time(window))
            .select_related("service_day")
            .first()
        )
    if slot is None or slot.permit_type_id != permit_type.pk or slot.day != day or slot.capacity == 0:
        raise AppointmentRefused(_("Sesi itu tidak tersedia. Pilih sesi lain dari daftar."), "no_such_window")
    return slot


def _check_slot_open(tenant: Tenant, slot: SlotCounter, now: dt.datetime) -> None:
    calendar = calendar_for(tenant)
    local_now = now.astimezone(calendar.zone)
    _check_bookable_day(tenant, slot.day, today=local_now.date())
    if slot.day == local_now.date() and slot.starts_at <= local_now.time():
        raise AppointmentRefused(_("Sesi %(label)s hari ini sudah dimulai. Pilih sesi lain.") % {"label": slot.label}, "past")
    service_day = ServiceDay.objects.get(tenant=tenant, pk=slot.service_day_id)
    if not service_day.is_released(now):
        raise AppointmentRefused(
            _("Pemesanan untuk %(day)s baru dibuka %(at)s. Kembali lagi pada waktu itu.")
            % {"day": formats.date_format(slot.day, "j F Y"), "at": _format_moment(tenant, service_day.release_at)},
            "not_released",
        )


def _full(slot: SlotCounter) -> AppointmentRefused:
    return AppointmentRefused(
        _("Sesi %(label)s pada %(day)s sudah penuh. Pilih sesi atau tanggal lain.")
        % {"label": slot.label, "day": formats.date_format(slot.day, "j F Y")},
        "full",
    )


def _take_place(slot: SlotCounter) -> None:
    """Take one place: a conditional UPDATE, race-free under concurrency (the row lock serialises writers
    and the condition is re-checked on the latest row version)."""
    taken = SlotCounter.objects.filter(pk=slot.pk, tenant_id=slot.tenant_id, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    )
    if taken != 1:
        raise _full(slot)


def _free_place(slot_id: int, tenant_id: int) -> None:
    SlotCounter.objects.filter(pk=slot_id, tenant_id=tenant_id, booked__gt=0).update(booked=F("booked") - 1)


def _agent_cap_check(*, tenant: Tenant, agent, day: dt.date, exclude_booking: int | None = None) -> None:
    # Lock the agent's account row: two of the agent's bookings at once cannot both pass the cap.
    User.objects.select_for_update().filter(pk=agent.pk).first()
    cap = int(_settings(tenant)["agent_booking_cap"])
    rows = Booking.objects.filter(tenant=tenant, agent=agent, day=day).exclude(status=Booking.Status.CANCELLED)
    if exclude_booking:
        rows = rows.exclude(pk=exclude_booking)
    if rows.count() >= cap:
        raise AppointmentRefused(
            _("Sebagai penerima kuasa Anda sudah memesan %(cap)s janji temu pada %(day)s, batas per hari. "
              "Pilih tanggal lain.")
            % {"cap": cap, "day": formats.date_format(day, "j F Y")},
            "agent_cap",
            audit=dict(
                tenant=tenant, actor=agent, action="permits.appointments.booking_refused",
                data={"reason": "agent_cap", "day": day.isoformat(), "cap": cap},
            ),
        )


def _power_of_attorney(*, tenant: Tenant, agent, nik_digest: str, permit_type: PermitType, day: dt.date):
    for poa in PowerOfAttorney.objects.filter(
        tenant=tenant, agent=agent, applicant_nik_hash=nik_digest, status=PowerOfAttorney.Status.VERIFIED
    ).order_by("-valid_until"):
        if poa.covers(permit_type_id=permit_type.pk, on=day):
            return poa
    return None


def _duplicate(permit_type: PermitType) -> AppointmentRefused:
    return AppointmentRefused(
        _("NIK ini sudah memiliki janji temu aktif untuk layanan %(name)s. Satu NIK hanya boleh memiliki satu "
          "janji temu aktif per layanan; jadwalkan ulang atau batalkan yang ada.")
        % {"name": permit_type.name},
        "duplicate",
    )


def booking_create(
    *,
    tenant: Tenant,
    permit_type: PermitType,
    day: dt.date,
    window,
    booker,
    applicant_nik: str,
    application: Application | None = None,
    contact_phone: str = "",
    actor,
    request=None,
) -> Booking:
    """Book one place in a window (`SlotCounter`, or its start time) of a service day for the holder of a NIK.

    Guarantees: booking is open (released, not past, a working day); the place exists (never more active
    bookings in a window than its capacity, even under concurrent requests); the NIK has no other active
    booking for this service (checked here and by a partial unique constraint); a booker whose own NIK is
    not `applicant_nik` is an agent and needs a verified power of attorney for that NIK and service, and
    stays within the tenant's `agent_booking_cap` bookings per day; attempts are rate-limited per account,
    device and network. Audited; refusals of agents and rate limits are audited too. Raises
    `AppointmentRefused` (code: full, duplicate, not_released, past, not_working_day, no_power_of_attorney,
    agent_cap, rate_limited, nik, no_such_window, application, application_closed, file_duplicate).

    With `application`, the booking is for that file: the file is of this service, submitted and not yet
    decided, its NIK is `applicant_nik`, and it has no other active booking (also a partial unique
    constraint); the front desk and the verify guard then see the attendance on the file.
    """
    _same_tenant(tenant, permit_type, application)
    network, device = _request_marks(request)
    _rate_limit(tenant=tenant, booker=booker, network=network, device=device)
    nik = _validated_nik(applicant_nik)
    digest = fingerprints.nik_hash(nik)
    applicant_user = User.objects.filter(nik=nik).first()
    if application is not None:
        _check_file(application, permit_type=permit_type, nik=nik)
        applicant_user = application.applicant
    poa = None
    if booker.nik != nik:
        poa = _power_of_attorney(tenant=tenant, agent=booker, nik_digest=digest, permit_type=permit_type, day=day)
        if poa is None:
            audit_refusal_soon(
                **dict(
                    tenant=tenant, actor=booker, action="permits.appointments.booking_refused",
                    data={"reason": "no_power_of_attorney", "permit_type": permit_type.code, "nik": fingerprints.nik_masked(nik)},
                )
            )
            raise AppointmentRefused(
                _("NIK %(nik)s bukan NIK akun Anda. Untuk memesan bagi orang lain Anda memerlukan surat kuasa dari "
                  "orang itu yang sudah diverifikasi petugas loket. Jika itu NIK Anda, lengkapi NIK di profil akun.")
                % {"nik": fingerprints.nik_masked(nik)},
                "no_power_of_attorney",
            )
    try:
        return _booking_insert(
            tenant=tenant, permit_type=permit_type, day=day, window=window, booker=booker, nik=nik, digest=digest,
            applicant_user=applicant_user, poa=poa, application=application, contact_phone=contact_phone,
            network=network, device=device, actor=actor,
        )
    except IntegrityError:
        if Booking.objects.filter(
            tenant=tenant, permit_type=permit_type, applicant_nik_hash=digest, status=Booking.Status.ACTIVE
        ).exists():
            raise _duplicate(permit_type) from None
        if application is not None and Booking.objects.filter(
            tenant=tenant, application=application, status=Booking.Status.ACTIVE
        ).exists():
            raise _file_duplicate(application) from None
        raise


def _check_file(application: Application, *, permit_type: PermitType, nik: str) -> None:
    """A booking for a file: the file is of this service, submitted and undecided, and the NIK is its
    applicant's (so only the applicant, or an agent holding the applicant's letter, books for it)."""
    from .selectors_file import file_is_open

    owner_nik = application.applicant_nik or application.applicant.nik or ""
    if application.permit_type_id != permit_type.pk or owner_nik != nik:
        raise AppointmentRefused(
            _("Berkas %(number)s bukan berkas layanan ini atas NIK tersebut. Pesan dari halaman berkas Anda sendiri.")
            % {"number": application.registration_number or application.pk},
            "application",
        )
    if not application.registration_number or not file_is_open(application):
        raise AppointmentRefused(
            _("Berkas %(number)s belum diajukan atau sudah selesai diproses, jadi tidak memerlukan janji temu lagi.")
            % {"number": application.registration_number or application.pk},
            "application_closed",
        )


def _file_duplicate(application: Application) -> AppointmentRefused:
    return AppointmentRefused(
        _("Berkas %(number)s sudah memiliki janji temu aktif. Satu berkas hanya memiliki satu janji temu aktif; "
          "jadwalkan ulang atau batalkan yang ada di «Janji temu saya».")
        % {"number": application.registration_number},
        "file_duplicate",
    )


@_keeps_refusals
def _booking_insert(
    *, tenant, permit_type, day, window, booker, nik, digest, applicant_user, poa, application, contact_phone,
    network, device, actor,
) -> Booking:
    now = clock.now()
    slot = _resolve_slot(tenant=tenant, permit_type=permit_type, day=day, window=window)
    _check_slot_open(tenant, slot, now)
    if Booking.objects.filter(
        tenant=tenant, permit_type=permit_type, applicant_nik_hash=digest, status=Booking.Status.ACTIVE
    ).exists():
        raise _duplicate(permit_type)
    if application is not None and Booking.objects.filter(
        tenant=tenant, application=application, status=Booking.Status.ACTIVE
    ).exists():
        raise _file_duplicate(application)
    if poa is not None:
        _agent_cap_check(tenant=tenant, agent=booker, day=day)
    _take_place(slot)
    booking = Booking.objects.create(
        tenant=tenant, code=_new_code(), permit_type=permit_type, slot=slot, day=slot.day, booker=booker,
        applicant_user=applicant_user, applicant_nik_hash=digest, applicant_nik_masked=fingerprints.nik_masked(nik),
        agent=booker if poa is not None else None, power_of_attorney=poa, application=application,
        contact_phone=(contact_phone or "").strip()[:20], network=network, device_hash=device,
        created_at=now, updated_at=now,
    )
    audit_record(
        tenant=tenant, actor=actor, action="permits.appointments.booking_create", obj=booking,
        data={
            "permit_type": permit_type.code, "day": slot.day.isoformat(), "window": slot.label,
            "nik": booking.applicant_nik_masked, "agent": bool(poa), "network": network,
            "application": application.registration_number if application is not None else None,
        },
    )
    return booking


def _may_manage(booking: Booking, actor) -> bool:
    return actor is not None and actor.pk in (booking.booker_id, booking.applicant_user_id)


def _locked_booking(tenant: Tenant, booking: Booking) -> Booking:
    _same_tenant(tenant, booking)
    return Booking.objects.select_for_update().get(tenant=tenant, pk=booking.pk)


def _not_active(booking: Booking) -> AppointmentRefused:
    return AppointmentRefused(
        _("Janji temu %(code)s sudah %(status)s dan tidak dapat diubah.")
        % {"code": booking.code, "status": booking.get_status_display().lower()},
        "not_active",
    )


def booking_reschedule(*, tenant: Tenant, booking: Booking, window: SlotCounter, actor, request=None) -> Booking:
    """Move an active booking to another window of the same service, keeping its code.

    Guarantees: only the booker or the applicant may; at most the tenant's `reschedules_allowed` times;
    the new window is open and has a place; the old place is freed and the new one taken in one
    transaction (counters locked in primary-key order); an agent's booking moved to another day stays
    within the agent cap. Rate-limited like booking. Audited.
    """
    _same_tenant(tenant, window)
    network, device = _request_marks(request)
    _rate_limit(tenant=tenant, booker=actor, network=network, device=device)
    return _booking_move(tenant=tenant, booking=booking, window=window, actor=actor)


@_keeps_refusals
def _booking_move(*, tenant: Tenant, booking: Booking, window: SlotCounter, actor) -> Booking:
    now = clock.now()
    booking = _locked_booking(tenant, booking)
    if not _may_manage(booking, actor):
        raise AppointmentRefused(_("Hanya pemesan atau pemohon yang dapat menjadwalkan ulang janji temu ini."), "forbidden")
    if not booking.is_active:
        raise _not_active(booking)
    allowed = int(_settings(tenant)["reschedules_allowed"])
    if booking.reschedule_count >= allowed:
        raise AppointmentRefused(
            _("Janji temu ini sudah dijadwalkan ulang %(n)s kali, batas yang berlaku. Batalkan lalu pesan baru bila "
              "masih ada kuota.")
            % {"n": booking.reschedule_count},
            "reschedule_limit",
            audit=dict(
                tenant=tenant, actor=actor, action="permits.appointments.booking_refused", obj=booking,
                data={"reason": "reschedule_limit", "allowed": allowed},
            ),
        )
    if window.permit_type_id != booking.permit_type_id or window.capacity == 0:
        raise AppointmentRefused(_("Sesi itu tidak tersedia. Pilih sesi lain dari daftar."), "no_such_window")
    if window.pk == booking.slot_id:
        raise AppointmentRefused(_("Itu sesi Anda saat ini. Pilih sesi lain."), "same_window")
    _check_slot_open(tenant, window, now)
    if booking.agent_id and window.day != booking.day:
        _agent_cap_check(tenant=tenant, agent=booking.agent, day=window.day, exclude_booking=booking.pk)
    counters = {
        s.pk: s
        for s in SlotCounter.objects.select_for_update().filter(tenant=tenant, pk__in=[booking.slot_id, window.pk]).order_by("pk")
    }
    old = counters[booking.slot_id]
    _take_place(counters[window.pk])
    _free_place(old.pk, tenant.pk)
    booking.slot, booking.day = counters[window.pk], window.day
    booking.reschedule_count += 1
    booking.updated_at = now
    booking.save(update_fields=["slot", "day", "reschedule_count", "updated_at"])
    audit_record(
        tenant=tenant, actor=actor, action="permits.appointments.booking_reschedule", obj=booking,
        data={
            "from": f"{old.day.isoformat()} {old.label}", "to": f"{window.day.isoformat()} {window.label}",
            "count": booking.reschedule_count, "allowed": allowed,
        },
    )
    return booking


@_keeps_refusals
def booking_cancel(*, tenant: Tenant, booking: Booking, actor, reason: str = "") -> Booking:
    """Cancel an active booking and free its place at once. The booker, the applicant or front-desk staff
    may, until the window starts. Audited."""
    now = clock.now()
    booking = _locked_booking(tenant, booking)
    frontdesk = user_has_perm(user=actor, tenant=tenant, perm=FRONTDESK_PERM)
    if not (_may_manage(booking, actor) or frontdesk):
        raise AppointmentRefused(_("Hanya pemesan, pemohon atau petugas loket yang dapat membatalkan janji temu ini."), "forbidden")
    if not booking.is_active:
        raise _not_active(booking)
    slot = SlotCounter.objects.select_for_update().get(tenant=tenant, pk=booking.slot_id)
    local_now = _local(tenant, now)
    if (booking.day, slot.starts_at) <= (local_now.date(), local_now.time()) and not frontdesk:
        raise AppointmentRefused(_("Sesi janji temu ini sudah dimulai; pembatalan tidak lagi dapat dilakukan."), "past")
    _free_place(slot.pk, tenant.pk)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = booking.updated_at = now
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        tenant=tenant, actor=actor, action="permits.appointments.booking_cancel", obj=booking,
        data={"reason": (reason or "")[:300], "by_frontdesk": frontdesk and not _may_manage(booking, actor)},
    )
    return booking


@_keeps_refusals
def booking_mark_attendance(*, tenant: Tenant, booking: Booking, outcome: str, actor) -> Booking:
    """Front-desk staff record that the applicant came (`attended`) or did not (`no_show`), on or after the
    day. The place stays used. Audited."""
    if outcome not in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
        raise ValueError("outcome must be 'attended' or 'no_show'.")
    if not user_has_perm(user=actor, tenant=tenant, perm=FRONTDESK_PERM):
        raise AppointmentRefused(_("Hanya petugas loket yang dapat mencatat kehadiran."), "forbidden")
    now = clock.now()
    booking = _locked_booking(tenant, booking)
    if not booking.is_active:
        raise _not_active(booking)
    if booking.day > _local(tenant, now).date():
        raise AppointmentRefused(
            _("Kehadiran baru dapat dicatat pada hari janji temu (%(day)s).") % {"day": formats.date_format(booking.day, "j F Y")},
            "too_early",
        )
    booking.status = outcome
    booking.marked_at = booking.updated_at = now
    booking.marked_by = actor
    booking.save(update_fields=["status", "marked_at", "marked_by", "updated_at"])
    audit_record(
        tenant=tenant, actor=actor, action="permits.appointments.booking_attendance", obj=booking,
        data={"outcome": outcome},
    )
    return booking


# --- powers of attorney ------------------------------------------------------------------------------


@transaction.atomic
def power_of_attorney_register(
    *,
    tenant: Tenant,
    applicant,
    agent_email: str,
    valid_until: dt.date,
    upload,
    permit_type: PermitType | None = None,
    actor,
) -> PowerOfAttorney:
    """The applicant grants an agent the right to book for them, by uploading the signed letter.

    Guarantees: the applicant has a NIK on their account (the letter is for that NIK); the agent has an
    account and is someone else; the letter is valid in the future and for at most a year; the file is
    checked by content and stored privately; the letter waits for front-desk verification. Audited.
    """
    from balai.core.files.services import file_store

    _same_tenant(tenant, permit_type)
    if not applicant.nik:
        raise AppointmentRefused(_("Lengkapi NIK di profil akun Anda lebih dulu; surat kuasa berlaku untuk NIK itu."), "nik")
    agent = User.objects.filter(email__iexact=(agent_email or "").strip(), is_active=True).first()
    if agent is None:
        raise AppointmentRefused(
            _("Tidak ada akun dengan e-mail %(email)s. Minta penerima kuasa mendaftar lebih dulu, lalu tulis e-mail akunnya.")
            % {"email": agent_email},
            "agent_unknown",
        )
    if agent.pk == applicant.pk:
        raise AppointmentRefused(_("Anda tidak dapat memberi kuasa kepada diri sendiri."), "agent_self")
    today = _local(tenant, clock.now()).date()
    if not today < valid_until <= today + dt.timedelta(days=POA_MAX_DAYS):
        raise AppointmentRefused(_("Masa berlaku surat kuasa harus setelah hari ini dan paling lama satu tahun."), "valid_until")
    stored = file_store(tenant=tenant, upload=upload, purpose=POA_PURPOSE, actor=actor)
    poa = PowerOfAttorney.objects.create(
        tenant=tenant, agent=agent, applicant=applicant, applicant_nik_hash=fingerprints.nik_hash(applicant.nik),
        applicant_nik_masked=fingerprints.nik_masked(applicant.nik), permit_type=permit_type, valid_until=valid_until,
        document=stored, created_at=clock.now(),
    )
    audit_record(
        tenant=tenant, actor=actor, action="permits.appointments.poa_register", obj=poa,
        data={"agent": agent.pk, "permit_type": permit_type.code if permit_type else None, "valid_until": valid_until.isoformat()},
    )
    return poa


@_keeps_refusals
def power_of_attorney_verify(*, tenant: Tenant, poa: PowerOfAttorney, approve: bool, note: str = "", actor) -> PowerOfAttorney:
    """Front-desk staff accept or reject a pending letter (a rejection says why). Audited."""
    _same_tenant(tenant, poa)
    if not user_has_perm(user=actor, tenant=tenant, perm=FRONTDESK_PERM):
        raise AppointmentRefused(_("Hanya petugas loket yang dapat memverifikasi surat kuasa."), "forbidden")
    poa = PowerOfAttorney.objects.select_for_update().get(tenant=tenant, pk=poa.pk)
    if poa.status != PowerOfAttorney.Status.PENDING:
        raise AppointmentRefused(_("Surat kuasa ini sudah diputuskan sebelumnya."), "decided")
    if actor.pk in (poa.agent_id, poa.applicant_id):
        raise AppointmentRefused(_("Anda tidak dapat memverifikasi surat kuasa yang menyangkut diri Anda."), "conflict")
    note = (note or "").strip()
    if not approve and not note:
        raise AppointmentRefused(_("Tuliskan alasan penolakan agar pemohon tahu apa yang harus diperbaiki."), "note_required")
    poa.status = PowerOfAttorney.Status.VERIFIED if approve else PowerOfAttorney.Status.REJECTED
    poa.note, poa.verified_by, poa.verified_at = note, actor, clock.now()
    poa.save(update_fields=["status", "note", "verified_by", "verified_at"])
    audit_record(
        tenant=tenant, actor=actor, action="permits.appointments.poa_verify", obj=poa,
        data={"status": poa.status, "note": note[:300]},
    )
    return poa


@_keeps_refusals
def power_of_attorney_revoke(*, tenant: Tenant, poa: PowerOfAttorney, actor) -> PowerOfAttorney:
    """The applicant withdraws a letter; the agent can no longer book with it (bookings made stay). Audited."""
    _same_tenant(tenant, poa)
    poa = PowerOfAttorney.objects.select_for_update().get(tenant=tenant, pk=poa.pk)
    if actor.pk != poa.applicant_id:
        raise AppointmentRefused(_("Hanya pemberi kuasa yang dapat mencabut surat kuasa ini."), "forbidden")
    if poa.status in (PowerOfAttorney.Status.REVOKED, PowerOfAttorney.Status.REJECTED):
        raise AppointmentRefused(_("Surat kuasa ini sudah tidak berlaku."), "decided")
    poa.status = PowerOfAttorney.Status.REVOKED
    poa.save(update_fields=["status"])
    audit_record(tenant=tenant, actor=actor, action="permits.appointments.poa_revoke", obj=poa, data={})
    return poa
