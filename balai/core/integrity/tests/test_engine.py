"""Running checks: the registry, idempotent findings, what a re-run does to a triaged finding, failures."""

import pytest
from django.contrib.contenttypes.models import ContentType

from balai.core import registry as core_registry
from balai.core.audit.models import AuditEntry
from balai.core.integrity import registry
from balai.core.integrity.models import CheckRun, Finding, FindingNote
from balai.core.integrity.registry import EvidenceLink, IntegrityCheck
from balai.core.integrity.services import checks_run, finding_triage, run_all_tenants

from .conftest import draft

ON_DEMAND = CheckRun.Trigger.ON_DEMAND


def _run(tenant, codes=("core.itest_scripted",)):
    return checks_run(tenant=tenant, codes=list(codes), trigger=ON_DEMAND)


def test_the_core_checks_are_registered():
    codes = {c.code for c in registry.checks(module="core")}
    assert {"core.officer_without_2fa", "core.audit_chain_broken"} <= codes
    assert registry.check("core.audit_chain_broken").severity == "high"


def test_it_refuses_a_badly_declared_check():
    with pytest.raises(ValueError, match="namespaced"):
        IntegrityCheck(code="permits.x", module="grants", title="", description="", severity="low", run=print)
    with pytest.raises(ValueError, match="severity"):
        IntegrityCheck(code="core.x", module="core", title="", description="", severity="urgent", run=print)
    with pytest.raises(ValueError, match="callable"):
        IntegrityCheck(code="core.x", module="core", title="", description="", severity="low", run=None)


def test_it_refuses_a_second_check_under_a_taken_code(scripted):
    other = IntegrityCheck(code="core.itest_scripted", module="core", title="", description="", severity="low", run=print)
    with pytest.raises(ValueError, match="already registered"):
        registry.register_check(other)
    # The very same declaration again (a ready() run twice) is harmless.
    registry.register_check(registry.check("core.itest_scripted"))


def test_it_records_a_finding_with_its_subject_evidence_and_concerns(world, scripted):
    serang = world.serang
    officer = serang.people["officer"]
    scripted.answer = [
        draft(
            officer,
            concerns=[officer],
            evidence=[
                ("Halaman petugas", "/kota-serang/akun/petugas/"),
                EvidenceLink("Akun", obj=officer),
                ("Tautan berbahaya", "javascript:alert(1)"),
                ("Keterangan saja", None),
            ],
        )
    ]
    run = _run(serang.tenant)
    finding = Finding.objects.get(tenant=serang.tenant)
    assert (run.findings_new, run.findings_seen, run.errors) == (1, 0, {})
    assert finding.status == Finding.Status.OPEN and finding.severity == "medium"
    assert finding.subject_type == ContentType.objects.get_for_model(officer)
    assert (finding.subject_id, finding.subject_repr) == (str(officer.pk), officer.full_name)
    assert finding.concerns == [officer.pk]
    assert [e["url"] for e in finding.evidence] == ["/kota-serang/akun/petugas/", "", "", ""]
    assert finding.evidence[1]["type"] == "accounts.user" and finding.evidence[1]["id"] == str(officer.pk)
    assert finding.run == run == finding.last_run


def test_a_subject_may_be_named_by_content_type_label_and_id(world, scripted):
    officer = world.serang.people["officer"]
    scripted.answer = [draft(("accounts.user", officer.pk))]
    _run(world.serang.tenant)
    assert Finding.objects.get(tenant=world.serang.tenant).subject_repr == officer.full_name


def test_running_again_finds_the_same_problem_once(world, scripted):
    tenant, officer = world.serang.tenant, world.serang.people["officer"]
    scripted.answer = [draft(officer, "x"), draft(officer, "y")]
    first = _run(tenant)
    found = Finding.objects.get(tenant=tenant, fingerprint="x")
    second = _run(tenant)
    again = Finding.objects.get(tenant=tenant, fingerprint="x")
    assert Finding.objects.filter(tenant=tenant).count() == 2
    assert (second.findings_new, second.findings_seen) == (0, 2)
    assert again.pk == found.pk and again.run == first and again.last_run == second
    assert again.first_seen_at == found.first_seen_at and again.last_seen_at > found.last_seen_at


def test_the_same_fingerprint_in_another_tenant_is_another_finding(world, scripted):
    scripted.answer = [draft(world.serang.people["officer"], "x")]
    _run(world.serang.tenant)
    _run(world.cilegon.tenant)
    assert Finding.objects.filter(fingerprint="x").count() == 2


def test_a_dismissed_finding_stays_dismissed_while_its_evidence_is_the_same(world, scripted):
    tenant, inspector = world.serang.tenant, world.serang.people["inspector"]
    scripted.answer = [draft(world.serang.people["officer"], summary="Kata-kata lama.")]
    _run(tenant)
    finding = Finding.objects.get(tenant=tenant)
    finding_triage(finding=finding, status="dismissed", note="Sudah dicek, wajar.", actor=inspector)
    scripted.answer = [draft(world.serang.people["officer"], summary="Kata-kata baru.")]
    run = _run(tenant)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.DISMISSED
    assert finding.summary == "Kata-kata baru."  # wording follows the check, the judgement stands
    assert run.findings_reopened == 0


def test_a_dismissed_finding_reopens_when_its_evidence_changes(world, scripted):
    tenant, inspector = world.serang.tenant, world.serang.people["inspector"]
    officer = world.serang.people["officer"]
    scripted.answer = [draft(officer, evidence=[("Tiga berkas", None)])]
    _run(tenant)
    finding = Finding.objects.get(tenant=tenant)
    finding_triage(finding=finding, status="dismissed", note="Tiga berkas itu wajar.", actor=inspector)
    scripted.answer = [draft(officer, evidence=[("Sembilan berkas", None)])]
    run = _run(tenant)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN
    assert finding.evidence[0]["label"] == "Sembilan berkas"
    assert run.findings_reopened == 1
    note = FindingNote.objects.filter(finding=finding).last()
    assert note.author is None and (note.status_from, note.status_to) == ("dismissed", "open")
    assert note.evidence_before[0]["label"] == "Tiga berkas"


def test_an_escalated_finding_stays_escalated_when_its_evidence_changes(world, scripted):
    tenant, inspector = world.serang.tenant, world.serang.people["inspector"]
    officer = world.serang.people["officer"]
    scripted.answer = [draft(officer, evidence=[("Satu", None)])]
    _run(tenant)
    finding = Finding.objects.get(tenant=tenant)
    finding_triage(finding=finding, status="escalated", note="Diteruskan ke BPK.", actor=inspector)
    scripted.answer = [draft(officer, evidence=[("Dua", None)])]
    _run(tenant)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.ESCALATED and finding.evidence[0]["label"] == "Dua"


def test_a_new_person_concerned_changes_who_may_see_it(world, scripted):
    from balai.core.integrity import selectors

    tenant, officer, inspector = world.serang.tenant, world.serang.people["officer"], world.serang.people["inspector"]
    scripted.answer = [draft(officer, concerns=[officer])]
    _run(tenant)
    assert selectors.finding_list(tenant=tenant, viewer=inspector).count() == 1
    scripted.answer = [draft(officer, concerns=[officer, inspector])]
    _run(tenant)
    assert selectors.finding_list(tenant=tenant, viewer=inspector).count() == 0
    assert Finding.objects.get(tenant=tenant).concerns == sorted([officer.pk, inspector.pk])


def test_a_failing_check_is_recorded_and_the_others_still_run(world, scripted):
    tenant = world.serang.tenant
    scripted.answer = RuntimeError("tabel permohonan tidak ada")
    run = checks_run(tenant=tenant, trigger=ON_DEMAND)
    assert run.errors == {"core.itest_scripted": "RuntimeError: tabel permohonan tidak ada"}
    assert "core.officer_without_2fa" in run.checks and run.finished_at is not None
    assert Finding.objects.filter(tenant=tenant, check_code="core.officer_without_2fa").exists()
    assert not Finding.objects.filter(tenant=tenant, check_code="core.itest_scripted").exists()


def test_a_check_that_breaks_halfway_writes_none_of_its_findings(world, scripted):
    officer = world.serang.people["officer"]
    # The second draft names a user who does not exist: the whole check fails, the first is not kept.
    scripted.answer = [draft(officer, "ok"), draft(officer, "bad", concerns=[999999])]
    run = _run(world.serang.tenant)
    assert "unknown users" in run.errors["core.itest_scripted"]
    assert not Finding.objects.filter(tenant=world.serang.tenant).exists()


def test_a_fingerprint_reported_twice_in_one_run_is_an_error_of_the_check(world, scripted):
    officer = world.serang.people["officer"]
    scripted.answer = [draft(officer, "same"), draft(officer, "same")]
    run = _run(world.serang.tenant)
    assert "twice" in run.errors["core.itest_scripted"]


def test_since_is_when_the_last_successful_run_started(world, scripted):
    tenant = world.serang.tenant
    first = _run(tenant)
    scripted.answer = RuntimeError("sekali gagal")
    _run(tenant)
    scripted.answer = []
    _run(tenant)
    assert [since for _tenant, since in scripted.calls] == [None, first.started_at, first.started_at]


def test_checks_of_a_module_the_tenant_has_off_are_skipped(world, monkeypatch):
    from balai.core.tenants.services import tenant_module_configure

    manifest = core_registry.ModuleManifest(code="itest", name="Modul uji")
    monkeypatch.setitem(core_registry._modules, "itest", manifest)
    calls = []
    check = IntegrityCheck(
        code="itest.thing", module="itest", title="Uji", description="", severity="low",
        run=lambda tenant, since: calls.append(tenant) or [],
    )
    registry.register_check(check)
    try:
        run = checks_run(tenant=world.serang.tenant, codes=["itest.thing"], trigger=ON_DEMAND)
        assert (run.checks, run.skipped, calls) == ([], ["itest.thing"], [])
        tenant_module_configure(
            tenant=world.serang.tenant, module="itest", enabled=True, settings={}, actor=world.serang.people["admin"]
        )
        run = checks_run(tenant=world.serang.tenant, codes=["itest.thing"], trigger=ON_DEMAND)
        assert run.checks == ["itest.thing"] and calls == [world.serang.tenant]
    finally:
        registry.unregister_check("itest.thing")


def test_an_unknown_check_code_is_refused_before_anything_is_written(world):
    with pytest.raises(LookupError):
        checks_run(tenant=world.serang.tenant, codes=["core.no_such_check"], trigger=ON_DEMAND)
    assert not CheckRun.objects.exists()


def test_every_run_is_on_the_audit_chain(world, scripted):
    inspector = world.serang.people["inspector"]
    scripted.answer = [draft(world.serang.people["officer"])]
    run = checks_run(tenant=world.serang.tenant, codes=["core.itest_scripted"], trigger=ON_DEMAND, actor=inspector)
    entry = AuditEntry.objects.filter(tenant=world.serang.tenant, action="integrity.checks_run").last()
    assert entry.object_id == str(run.pk) and entry.actor_id == inspector.pk
    assert entry.data["new"] == 1 and entry.data["trigger"] == "on_demand"


def test_the_scheduled_run_covers_every_active_tenant(world):
    runs = run_all_tenants()
    assert {r.tenant for r in runs} == {world.serang.tenant, world.cilegon.tenant}
    assert all(r.trigger == CheckRun.Trigger.SCHEDULED and r.started_by is None for r in runs)


def test_the_celery_task_runs_the_schedule(world):
    from balai.core.integrity.tasks import run_scheduled_checks

    summary = run_scheduled_checks.apply().get()
    assert summary["tenants"] == 2
    assert CheckRun.objects.filter(trigger=CheckRun.Trigger.SCHEDULED).count() == 2
