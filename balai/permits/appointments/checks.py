"""Red-flag checks of the appointments app (module "permits"), registered from the AppConfig.

- capacity reduced after booking opened;
- a place released and re-booked within seconds by the same party (a slot handed over, not freed);
- many bookings for different people sharing one contact phone, device or network.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.core.integrity.registry import FindingDraft, IntegrityCheck
from balai.core.tenants.models import Tenant

from . import clock
from .models import Booking, CapacityChange

REBOOK_SECONDS = 120
SHARED_MIN_PEOPLE = 5
SHARED_LOOKBACK_DAYS = 30


def _service_url(tenant: Tenant, permit_type_id: int) -> str:
    return reverse("permits:appointments:public_service", kwargs={"tenant": tenant.slug, "type_id": permit_type_id})


def capacity_reduced_after_release(tenant: Tenant, since: datetime | None) -> Iterator[FindingDraft]:
    rows = CapacityChange.objects.filter(tenant=tenant, after_release=True, reduced=True).select_related("permit_type", "actor")
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    for change in rows.order_by("pk"):
        who = change.actor.full_name or change.actor.email if change.actor else "-"
        yield FindingDraft(
            subject=change,
            summary=_(
                "Kuota %(service)s untuk %(day)s dikurangi dari %(before)s menjadi %(after)s setelah pemesanan dibuka, "
                "oleh %(who)s."
            )
            % {
                "service": change.permit_type.name, "day": formats.date_format(change.day, "j F Y"),
                "before": change.total_before, "after": change.total_after, "who": who,
            },
            evidence=[
                (_("Riwayat kuota yang dipublikasikan"), _service_url(tenant, change.permit_type_id)),
                (_("Alasan tertulis: %(reason)s") % {"reason": change.reason or "-"}, None),
            ],
            concerns=[change.actor_id] if change.actor_id else [],
            fingerprint=f"change:{change.pk}",
        )


def slot_released_and_rebooked(tenant: Tenant, since: datetime | None) -> Iterator[FindingDraft]:
    cancelled = Booking.objects.filter(tenant=tenant, cancelled_at__isnull=False).select_related("slot", "permit_type")
    if since is not None:
        cancelled = cancelled.filter(cancelled_at__gte=since - timedelta(seconds=REBOOK_SECONDS))
    for gone in cancelled.order_by("pk"):
        window_end = gone.cancelled_at + timedelta(seconds=REBOOK_SECONDS)
        same_party = Q(booker_id=gone.booker_id)
        if gone.network:
            same_party |= Q(network=gone.network)
        if gone.device_hash:
            same_party |= Q(device_hash=gone.device_hash)
        rebooked = (
            Booking.objects.filter(
                tenant=tenant, slot_id=gone.slot_id, created_at__gte=gone.cancelled_at, created_at__lte=window_end
            )
            .exclude(pk=gone.pk)
            .exclude(applicant_nik_hash=gone.applicant_nik_hash)
            .filter(same_party)
            .order_by("created_at")
        )
        for new in rebooked:
            seconds = int((new.created_at - gone.cancelled_at).total_seconds())
            yield FindingDraft(
                subject=new,
                summary=_(
                    "Tempat janji temu %(service)s %(day)s sesi %(window)s dibatalkan lalu dipesan lagi untuk orang lain "
                    "%(seconds)s detik kemudian oleh pihak yang sama (akun, perangkat atau jaringan)."
                )
                % {
                    "service": gone.permit_type.name, "day": formats.date_format(gone.day, "j F Y"),
                    "window": gone.slot.label, "seconds": seconds,
                },
                evidence=[
                    (_("Pemesanan yang dibatalkan: %(code)s") % {"code": gone.code}, None),
                    (_("Pemesanan pengganti: %(code)s") % {"code": new.code}, None),
                    (_("Jaringan: %(net)s") % {"net": new.network or "-"}, None),
                ],
                concerns=sorted({gone.booker_id, new.booker_id}),
                fingerprint=f"rebook:{gone.pk}:{new.pk}",
            )


def bookings_share_contact(tenant: Tenant, since: datetime | None) -> Iterator[FindingDraft]:
    """Bookings of at least SHARED_MIN_PEOPLE different NIKs in the last SHARED_LOOKBACK_DAYS sharing a
    contact phone, a device or a network, without a power of attorney (agents book for many by right)."""
    start = clock.now() - timedelta(days=SHARED_LOOKBACK_DAYS)
    base = Booking.objects.filter(tenant=tenant, created_at__gte=start, agent__isnull=True)
    labels = {
        "contact_phone": gettext_lazy("nomor ponsel"),
        "device_hash": gettext_lazy("perangkat"),
        "network": gettext_lazy("jaringan"),
    }
    for field, label in labels.items():
        groups = (
            base.exclude(**{field: ""})
            .values(field)
            .annotate(people=Count("applicant_nik_hash", distinct=True))
            .filter(people__gte=SHARED_MIN_PEOPLE)
            .order_by(field)
        )
        for group in groups:
            value = group[field]
            rows = list(base.filter(**{field: value}).select_related("booker").order_by("created_at")[:20])
            bookers = sorted({b.booker_id for b in rows})
            shown = value if field == "network" else (value[:4] + "…" if field == "contact_phone" else value[:12])
            yield FindingDraft(
                subject=rows[0],
                summary=_(
                    "%(n)s orang berbeda memesan janji temu dalam %(days)s hari terakhir dengan %(what)s yang sama "
                    "(%(value)s), tanpa surat kuasa."
                )
                % {"n": group["people"], "days": SHARED_LOOKBACK_DAYS, "what": label, "value": shown},
                evidence=[(_("Pemesanan %(code)s, %(day)s") % {"code": b.code, "day": b.day.isoformat()}, None) for b in rows],
                concerns=bookers,
                fingerprint=f"{field}:{value}"[:200],
            )


CHECKS = (
    IntegrityCheck(
        code="permits.capacity_reduced_after_release",
        module="permits",
        title=gettext_lazy("Kuota janji temu dikurangi setelah dibuka"),
        description=gettext_lazy(
            "Kapasitas sebuah hari layanan dikurangi setelah pemesanan dibuka: orang yang menunggu kuota itu "
            "kehilangan kesempatan. Periksa apakah alasannya wajar."
        ),
        severity="medium",
        run=capacity_reduced_after_release,
    ),
    IntegrityCheck(
        code="permits.slot_released_and_rebooked",
        module="permits",
        title=gettext_lazy("Tempat janji temu dilepas lalu dipesan lagi oleh pihak yang sama"),
        description=gettext_lazy(
            "Sebuah pemesanan dibatalkan dan tempatnya dipesan untuk orang lain dalam hitungan detik oleh akun, "
            "perangkat atau jaringan yang sama: tanda tempat dialihkan (dijual), bukan dilepas untuk umum."
        ),
        severity="high",
        run=slot_released_and_rebooked,
    ),
    IntegrityCheck(
        code="permits.bookings_share_contact",
        module="permits",
        title=gettext_lazy("Banyak pemesanan memakai ponsel, perangkat atau jaringan yang sama"),
        description=gettext_lazy(
            "Banyak orang berbeda memesan janji temu dari nomor ponsel, perangkat atau jaringan yang sama tanpa "
            "surat kuasa: tanda calo yang menimbun kuota."
        ),
        severity="medium",
        run=bookings_share_contact,
    ),
)


def register() -> None:
    from balai.core.integrity.registry import register_check

    for check in CHECKS:
        register_check(check)

