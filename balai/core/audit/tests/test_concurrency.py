"""Concurrent writers on PostgreSQL: the chain head lock hands out each seq exactly once."""

import threading

import pytest
from django.db import connection, connections, transaction

from balai.core.audit.models import AuditEntry
from balai.core.audit.services import audit_record
from balai.core.audit.verify import verify_chain
from balai.core.tenants.services import tenant_create

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real parallel transactions need PostgreSQL"),
]


def _race(tenant, writers: int) -> list[BaseException]:
    barrier, errors = threading.Barrier(writers), []

    def write(n):
        try:
            barrier.wait()
            with transaction.atomic():
                audit_record(tenant=tenant, actor=None, action="permits.application_submit", object_id=n)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_writers_make_one_unbroken_chain():
    tenant = tenant_create(code="36.73")
    # The first race also contends for creating the chain's head row; the second for an existing one.
    assert _race(tenant, 20) == []
    assert _race(tenant, 20) == []

    seqs = list(AuditEntry.objects.filter(tenant=tenant).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 41))
    assert AuditEntry.objects.filter(tenant=tenant).values("prev_hash").distinct().count() == 40
    result = verify_chain(tenant)
    assert result.ok and result.checked == 40
