"""Triage: a note is required, the history and the audit chain keep it, the concerned never triage."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from balai.core.accounts.models import Membership
from balai.core.audit.models import AuditEntry
from balai.core.integrity.models import CheckRun, Finding, FindingNote
from balai.core.integrity.services import checks_run, finding_triage

from .conftest import draft


@pytest.fixture
def finding(world, scripted):
    officer = world.serang.people["officer"]
    scripted.answer = [draft(officer, concerns=[officer])]
    checks_run(tenant=world.serang.tenant, codes=["core.itest_scripted"], trigger=CheckRun.Trigger.ON_DEMAND)
    return Finding.objects.get(tenant=world.serang.tenant)


def test_it_needs_a_note(world, finding):
    with pytest.raises(ValidationError) as caught:
        finding_triage(finding=finding, status="dismissed", note="   ", actor=world.serang.people["inspector"])
    assert "note" in caught.value.message_dict
    finding.refresh_from_db()
    assert finding.status == "open" and not FindingNote.objects.exists()


def test_it_records_the_note_the_status_change_and_the_audit_entry(world, finding):
    inspector = world.serang.people["inspector"]
    note = finding_triage(finding=finding, status="explained", note="Cuti sakit, ada surat dokter.", actor=inspector)
    finding.refresh_from_db()
    assert finding.status == "explained" and finding.status_changed_at is not None
    assert (note.author, note.status_from, note.status_to, note.text) == (
        inspector, "open", "explained", "Cuti sakit, ada surat dokter."
    )
    entry = AuditEntry.objects.filter(tenant=world.serang.tenant, action="integrity.finding_triage").get()
    assert entry.actor_id == inspector.pk and entry.object_id == str(finding.pk)
    assert (entry.data["from"], entry.data["to"]) == ("open", "explained")
    assert "Cuti sakit" not in str(entry.data)  # the note may name people; only its digest is chained


def test_keeping_the_status_adds_a_note_to_the_history(world, finding):
    inspector = world.serang.people["inspector"]
    finding_triage(finding=finding, status="open", note="Menunggu jawaban OPD.", actor=inspector)
    finding_triage(finding=finding, status="escalated", note="Tidak ada jawaban; diteruskan.", actor=inspector)
    history = list(FindingNote.objects.filter(finding=finding).values_list("status_from", "status_to"))
    assert history == [("open", "open"), ("open", "escalated")]


def test_it_refuses_a_status_change_the_finding_does_not_allow(world, finding):
    inspector = world.serang.people["inspector"]
    finding_triage(finding=finding, status="explained", note="Wajar.", actor=inspector)
    with pytest.raises(ValidationError) as caught:
        finding_triage(finding=finding, status="dismissed", note="Abaikan saja.", actor=inspector)
    assert "status" in caught.value.message_dict
    assert FindingNote.objects.filter(finding=finding).count() == 1


def test_the_person_concerned_cannot_triage_even_as_an_inspector(world, finding):
    officer = world.serang.people["officer"]
    membership = Membership.objects.get(tenant=world.serang.tenant, user=officer)
    membership.roles = ["core.officer", "core.inspector"]
    membership.save(update_fields=["roles"])
    officer.__dict__.pop("_balai_memberships", None)
    with pytest.raises(PermissionDenied):
        finding_triage(finding=finding, status="dismissed", note="Tidak ada apa-apa.", actor=officer)
    finding.refresh_from_db()
    assert finding.status == "open"
    refused = AuditEntry.objects.get(tenant=world.serang.tenant, action="integrity.finding_triage_refused")
    assert refused.actor_id == officer.pk


def test_only_inspectors_of_the_tenant_triage(world, finding):
    with pytest.raises(PermissionDenied):
        finding_triage(finding=finding, status="dismissed", note="Saya admin.", actor=world.serang.people["admin"])
    with pytest.raises(PermissionDenied):
        finding_triage(finding=finding, status="dismissed", note="Inspektur tetangga.", actor=world.cilegon.people["inspector"])
