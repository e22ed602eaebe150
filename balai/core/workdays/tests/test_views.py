"""The calendar page: anyone reads it; the tenant administrator records and removes changes."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from balai.core.workdays.models import DayOff
from balai.core.workdays.selectors import calendar_for
from balai.testing.clients import login

pytestmark = pytest.mark.usefixtures("march_2026")


def url(tenant, name="workdays:calendar", **kwargs):
    return reverse(name, kwargs={"tenant": tenant.slug, **kwargs})


def test_anyone_sees_the_years_holidays_and_working_days(world):
    response = Client().get(url(world.serang.tenant) + "?tahun=2026")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kalender hari kerja 2026" in page
    assert "Hari Suci Nyepi" in page and "Cuti Bersama Hari Raya Idul Fitri" in page
    assert "Rabu, 18 Maret 2026" in page
    assert "?tahun=2025" in page and "?tahun=2027" in page
    assert "Catat perubahan kalender" not in page  # no form for the public


def test_the_year_defaults_to_this_year_in_the_tenants_zone(world):
    response = Client().get(url(world.serang.tenant) + "?tahun=tidak-angka")
    assert "Kalender hari kerja 2026" in response.content.decode()


def test_the_admin_adds_a_local_day_off_and_removes_it(world, django_capture_on_commit_callbacks):
    tenant = world.serang.tenant
    client = login(Client(), world.serang.people["admin"])
    assert "Catat perubahan kalender" in client.get(url(tenant)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(tenant, "workdays:day_off_add"),
            {"date": "2026-03-27", "kind": "local", "name": "Hari Jadi Kota Serang"},
        )
    assert response.status_code == 303
    assert response["Location"].endswith("?tahun=2026")
    page = client.get(response["Location"]).content.decode()
    assert "Hari Jadi Kota Serang" in page and "27 Maret 2026 dicatat" in page
    # The file received on 18 March is now due on Wednesday 1 April instead of Tuesday 31 March.
    assert calendar_for(tenant).add_working_days(date(2026, 3, 18), 5) == date(2026, 4, 1)

    day_off = DayOff.objects.get(tenant=tenant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(tenant, "workdays:day_off_remove", pk=day_off.pk))
    assert response.status_code == 303
    assert "kembali mengikuti kalender nasional" in client.get(response["Location"]).content.decode()
    assert not DayOff.objects.exists()
    assert calendar_for(tenant).add_working_days(date(2026, 3, 18), 5) == date(2026, 3, 31)


def test_a_refused_change_shows_the_reason_beside_the_field(world):
    tenant = world.serang.tenant
    client = login(Client(), world.serang.people["admin"])
    response = client.post(
        url(tenant, "workdays:day_off_add"), {"date": "2026-03-19", "kind": "local", "name": "Libur"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ada yang perlu diperbaiki" in page
    assert "sudah libur nasional (Hari Suci Nyepi)" in page
    assert 'href="#id_date"' in page
    assert not DayOff.objects.exists()


def test_a_plain_officer_reads_the_calendar_but_cannot_change_it(world):
    tenant = world.serang.tenant
    admin = world.serang.people["admin"]
    day_off = DayOff.objects.create(
        tenant=tenant, date=date(2026, 3, 27), kind="local", name="Hari Jadi", created_by=admin
    )
    client = login(Client(), world.serang.people["officer"])
    page = client.get(url(tenant) + "?tahun=2026").content.decode()
    assert "Hari Jadi" in page and "Catat perubahan kalender" not in page and "Hapus catatan ini" not in page
    add = client.post(
        url(tenant, "workdays:day_off_add"), {"date": "2026-03-30", "kind": "local", "name": "Libur"}
    )
    remove = client.post(url(tenant, "workdays:day_off_remove", pk=day_off.pk))
    assert (add.status_code, remove.status_code) == (403, 403)
    assert list(DayOff.objects.values_list("date", flat=True)) == [date(2026, 3, 27)]


def test_another_tenants_day_off_is_not_found(world):
    cilegon_day = DayOff.objects.create(
        tenant=world.cilegon.tenant,
        date=date(2026, 3, 27),
        kind="local",
        name="Hari Jadi Cilegon",
        created_by=world.cilegon.people["admin"],
    )
    client = login(Client(), world.serang.people["admin"])
    response = client.post(url(world.serang.tenant, "workdays:day_off_remove", pk=cilegon_day.pk))
    assert response.status_code == 404
    assert DayOff.objects.filter(pk=cilegon_day.pk).exists()
