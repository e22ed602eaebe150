"""Days off recorded by the tenant administrator, as every calendar of the tenant sees them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from balai.core.workdays.models import DayOff
from balai.core.workdays.selectors import calendar_for, day_off_get, days_off, year_overview
from balai.core.workdays.services import day_off_add, day_off_remove

pytestmark = pytest.mark.usefixtures("march_2026")

RECEIVED = date(2026, 3, 18)  # Wednesday, cuti bersama Nyepi; SLA 5 is due Tuesday 31 March nationally


@pytest.fixture
def serang(world):
    return world.serang.tenant


@pytest.fixture
def admin(world):
    return world.serang.people["admin"]


def add(tenant, admin, day, kind=DayOff.Kind.LOCAL, name="Hari Jadi Kota Serang"):
    return day_off_add(tenant=tenant, date=day, kind=kind, name=name, actor=admin)


def test_a_local_day_off_moves_the_due_date_for_that_tenant_only(
    world, serang, admin, django_capture_on_commit_callbacks
):
    """Friday 27 March was day 3 of the count; as libur daerah it no longer counts: 25, 26, 30, 31 March,
    Wednesday 1 April. Kota Cilegon keeps the national calendar."""
    assert calendar_for(serang).add_working_days(RECEIVED, 5) == date(2026, 3, 31)  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        add(serang, admin, date(2026, 3, 27))
    assert calendar_for(serang).add_working_days(RECEIVED, 5) == date(2026, 4, 1)
    assert calendar_for(serang).holiday_name(date(2026, 3, 27)) == "Hari Jadi Kota Serang"
    assert calendar_for(world.cilegon.tenant).add_working_days(RECEIVED, 5) == date(2026, 3, 31)


def test_a_cancelled_cuti_bersama_moves_the_due_date_back_and_removing_it_restores_the_holiday(
    serang, admin, django_capture_on_commit_callbacks
):
    """Cuti bersama of Tuesday 24 March cancelled: 24 = day 1, 25, 26, 27, Monday 30 March = day 5."""
    with django_capture_on_commit_callbacks(execute=True):
        kept = add(serang, admin, date(2026, 3, 24), DayOff.Kind.WORKING, "Cuti bersama dibatalkan")
    assert calendar_for(serang).add_working_days(RECEIVED, 5) == date(2026, 3, 30)
    assert calendar_for(serang).working_days_in_month(2026, 3) == 18
    with django_capture_on_commit_callbacks(execute=True):
        day_off_remove(tenant=serang, day_off=kept, actor=admin)
    assert calendar_for(serang).add_working_days(RECEIVED, 5) == date(2026, 3, 31)
    assert not DayOff.objects.filter(pk=kept.pk).exists()


def test_the_calendar_reads_the_database_once_per_year(serang, admin, django_assert_num_queries):
    DayOff.objects.create(
        tenant=serang, date=date(2026, 12, 30), kind=DayOff.Kind.LOCAL, name="x", created_by=admin
    )
    with django_assert_num_queries(2):  # 2026 and 2027, whatever n
        assert calendar_for(serang).add_working_days(date(2026, 3, 2), 300) > date(2027, 1, 1)
    with django_assert_num_queries(0):  # cached across calendars (requests)
        calendar = calendar_for(serang)
        calendar.add_working_days(date(2026, 3, 2), 300)
        calendar.working_days_between(date(2026, 1, 1), date(2027, 6, 1))


@pytest.mark.parametrize(
    ("day", "kind", "name", "field", "message"),
    [
        (date(2026, 3, 21), DayOff.Kind.LOCAL, "Libur", "date", "akhir pekan, jadi sudah bukan hari kerja"),
        (date(2026, 3, 28), DayOff.Kind.WORKING, "Masuk", "date", "tidak dapat dijadikan hari kerja"),
        (date(2026, 3, 19), DayOff.Kind.LOCAL, "Libur", "date", "sudah libur nasional (Hari Suci Nyepi)"),
        (date(2026, 3, 25), DayOff.Kind.WORKING, "Masuk", "date", "bukan libur nasional atau cuti bersama"),
        (date(2024, 3, 25), DayOff.Kind.LOCAL, "Libur", "date", "tahun 2025 sampai 2027"),
        (date(2028, 3, 27), DayOff.Kind.LOCAL, "Libur", "date", "di luar rentang"),
        (date(2026, 3, 27), DayOff.Kind.LOCAL, "   ", "name", "Tulis nama hari libur"),
        (date(2026, 3, 27), "holiday", "Libur", "kind", "Pilih jenis perubahan"),
    ],
)
def test_it_refuses_changes_that_make_no_sense_and_says_what_to_do(
    serang, admin, day, kind, name, field, message
):
    with pytest.raises(ValidationError) as caught:
        add(serang, admin, day, kind, name)
    assert message in " ".join(caught.value.message_dict[field])
    assert not DayOff.objects.exists()


def test_it_refuses_a_second_change_on_the_same_date(serang, admin):
    add(serang, admin, date(2026, 3, 27))
    with pytest.raises(ValidationError, match="sudah tercatat sebagai .Hari Jadi Kota Serang."):
        add(serang, admin, date(2026, 3, 27), DayOff.Kind.COLLECTIVE, "Cuti bersama")
    assert DayOff.objects.count() == 1


def test_the_same_date_may_be_a_day_off_in_two_tenants(world, serang, admin):
    add(serang, admin, date(2026, 3, 27))
    add(world.cilegon.tenant, world.cilegon.people["admin"], date(2026, 3, 27), name="Hari Jadi Kota Cilegon")
    assert [d.name for d in days_off(tenant=world.cilegon.tenant, year=2026)] == ["Hari Jadi Kota Cilegon"]


def test_another_tenants_day_off_cannot_be_reached(world, serang, admin):
    theirs = add(world.cilegon.tenant, world.cilegon.people["admin"], date(2026, 3, 27))
    from django.http import Http404

    with pytest.raises(Http404):
        day_off_get(tenant=serang, pk=theirs.pk)
    with pytest.raises(ValueError):
        day_off_remove(tenant=serang, day_off=theirs, actor=admin)
    assert DayOff.objects.filter(pk=theirs.pk).exists()


def test_the_year_overview_merges_national_and_local_days_with_names(serang, admin):
    add(serang, admin, date(2026, 3, 27))
    add(serang, admin, date(2026, 3, 24), DayOff.Kind.WORKING, "Cuti bersama dibatalkan")
    overview = {day.date: day for day in year_overview(tenant=serang, year=2026, language="id")}
    assert (
        overview[date(2026, 3, 19)].name == "Hari Suci Nyepi" and overview[date(2026, 3, 19)].day_off is None
    )
    assert overview[date(2026, 3, 27)].name == "Hari Jadi Kota Serang" and overview[date(2026, 3, 27)].day_off
    kept = overview[date(2026, 3, 24)]
    assert kept.is_working and kept.working_reason == "Cuti bersama dibatalkan" and kept.day_off
    assert kept.name == "Cuti Bersama Hari Raya Idul Fitri"
    assert list(overview) == sorted(overview)
    english = {day.date: day for day in year_overview(tenant=serang, year=2026, language="en")}
    assert english[date(2026, 3, 19)].name == "Day of Silence"
