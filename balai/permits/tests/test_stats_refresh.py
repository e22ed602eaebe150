"""Monthly statistics computed from real files on the real 2026 calendar of Kota Serang, by hand.

Izin Penelitian (SLA 2 working days), four files received in March 2026 and rejected in March:

    A  received Mon 2 Mar, rejected Wed 4 Mar                          → 3, 4 Mar           = 2 days (met)
    B  received Mon 2 Mar, returned Tue 3 Mar (1 day: the 3rd), back Mon 9 Mar (paused from the 3rd
       to the 9th), rejected Thu 12 Mar                                → 3 + (10, 11, 12)   = 4 days (late)
    C  received Fri 13 Mar, rejected Wed 25 Mar: 18-24 March are Nyepi, Idul Fitri and their cuti
       bersama, so only 16, 17 and 25 count                           → 3 days (late)
    D  received Mon 2 Mar, rejected the same day                        → 0 days (met)

Sorted 0, 2, 3, 4: median 2.5 (between 2 and 3); 90th percentile at rank 0.9 × 3 = 2.7: 3 + 0.7 × 1 = 3.7.
SLA compliance 2 of 4.
"""

from datetime import date
from decimal import Decimal

import pytest

from balai.permits import services
from balai.permits.models_stats import PermitMonthlyStat, PermitOfficerMonthlyStat
from balai.permits.selectors_stats import percentile, stats_office, stats_overview
from balai.permits.services_stats import stats_refresh
from balai.permits.tests.conftest import pay

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)


def reject(app, office, moment, *when):
    moment.set(*when)
    services.application_reject(application=app, reason="Lokasi penelitian di luar wilayah kota.", actor=office.verifier)


@pytest.fixture
def march(office, draft, moment):
    moment.set(2026, 3, 2, 8, 0)
    a, b, d = draft("penelitian"), draft("penelitian"), draft("penelitian")
    for app in (a, b, d):
        services.application_submit(application=app, actor=office.citizen)
    reject(d, office, moment, 2026, 3, 2, 15, 0)
    moment.set(2026, 3, 3, 10, 0)
    services.application_return_for_correction(
        application=b, items=[{"kind": "field", "code": "lokasi", "note": "Sebutkan kecamatannya."}],
        note="Lengkapi lokasi.", actor=office.verifier,
    )
    reject(a, office, moment, 2026, 3, 4, 10, 0)
    moment.set(2026, 3, 9, 9, 0)
    services.application_update_draft(application=b, form_data={"lokasi": "Kecamatan Taktakan"}, actor=office.citizen)
    services.application_resubmit(application=b, actor=office.citizen)
    reject(b, office, moment, 2026, 3, 12, 10, 0)
    moment.set(2026, 3, 13, 9, 0)
    c = draft("penelitian")
    services.application_submit(application=c, actor=office.citizen)
    reject(c, office, moment, 2026, 3, 25, 11, 0)
    return {"a": a, "b": b, "c": c, "d": d}


def test_it_counts_a_month_by_hand_in_working_days_with_a_pause(office, march):
    assert stats_refresh(tenant=office.tenant, month=date(2026, 3, 17)) == 1
    row = PermitMonthlyStat.objects.get(tenant=office.tenant, month=MARCH)
    assert row.permit_type == office.types["penelitian"]
    assert (row.received, row.issued, row.rejected) == (4, 0, 4)
    assert row.durations == {"0": 1, "2": 1, "3": 1, "4": 1}
    assert row.p50_days == Decimal("2.5") and row.p90_days == Decimal("3.7")
    assert (row.sla_met, row.sla_total) == (2, 4)
    assert row.retribution == 0

    officer = PermitOfficerMonthlyStat.objects.get(tenant=office.tenant, month=MARCH, officer=office.verifier)
    # Five steps finished (the return and four rejections) on four files; B's second visit of
    # verification (9 → 12 March) took 3 days, over the step's 2: one breach, and C's 3 days another.
    assert (officer.files, officer.actions) == (4, 5)
    assert officer.durations == {"0": 1, "1": 1, "2": 1, "3": 2}
    assert officer.breaches == 2


def test_refreshing_again_gives_the_same_rows(office, march):
    stats_refresh(tenant=office.tenant, month=MARCH)
    first = list(PermitMonthlyStat.objects.filter(tenant=office.tenant).values())
    stats_refresh(tenant=office.tenant, month=MARCH)
    again = list(PermitMonthlyStat.objects.filter(tenant=office.tenant).values())
    assert len(again) == 1
    strip = [{k: v for k, v in r.items() if k not in ("id", "refreshed_at")} for r in first]
    assert strip == [{k: v for k, v in r.items() if k not in ("id", "refreshed_at")} for r in again]
    assert PermitOfficerMonthlyStat.objects.filter(tenant=office.tenant, month=MARCH).count() == 1


def test_a_month_with_nothing_has_no_rows_and_other_tenants_are_untouched(office, march, world):
    stats_refresh(tenant=office.tenant, month=MARCH)
    stats_refresh(tenant=world.cilegon.tenant, month=MARCH)
    stats_refresh(tenant=office.tenant, month=date(2026, 2, 1))
    assert not PermitMonthlyStat.objects.filter(tenant=world.cilegon.tenant).exists()
    assert PermitMonthlyStat.objects.filter(tenant=office.tenant).count() == 1


def test_the_year_overview_adds_months_and_types(office, march):
    stats_refresh(tenant=office.tenant, month=MARCH)
    overview = stats_overview(tenant=office.tenant, year=2026)
    assert [s.label for s in overview.by_type] == [office.types["penelitian"].name]
    assert overview.by_month[2].received == 4 and overview.by_month[1].received == 0
    assert overview.total.p50_days == Decimal("2.5") and overview.total.sla_percent == Decimal("50.0")
    board = stats_office(tenant=office.tenant, year=2026)
    assert [o.officer for o in board.officers] == [office.verifier]
    assert board.officers[0].breaches == 2


def test_paid_retribution_is_counted_in_the_month_it_was_paid(office, draft, moment, django_capture_on_commit_callbacks):
    moment.set(2026, 3, 2, 9, 0)
    app = draft("reklame")
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    services.application_record_inspection(application=app, report="Sesuai desain.", photos=[], actor=office.inspector)
    app.refresh_from_db()
    pay(app.bill, django_capture_on_commit_callbacks)
    app.bill.refresh_from_db()
    paid_month = app.bill.paid_at.astimezone(moment.value.tzinfo).date().replace(day=1)
    # The gateway's time is real time while the engine's is held in March: count each in its own month.
    stats_refresh(tenant=office.tenant, month=MARCH)
    stats_refresh(tenant=office.tenant, month=paid_month)
    rows = PermitMonthlyStat.objects.filter(tenant=office.tenant, permit_type=office.types["reklame"])
    by_month = {r.month: (r.received, r.retribution) for r in rows}
    expected = {MARCH: (1, 0), paid_month: (0, 14_062_500)} if paid_month != MARCH else {MARCH: (1, 14_062_500)}
    assert by_month == expected


@pytest.mark.parametrize(
    ("values", "p50", "p90"),
    [([5], "5.0", "5.0"), ([1, 2, 4, 9], "3.0", "7.5"), ([1, 2, 3], "2.0", "2.8"), ([], None, None)],
)
def test_percentiles_interpolate_between_closest_ranks(values, p50, p90):
    histogram = {}
    for v in values:
        histogram[str(v)] = histogram.get(str(v), 0) + 1
    assert percentile(histogram, 50) == (Decimal(p50) if p50 else None)
    assert percentile(histogram, 90) == (Decimal(p90) if p90 else None)
