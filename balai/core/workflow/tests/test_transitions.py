"""The one transition service: who may move a file, what it needs, and what it records."""

from datetime import date

import pytest

from balai.core.accounts.models import Membership
from balai.core.audit.models import AuditEntry
from balai.core.files.models import StoredFile
from balai.core.workflow import services
from balai.core.workflow.models import Transition
from balai.core.workflow.selectors import available_actions, timeline
from balai.core.workflow.services import TransitionDenied, transition
from balai.core.workflow.tests.workflows import start, subject, submitted
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db


def refusals(tenant):
    return AuditEntry.objects.filter(tenant=tenant, action="workflow.transition_refused")


def test_it_counts_the_sla_across_idul_fitri_and_pauses_while_the_file_is_returned(world, moment):
    serang = world.serang
    citizen, officer, admin = serang.people["citizen"], serang.people["officer"], serang.people["admin"]
    instance = start(serang.tenant, citizen)
    assert instance.state == "draft" and instance.due_date is None

    # Monday 16 March 2026: received. Day 1 is the 17th; 18-24 March are Nyepi, Idul Fitri and cuti bersama.
    moment.set(2026, 3, 16, 9, 0)
    transition(instance=instance, action="submit", actor=citizen, documents=["ktp.pdf"])
    assert instance.state == "verification"
    # The step's SLA of 3 working days (17, 25, 26 March) comes before the file's 5 (30 March).
    assert instance.due_date == date(2026, 3, 26)

    # Wednesday 25 March: returned for correction after 2 working days (17 and 25 March).
    moment.set(2026, 3, 25, 10, 0)
    row = transition(instance=instance, action="return", actor=officer, comment="Foto KTP buram; unggah ulang.")
    assert row.sla_remaining_days == 3
    assert row.step_remaining_days == 1
    # The file's clock stands still; the applicant's own 10 working days run (Good Friday 3 April is off).
    assert instance.due_date == date(2026, 4, 9)
    assert instance.clock_intervals[-1][1] is not None

    # Wednesday 1 April: the applicant resubmits; the file resumes with 3 working days left: 2, 6, 7 April.
    moment.set(2026, 4, 1, 9, 0)
    row = transition(instance=instance, action="resubmit", actor=citizen)
    assert row.sla_remaining_days == 3  # nothing was counted while it was with the applicant
    assert instance.due_date == date(2026, 4, 7)

    moment.set(2026, 4, 2, 11, 0)
    row = transition(instance=instance, action="verify", actor=officer)
    assert row.sla_remaining_days == 2
    assert instance.due_date == date(2026, 4, 7)

    moment.set(2026, 4, 6, 14, 0)
    row = transition(instance=instance, action="approve", actor=admin)
    assert row.sla_remaining_days == 1
    assert instance.state == "approved" and instance.is_terminal and instance.due_date is None

    line = timeline(instance=instance, now=moment.value)
    assert [s.action for s in line.steps] == ["submit", "return", "resubmit", "verify", "approve"]
    assert line.elapsed_days == 4  # 17 and 25 March, 2 and 6 April
    assert line.paused_days == 5  # 26, 27, 30, 31 March and 1 April
    assert line.steps[1].paused_from_here and line.steps[1].comment == "Foto KTP buram; unggah ulang."
    assert line.steps[0].to_label == "Verifikasi"


def test_it_records_who_when_from_to_and_the_audit_entry(world, moment):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    row = Transition.objects.get(instance=instance)
    assert (row.seq, row.action, row.from_state, row.to_state) == (1, "submit", "draft", "verification")
    assert row.actor == serang.people["citizen"] and row.actor_label == "Citra Dewi"
    assert row.documents == ["ktp.pdf"] and row.at == moment.value
    entry = AuditEntry.objects.filter(tenant=serang.tenant, action="workflow.transition").get()
    assert entry.object_id == str(instance.pk)
    assert entry.data["action"] == "submit" and entry.data["to"] == "verification" and entry.data["seq"] == 1


def test_a_wrong_role_is_refused_with_a_clear_message_and_audited(world, moment):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="verify", actor=serang.people["inspector"])
    assert denied.value.code == "role"
    assert "Nyatakan lengkap" in denied.value.message and "peran" in denied.value.message
    assert denied.value.audited
    entry = refusals(serang.tenant).get()
    assert entry.actor_id == serang.people["inspector"].pk and entry.data["reason"] == "role"
    instance.refresh_from_db()
    assert instance.state == "verification" and instance.transitions.count() == 1


def test_roles_count_only_in_the_files_own_tenant(world, moment):
    instance = submitted(world.serang.tenant, world.serang.people["citizen"])
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="verify", actor=world.cilegon.people["officer"])
    assert denied.value.code == "role"


def test_only_the_owner_acts_as_the_owner(world, moment):
    serang = world.serang
    instance = start(serang.tenant, serang.people["citizen"])
    other_citizen = make_person("Hana Putri", tenant=serang.tenant, roles=["core.citizen"])
    with pytest.raises(TransitionDenied):
        transition(instance=instance, action="submit", actor=other_citizen, documents=["x.pdf"])
    with pytest.raises(TransitionDenied):  # an officer is not the applicant either
        transition(instance=instance, action="submit", actor=serang.people["officer"], documents=["x.pdf"])
    transition(instance=instance, action="submit", actor=serang.people["citizen"], documents=["x.pdf"])
    assert instance.state == "verification"


def test_an_action_from_another_state_is_refused(world, moment):
    serang = world.serang
    instance = start(serang.tenant, serang.people["citizen"])
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="approve", actor=serang.people["admin"])
    assert denied.value.code == "state" and "Draf" in denied.value.message


def test_a_finished_file_takes_no_more_actions(world, moment):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    transition(instance=instance, action="withdraw", actor=serang.people["citizen"])
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="verify", actor=serang.people["officer"])
    assert denied.value.code == "terminal"
    assert available_actions(instance=instance, user=serang.people["officer"]) == []


def test_requirements_name_what_is_missing(world, moment):
    serang = world.serang
    instance = start(serang.tenant, serang.people["citizen"])
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="submit", actor=serang.people["citizen"])
    assert denied.value.code == "documents" and "Lampirkan dokumen" in denied.value.message
    transition(instance=instance, action="submit", actor=serang.people["citizen"], documents=["ktp.pdf"])
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="return", actor=serang.people["officer"], comment="   ")
    assert denied.value.code == "comment" and "Tulis catatan" in denied.value.message


def test_documents_of_another_tenant_are_refused(world, moment):
    serang, cilegon = world.serang, world.cilegon
    foreign = StoredFile.objects.create(
        tenant=cilegon.tenant, purpose="test", original_name="ktp.pdf", kind="pdf", content_type="application/pdf",
        size=10, sha256="0" * 64, storage_key="x/ktp.pdf",
    )
    instance = start(serang.tenant, serang.people["citizen"])
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="submit", actor=serang.people["citizen"], documents=[foreign])
    assert denied.value.code == "documents"
    own = StoredFile.objects.create(
        tenant=serang.tenant, purpose="test", original_name="ktp.pdf", kind="pdf", content_type="application/pdf",
        size=10, sha256="0" * 64, storage_key="y/ktp.pdf",
    )
    row = transition(instance=instance, action="submit", actor=serang.people["citizen"], documents=[own])
    assert row.documents == [str(own.public_id)]


def test_an_assigned_file_is_acted_on_only_by_its_assignee(world, moment):
    serang = world.serang
    officer = serang.people["officer"]
    colleague = make_person("Irfan Hakim", tenant=serang.tenant, roles=["core.officer"])
    instance = submitted(serang.tenant, serang.people["citizen"])
    services.instance_assign(instance=instance, assignee=colleague, actor=officer)
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="verify", actor=officer)
    assert denied.value.code == "assignee" and "Irfan Hakim" in denied.value.message
    assert [a.code for a in available_actions(instance=instance, user=officer)] == []
    transition(instance=instance, action="verify", actor=colleague)
    assert instance.state == "approval"
    assert instance.assignee is None  # a new step starts unassigned


def test_assignee_only_actions_need_an_assignment(world, moment, monkeypatch):
    from balai.core.workflow.tests.workflows import TEST_PERMIT

    data = {**TEST_PERMIT, "code": "tests.assigned"}
    data["actions"] = [dict(a, assignee_only=True) if a["code"] == "verify" else a for a in TEST_PERMIT["actions"]]
    _register(monkeypatch, data)
    serang = world.serang
    instance = services.instance_start(
        tenant=serang.tenant, code="tests.assigned", subject=subject(serang.tenant), owner=serang.people["citizen"],
        actor=None,
    )
    transition(instance=instance, action="submit", actor=serang.people["citizen"], documents=["a.pdf"])
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="verify", actor=serang.people["officer"])
    assert denied.value.code == "unassigned"
    services.instance_assign(instance=instance, assignee=serang.people["officer"], actor=serang.people["officer"])
    transition(instance=instance, action="verify", actor=serang.people["officer"])


def _register(monkeypatch, data):
    from balai.core.workflow import definitions

    monkeypatch.setitem(definitions._workflows, data["code"], definitions.Registered(data, definitions.digest_of(data)))


def test_whoever_verified_may_not_approve(world, moment):
    serang = world.serang
    admin = serang.people["admin"]  # holds core.officer and core.tenant_admin
    instance = submitted(serang.tenant, serang.people["citizen"])
    transition(instance=instance, action="verify", actor=admin)
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="approve", actor=admin)
    assert denied.value.code == "separation" and "pemisahan tugas" in denied.value.message
    blocked = {a.code: a.blocked for a in available_actions(instance=instance, user=admin)}
    assert blocked["approve"] and blocked["reject"] is None
    head = make_person("Joko Widodo", tenant=serang.tenant, roles=["core.tenant_admin"])
    transition(instance=instance, action="approve", actor=head)
    assert instance.state == "approved"


def test_a_stale_form_is_refused(world, moment):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    seen = instance.version
    transition(instance=instance, action="verify", actor=serang.people["officer"])
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="reject", actor=serang.people["admin"], comment="x", expected_version=seen)
    assert denied.value.code == "stale"


def test_module_guards_and_effects_run_under_the_lock(world, moment, monkeypatch):
    from balai.core.workflow import definitions
    from balai.core.workflow.tests.workflows import TEST_PERMIT

    seen = []
    monkeypatch.setitem(definitions._guards, "tests.bill_paid", lambda **kw: None if kw["data"].get("paid") else "Tagihan belum dibayar; bayar dulu.")
    monkeypatch.setitem(definitions._effects, "tests.issue", lambda **kw: seen.append(kw["transition"].seq))
    data = {**TEST_PERMIT, "code": "tests.guarded"}
    data["actions"] = [
        dict(a, guards=["tests.bill_paid"], effects=["tests.issue"]) if a["code"] == "verify" else a
        for a in TEST_PERMIT["actions"]
    ]
    _register(monkeypatch, data)
    serang = world.serang
    instance = services.instance_start(
        tenant=serang.tenant, code="tests.guarded", subject=subject(serang.tenant), owner=serang.people["citizen"], actor=None
    )
    transition(instance=instance, action="submit", actor=serang.people["citizen"], documents=["a.pdf"])
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=instance, action="verify", actor=serang.people["officer"])
    assert denied.value.message == "Tagihan belum dibayar; bayar dulu." and seen == []
    transition(instance=instance, action="verify", actor=serang.people["officer"], data={"paid": True})
    assert seen == [2]


def test_the_system_acts_only_through_system_actions(world, moment):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    with pytest.raises(TransitionDenied):
        transition(instance=instance, action="verify", actor=None)
    transition(instance=instance, action="verify", actor=serang.people["officer"])
    row = transition(instance=instance, action="approve", actor=None)
    assert row.actor is None and row.actor_label == "Sistem"


def test_an_inactive_membership_loses_its_roles(world, moment):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    Membership.objects.filter(user=serang.people["officer"], tenant=serang.tenant).update(is_active=False)
    with pytest.raises(TransitionDenied):
        transition(instance=instance, action="verify", actor=serang.people["officer"])


def test_notifications_go_to_the_applicant_and_the_new_assignee(world, moment, sent):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    assert sent == []  # the applicant did it themself; nobody else to tell
    transition(instance=instance, action="return", actor=serang.people["officer"], comment="Lengkapi NPWP.")
    assert len(sent) == 1
    assert sent[0]["template"] == "workflow.transition" and sent[0]["recipients"] == [serang.people["citizen"]]
    assert sent[0]["context"]["state_to"] == "Dikembalikan untuk diperbaiki"
    assert sent[0]["context"]["comment"] == "Lengkapi NPWP."


def test_a_refused_transition_inside_a_callers_transaction_is_recorded_when_it_commits(world, moment, django_capture_on_commit_callbacks):
    from django.db import transaction as db_transaction

    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    with django_capture_on_commit_callbacks(execute=True):
        with db_transaction.atomic():
            with pytest.raises(TransitionDenied) as denied:
                transition(instance=instance, action="verify", actor=serang.people["inspector"])
            assert not denied.value.audited
    assert refusals(serang.tenant).count() == 1


def test_fifo_asks_for_a_reason_to_take_a_later_file_first(world, moment, monkeypatch):
    from balai.core.workflow.tests.workflows import TEST_PERMIT

    data = {**TEST_PERMIT, "code": "tests.fifo"}
    data["actions"] = [dict(a, fifo=True) if a["code"] == "verify" else a for a in TEST_PERMIT["actions"]]
    _register(monkeypatch, data)
    serang = world.serang
    citizen = serang.people["citizen"]
    files = []
    for n in range(2):
        moment.set(2026, 5, 4, 9, n)
        instance = services.instance_start(
            tenant=serang.tenant, code="tests.fifo", subject=subject(serang.tenant), owner=citizen, actor=None
        )
        transition(instance=instance, action="submit", actor=citizen, documents=["a.pdf"])
        files.append(instance)
    with pytest.raises(TransitionDenied) as denied:
        transition(instance=files[1], action="verify", actor=serang.people["officer"])
    assert denied.value.code == "fifo" and "1 berkas lebih awal" in denied.value.message
    row = transition(instance=files[1], action="verify", actor=serang.people["officer"], reason_code="urgent")
    assert row.reason_code == "urgent"
    transition(instance=files[0], action="verify", actor=serang.people["officer"])
