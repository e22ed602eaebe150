"""The inspectorate's pages: filters and counts, detail and triage, running checks now, and what the
person a finding concerns never sees."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from balai.core.accounts.models import Membership
from balai.core.integrity.models import CheckRun, Finding, FindingNote
from balai.core.integrity.services import checks_run, finding_triage
from balai.testing.clients import login

from .conftest import draft


def _url(name, tenant, **kwargs):
    return reverse(f"integrity:{name}", kwargs={"tenant": tenant.slug, **kwargs})


@pytest.fixture
def serang(world, scripted):
    """Three findings in Kota Serang: two about the officer (one high), one about the administrator."""
    tw = world.serang
    officer, admin = tw.people["officer"], tw.people["admin"]
    scripted.answer = [
        draft(officer, "late", concerns=[officer], summary="Berkas disetujui tidak urut.", severity="high"),
        draft(officer, "same", concerns=[officer], summary="Verifikator dan penyetuju sama."),
        draft(admin, "fee", concerns=[admin], summary="Retribusi diubah manual."),
    ]
    checks_run(tenant=tw.tenant, codes=["core.itest_scripted"], trigger=CheckRun.Trigger.ON_DEMAND)
    return tw


@pytest.fixture
def inspector(serang):
    return login(Client(), serang.people["inspector"])


def _listed(response):
    return {f.fingerprint for f in response.context["page"].object_list}


def test_it_lists_the_findings_with_counts_per_status(serang, inspector):
    finding = Finding.objects.get(tenant=serang.tenant, fingerprint="fee")
    finding_triage(finding=finding, status="dismissed", note="Sesuai perda.", actor=serang.people["inspector"])
    response = inspector.get(_url("finding_list", serang.tenant))
    assert response.status_code == 200
    assert _listed(response) == {"late", "same", "fee"}
    tabs = {value: n for value, _label, n in response.context["status_tabs"]}
    assert tabs == {"open": 2, "explained": 0, "escalated": 0, "dismissed": 1}
    assert "Berkas disetujui tidak urut." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "open"}, {"late", "same"}),
        ({"severity": "high"}, {"late"}),
        ({"check": "core.itest_scripted"}, {"late", "same", "fee"}),
        ({"check": "core.officer_without_2fa"}, set()),
        ({"module": "core"}, {"late", "same", "fee"}),
    ],
)
def test_it_filters(serang, inspector, query, expected):
    finding_triage(
        finding=Finding.objects.get(tenant=serang.tenant, fingerprint="fee"),
        status="dismissed", note="Sesuai perda.", actor=serang.people["inspector"],
    )
    response = inspector.get(_url("finding_list", serang.tenant), query)
    assert response.status_code == 200 and _listed(response) == expected


def test_it_filters_by_the_day_found(serang, inspector):
    Finding.objects.filter(tenant=serang.tenant, fingerprint="late").update(
        first_seen_at=timezone.now() - timedelta(days=40)
    )
    today = timezone.localdate()
    response = inspector.get(_url("finding_list", serang.tenant), {"found_from": (today - timedelta(days=7)).isoformat()})
    assert _listed(response) == {"same", "fee"}
    response = inspector.get(_url("finding_list", serang.tenant), {"found_to": (today - timedelta(days=30)).isoformat()})
    assert _listed(response) == {"late"}


def test_a_reversed_date_range_says_what_to_do(serang, inspector):
    response = inspector.get(_url("finding_list", serang.tenant), {"found_from": "2026-03-31", "found_to": "2026-03-01"})
    assert response.status_code == 400
    assert "Tukar kedua tanggal" in response.content.decode()


def test_the_person_concerned_never_sees_the_finding_even_as_an_inspector(serang):
    officer = serang.people["officer"]
    Membership.objects.filter(tenant=serang.tenant, user=officer).update(roles=["core.officer", "core.inspector"])
    client = login(Client(), officer)
    response = client.get(_url("finding_list", serang.tenant))
    assert response.status_code == 200
    assert _listed(response) == {"fee"}
    assert sum(n for _value, _label, n in response.context["status_tabs"]) == 1
    own = Finding.objects.get(tenant=serang.tenant, fingerprint="late")
    assert client.get(_url("finding_detail", serang.tenant, pk=own.pk)).status_code == 404
    triage = client.post(_url("finding_triage", serang.tenant, pk=own.pk), {"status": "dismissed", "note": "Tidak benar."})
    assert triage.status_code == 404
    own.refresh_from_db()
    assert own.status == "open"
    # Still hidden after someone else triaged it.
    finding_triage(finding=own, status="explained", note="Sudah dijelaskan.", actor=serang.people["inspector"])
    assert client.get(_url("finding_detail", serang.tenant, pk=own.pk)).status_code == 404


def test_the_detail_shows_evidence_and_the_notes(serang, inspector):
    finding = Finding.objects.get(tenant=serang.tenant, fingerprint="late")
    finding_triage(finding=finding, status="escalated", note="Diteruskan ke Inspektur.", actor=serang.people["inspector"])
    response = inspector.get(_url("finding_detail", serang.tenant, pk=finding.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/kota-serang/">Bukti pertama</a>' in body
    assert "Diteruskan ke Inspektur." in body and "Sari Wulandari" in body


def test_triage_without_a_note_is_refused_on_the_page(serang, inspector):
    finding = Finding.objects.get(tenant=serang.tenant, fingerprint="late")
    response = inspector.post(_url("finding_triage", serang.tenant, pk=finding.pk), {"status": "dismissed", "note": ""})
    assert response.status_code == 400
    assert "Tulis catatan telaah" in response.content.decode()
    assert not FindingNote.objects.exists()


def test_triage_from_the_page(serang, inspector):
    finding = Finding.objects.get(tenant=serang.tenant, fingerprint="late")
    response = inspector.post(
        _url("finding_triage", serang.tenant, pk=finding.pk), {"status": "explained", "note": "Berkas darurat bencana."}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "explained"


def test_run_now_shows_the_result(serang, inspector):
    response = inspector.post(_url("run_create", serang.tenant), {"check": "core.officer_without_2fa"})
    run = CheckRun.objects.filter(tenant=serang.tenant).latest("started_at")
    assert response.status_code == 302 and response["Location"] == _url("run_detail", serang.tenant, pk=run.pk)
    assert run.started_by == serang.people["inspector"] and run.trigger == "on_demand"
    page = inspector.get(response["Location"])
    assert page.status_code == 200
    # The admin's and the officer's missing 2FA; the inspector's own (logged in above with a device) is not raised.
    assert page.context["run"].visible_new == 2


def test_run_pages_count_only_what_the_viewer_may_see(serang):
    inspector = serang.people["inspector"]
    Membership.objects.filter(tenant=serang.tenant, user=serang.people["admin"]).update(
        roles=["core.tenant_admin", "core.officer", "core.inspector"]
    )
    client = login(Client(), serang.people["admin"])
    run = CheckRun.objects.get(tenant=serang.tenant)
    page = client.get(_url("run_detail", serang.tenant, pk=run.pk))
    assert page.context["run"].visible_new == 2  # three raised, one concerns the administrator
    listing = client.get(_url("run_list", serang.tenant))
    assert [r.visible_new for r in listing.context["page"].object_list] == [2]
    assert _listed(client.get(_url("finding_list", serang.tenant), {"run": run.pk})) == {"late", "same"}
    assert inspector  # the fixture's inspector sees all three
    assert login(Client(), inspector).get(_url("run_detail", serang.tenant, pk=run.pk)).context["run"].visible_new == 3


def test_a_failed_check_shows_on_the_run_page(serang, inspector, scripted):
    scripted.answer = RuntimeError("kolom hilang")
    response = inspector.post(_url("run_create", serang.tenant), {"check": "core.itest_scripted"}, follow=True)
    body = response.content.decode()
    assert "RuntimeError: kolom hilang" in body and "sebagian gagal" in body


def test_the_pages_are_for_inspectors_only(serang):
    for kind in ("officer", "citizen", "admin"):
        client = login(Client(), serang.people[kind])
        assert client.get(_url("finding_list", serang.tenant)).status_code == 403
