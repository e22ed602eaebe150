"""The public statistics page, its open-data downloads and the head of office's dashboard."""

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balai.core.workdays.selectors import calendar_for
from balai.core.workflow import clock
from balai.core.workflow.models import Transition
from balai.permits.models import Application
from balai.permits.models_stats import PermitMonthlyStat
from balai.testing.clients import login
from bench.gen_permits import generate, prepare

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 30, 16, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def bench(world):
    tenant, types, staff = prepare(tenant=world.serang.tenant, citizens=5)

    def _generate(n, seed=7):
        return generate(tenant=tenant, types=types, staff=staff, applications=n, seed=seed, now=NOW, months=6)

    return tenant, staff, _generate


def url(tenant, name="permits:stats_index"):
    return reverse(name, kwargs={"tenant": tenant.slug})


def test_the_public_page_shows_the_figures_with_charts_and_tables(client, bench):
    tenant, _staff, gen = bench
    gen(40)
    page = client.get(url(tenant), {"tahun": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    total = PermitMonthlyStat.objects.filter(tenant=tenant, month__year=2026)
    received = sum(r.received for r in total)
    assert received > 0
    overview = page.context["overview"]
    assert overview.total.received == received
    assert '<svg class="w-100 h-auto"' in html and "<title id=\"grafik-bulan-title\">" in html
    assert "<table" in html and "Indeks kepuasan" in html
    # No personal data: the citizens' names never appear.
    assert "Warga 1" not in html


def test_the_filter_by_type_and_an_unknown_type(client, bench):
    tenant, _staff, gen = bench
    gen(30)
    page = client.get(url(tenant), {"tahun": 2026, "jenis": "penelitian"})
    assert page.status_code == 200
    assert [s.key.code for s in page.context["overview"].by_type] in (["penelitian"], [])
    assert client.get(url(tenant), {"jenis": "tidak-ada"}).status_code == 404
    assert client.get(url(tenant), {"tahun": "abc"}).status_code == 200  # a bad year falls back to this year


def test_the_csv_and_json_downloads_carry_the_same_open_data(client, bench):
    tenant, _staff, gen = bench
    gen(40)
    rows = list(PermitMonthlyStat.objects.filter(tenant=tenant, month__year=2026))
    response = client.get(url(tenant, "permits:stats_download"), {"format": "csv", "tahun": 2026})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    records = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(records) == len(rows)
    assert sum(int(r["received"]) for r in records) == sum(r.received for r in rows)
    assert sum(int(r["retribution_rupiah"]) for r in records) == sum(r.retribution for r in rows)
    assert set(records[0]) >= {"month", "permit_type_code", "median_working_days", "sla_compliance_percent", "skm_index"}

    data = json.loads(client.get(url(tenant, "permits:stats_download"), {"format": "json", "tahun": 2026}).content)
    assert data["year"] == 2026 and len(data["records"]) == len(rows)
    assert [r["received"] for r in data["records"]] == [int(r["received"]) for r in records]
    text = json.dumps(data)
    assert "warga" not in text.lower() and "REG-" not in text

    bad = client.get(url(tenant, "permits:stats_download"), {"format": "xlsx"})
    assert bad.status_code == 400 and "format=csv" in bad.content.decode()


def test_the_stats_page_costs_the_same_queries_for_5_and_50_applications(client, bench):
    tenant, _staff, gen = bench
    gen(5, seed=1)
    client.get(url(tenant))  # warm caches (calendar, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(tenant), {"tahun": 2026}).status_code == 200
    gen(45, seed=2)
    assert Application.objects.filter(tenant=tenant).count() == 50
    with CaptureQueriesContext(connection) as large:
        assert client.get(url(tenant), {"tahun": 2026}).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large]


def test_generated_files_take_as_long_as_their_clock_ran(bench):
    """The generator follows the engine's conventions: the processing time the statistics read from the
    decision (SLA minus what remained) is the clock's running periods counted on the calendar."""
    tenant, _staff, gen = bench
    gen(60)
    calendar = calendar_for(tenant)
    decisions = Transition.objects.filter(tenant=tenant, to_state__in=("issued", "rejected")).select_related("instance")
    assert decisions.exists()
    for row in decisions:
        used = calendar.elapsed_working_days(clock.intervals_of(row.instance.clock_intervals))
        assert row.instance.sla_days - row.sla_remaining_days == used


def test_the_head_of_office_sees_units_and_officers(client, bench, world):
    tenant, staff, gen = bench
    gen(40)
    admin = world.serang.people["admin"]
    login(client, admin)
    page = client.get(url(tenant, "permits:stats_office"), {"tahun": 2026})
    assert page.status_code == 200
    officers = page.context["overview"].officers
    assert officers and {o.officer for o in officers} <= {*staff.verifiers, *staff.inspectors, *staff.approvers, *staff.signers}
    assert staff.verifiers[0].full_name in page.content.decode() or len(officers) < len(staff.verifiers)
    month = client.get(url(tenant, "permits:stats_office"), {"tahun": 2026, "bulan": 3})
    assert month.status_code == 200 and month.context["overview"].month == 3


def test_an_approver_may_see_the_dashboard_and_a_verifier_may_not(client, bench):
    tenant, staff, _gen = bench
    login(client, staff.approvers[0])
    assert client.get(url(tenant, "permits:stats_office")).status_code == 200
    client.logout()
    login(client, staff.verifiers[0])
    assert client.get(url(tenant, "permits:stats_office")).status_code == 403


def test_the_head_of_office_downloads_the_dashboard(client, bench, world):
    tenant, _staff, gen = bench
    gen(40)
    login(client, world.serang.people["admin"])
    shown = client.get(url(tenant, "permits:stats_office"), {"tahun": 2026}).context["overview"]

    per_officer = client.get(
        url(tenant, "permits:stats_office_download"), {"format": "csv", "tabel": "petugas", "tahun": 2026}
    )
    assert per_officer.status_code == 200
    assert (
        per_officer["Content-Disposition"]
        == f'attachment; filename="dasbor-izin-{tenant.slug}-2026-petugas.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(per_officer.content.decode())))
    assert len(rows) == len(shown.officers)
    first = shown.officers[0]
    assert rows[0]["officer"] == (first.officer.full_name or first.officer.email)
    assert int(rows[0]["steps"]) == first.actions and int(rows[0]["steps_late"]) == first.breaches
    assert rows[0]["p90_working_days_per_step"] == str(first.p90_days)
    on_time = first.on_time_percent
    assert rows[0]["steps_on_time_percent"] == ("" if on_time is None else str(on_time))

    per_unit = client.get(url(tenant, "permits:stats_office_download"), {"format": "csv", "tahun": 2026})
    units = list(csv.DictReader(io.StringIO(per_unit.content.decode())))
    assert sum(int(u["received"]) for u in units) == sum(s.received for s in shown.by_unit) > 0

    both = json.loads(
        client.get(
            url(tenant, "permits:stats_office_download"), {"format": "json", "tahun": 2026, "bulan": 3}
        ).content
    )
    assert both["month"] == 3 and {"units", "officers"} <= both.keys()

    wrong = client.get(url(tenant, "permits:stats_office_download"), {"format": "xls"})
    assert wrong.status_code == 400 and "format=csv" in wrong.content.decode()


def test_the_officer_table_reads_median_p90_and_on_time_share(client, bench, world):
    tenant, _staff, gen = bench
    gen(40)
    login(client, world.serang.people["admin"])
    page = client.get(url(tenant, "permits:stats_office"), {"tahun": 2026})
    busiest = max(page.context["overview"].officers, key=lambda o: o.actions)
    assert busiest.on_time_percent + (busiest.breach_percent or 0) == 100
    assert busiest.p90_days >= busiest.p50_days
    assert "Persentil 90" in page.content.decode() and "Tepat waktu" in page.content.decode()
