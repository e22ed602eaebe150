"""Public tracking says where a file stands today: the SLA left is counted from the published facts with
the tenant's calendar as it is now (a day off added after the file's last step counts), turns at
midnight in the tenant's zone, and reads in the visitor's language. The page and the API agree."""

from datetime import date

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from balai.core.workdays.services import day_off_add
from balai.permits import services, tracking_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today(moment, monkeypatch):
    """The engine's clock and Django's (which the kept answers' day comes from) held at the same moment."""
    monkeypatch.setattr(timezone, "now", lambda: moment.value)
    return moment


def page(client, tenant, number, **extra):
    url = reverse("permits:public_tracking", kwargs={"tenant": tenant.slug})
    return client.get(url, {"nomor": number}, **extra).content.decode()


def api(client, tenant, number):
    url = reverse("permits_api:track", kwargs={"tenant": tenant.slug, "registration_number": number})
    return client.get(url).json()


def test_a_day_off_added_after_the_last_step_counts_without_a_new_step(
    office, draft, today, client, django_capture_on_commit_callbacks
):
    today.set(2026, 3, 16, 9, 0)  # Monday; reklame has 5 working days
    number = services.application_submit(application=draft(), actor=office.citizen)
    today.set(2026, 3, 27, 9, 0)  # Tue 17, Wed 25, Thu 26, Fri 27 used (Nyepi and Idul Fitri skipped)
    assert "sisa 1 hari kerja" in page(client, office.tenant, number)
    assert api(client, office.tenant, number)["sla_remaining_days"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        day_off_add(
            tenant=office.tenant,
            date=date(2026, 3, 26),
            kind="local",
            name="Hari jadi kota",
            actor=office.verifier,
        )
    tracking_cache.forget(tenant_id=office.tenant.pk, number=number)  # a kept answer lives a minute at most

    shown = page(client, office.tenant, number)
    assert "sisa 2 hari kerja" in shown and "Selasa, 31 Maret 2026" in shown
    body = api(client, office.tenant, number)
    assert body["sla_remaining_days"] == 2 and body["elapsed_days"] == 3 and body["due_date"] == "2026-03-31"


def test_the_sla_left_turns_at_midnight_in_the_tenants_zone(office, draft, today, client):
    today.set(2026, 3, 16, 9, 0)
    number = services.application_submit(application=draft(), actor=office.citizen)
    today.set(2026, 3, 26, 23, 59)
    assert "sisa 2 hari kerja" in page(client, office.tenant, number)
    assert api(client, office.tenant, number)["sla_remaining_days"] == 2
    today.set(2026, 3, 27, 0, 1)  # the answers kept a minute ago were yesterday's
    assert "sisa 1 hari kerja" in page(client, office.tenant, number)
    assert api(client, office.tenant, number)["sla_remaining_days"] == 1


def test_the_timeline_reads_in_the_visitors_language(office, draft, today, client):
    today.set(2026, 3, 16, 9, 0)
    number = services.application_submit(application=draft(), actor=office.citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's choice
    english = page(client, office.tenant, number)
    assert "16 March 2026 09.00" in english and "5 working days left" in english
    assert "Monday, 30 March 2026" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = page(client, office.tenant, number)
    assert "16 Maret 2026 09.00" in indonesian and "sisa 5 hari kerja" in indonesian
    assert "Senin, 30 Maret 2026" in indonesian
