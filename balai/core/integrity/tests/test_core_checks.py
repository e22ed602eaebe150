"""The core's own checks: officers without a second factor, and a broken audit chain."""

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.core.accounts.models import Membership
from balai.core.audit.models import AuditEntry
from balai.core.audit.services import audit_record
from balai.core.audit.tests.tamper import tamper
from balai.core.integrity.models import CheckRun, Finding
from balai.core.integrity.services import checks_run


def _run(tenant, code):
    return checks_run(tenant=tenant, codes=[code], trigger=CheckRun.Trigger.ON_DEMAND)


def test_officers_without_totp_are_flagged_and_citizens_are_not(world):
    tw = world.serang
    TOTPDevice.objects.create(user=tw.people["admin"], name="hp", confirmed=True)
    TOTPDevice.objects.create(user=tw.people["officer"], name="hp", confirmed=False)  # set up, never confirmed
    _run(tw.tenant, "core.officer_without_2fa")
    found = Finding.objects.filter(tenant=tw.tenant, check_code="core.officer_without_2fa")
    assert sorted(f.concerns[0] for f in found) == sorted([tw.people["officer"].pk, tw.people["inspector"].pk])
    finding = found.get(concerned__user=tw.people["officer"])
    assert finding.severity == "medium"
    assert finding.subject_type.model == "membership"
    assert finding.evidence[0]["url"].endswith(f"/akun/petugas/{finding.subject_id}/")
    assert "Budi Santoso" in finding.summary


def test_the_2fa_finding_is_seen_again_not_duplicated_until_the_device_is_confirmed(world):
    tw = world.serang
    _run(tw.tenant, "core.officer_without_2fa")
    run = _run(tw.tenant, "core.officer_without_2fa")
    assert (run.findings_new, run.findings_seen) == (0, 3)
    TOTPDevice.objects.create(user=tw.people["officer"], name="hp", confirmed=True)
    run = _run(tw.tenant, "core.officer_without_2fa")
    assert run.findings_seen == 2  # the officer's finding is no longer reported; the inspectorate closes it


def test_inactive_memberships_are_not_flagged(world):
    tw = world.serang
    Membership.objects.filter(tenant=tw.tenant, user=tw.people["officer"]).update(is_active=False)
    _run(tw.tenant, "core.officer_without_2fa")
    assert not Finding.objects.filter(tenant=tw.tenant, concerned__user=tw.people["officer"]).exists()


def test_an_intact_chain_raises_nothing(world):
    audit_record(tenant=world.serang.tenant, actor=None, action="orgs.unit_create", object_type="orgs.unit", object_id="1")
    run = _run(world.serang.tenant, "core.audit_chain_broken")
    assert run.errors == {} and not Finding.objects.filter(check_code="core.audit_chain_broken").exists()


def test_an_edited_audit_row_raises_a_high_finding_naming_it(world):
    tenant = world.serang.tenant
    for n in range(3):
        audit_record(tenant=tenant, actor=None, action="orgs.unit_create", object_type="orgs.unit", object_id=str(n))
    victim = AuditEntry.objects.filter(tenant=tenant).order_by("seq")[1]
    tamper("UPDATE audit_auditentry SET object_repr = %s WHERE id = %s", ["diubah", victim.pk])
    _run(tenant, "core.audit_chain_broken")
    finding = Finding.objects.get(tenant=tenant, check_code="core.audit_chain_broken")
    assert finding.severity == "high"
    assert finding.subject_type.model == "auditentry" and finding.subject_id == str(victim.pk)
    assert f"nomor {victim.seq}" in finding.summary
    assert any("edited" in e["label"] for e in finding.evidence)
    assert finding.concerns == []
    # The other tenant's chain is its own.
    _run(world.cilegon.tenant, "core.audit_chain_broken")
    assert not Finding.objects.filter(tenant=world.cilegon.tenant, check_code="core.audit_chain_broken").exists()


def test_the_command_runs_one_tenant_and_one_check(world, capsys):
    call_command("integrity_run", "--tenant", world.serang.tenant.slug,
                 "--check", "core.officer_without_2fa")
    out = capsys.readouterr().out
    assert "OK" in out and "3 new" in out
    assert CheckRun.objects.get().tenant == world.serang.tenant


def test_the_command_runs_every_tenant(world, capsys):
    call_command("integrity_run")
    assert CheckRun.objects.count() == 2


def test_the_command_exits_1_when_a_check_fails(world, scripted, capsys):
    scripted.answer = ValueError("rusak")
    with pytest.raises(SystemExit) as caught:
        call_command("integrity_run", "--tenant", world.serang.tenant.slug, "--check", "core.itest_scripted")
    assert caught.value.code == 1
    assert "core.itest_scripted: ValueError: rusak" in capsys.readouterr().out


def test_the_command_names_the_known_checks_for_a_typo(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="core.officer_without_2fa"):
        call_command("integrity_run", "--check", "core.officer_without_2faa")
    with pytest.raises(CommandError, match="No tenant"):
        call_command("integrity_run", "--tenant", "kota-antah")
