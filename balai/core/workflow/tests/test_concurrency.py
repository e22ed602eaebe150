"""Fifty officers press the same button at once, on PostgreSQL: one transition happens, one history row."""

import threading

import pytest
from django.db import connection, connections

from balai.core.audit.models import AuditEntry
from balai.core.audit.verify import verify_chain
from balai.core.workflow.models import Transition, WorkflowInstance
from balai.core.workflow.services import TransitionDenied, transition
from balai.core.workflow.tests.workflows import submitted
from balai.testing.personas import build_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real parallel transactions need PostgreSQL"),
]

ATTEMPTS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_identical_transitions_leave_exactly_one():
    world = build_world()
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    officer = serang.people["officer"]
    barrier = threading.Barrier(ATTEMPTS)
    succeeded, denied, errors = [], [], []

    def attempt():
        try:
            own = WorkflowInstance.objects.select_related("tenant").get(pk=instance.pk)  # each its own copy
            barrier.wait()
            succeeded.append(transition(instance=own, action="verify", actor=officer))
        except TransitionDenied as exc:
            denied.append(exc.code)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(succeeded) == 1
    assert denied == ["state"] * (ATTEMPTS - 1)  # the others found the file already verified
    assert Transition.objects.filter(instance=instance, action="verify").count() == 1
    assert list(Transition.objects.filter(instance=instance).values_list("seq", flat=True).order_by("seq")) == [1, 2]
    instance.refresh_from_db()
    assert (instance.state, instance.state_entered_seq) == ("approval", 2)
    assert AuditEntry.objects.filter(tenant=serang.tenant, action="workflow.transition").count() == 2
    assert AuditEntry.objects.filter(tenant=serang.tenant, action="workflow.transition_refused").count() == ATTEMPTS - 1
    assert verify_chain(serang.tenant).ok
