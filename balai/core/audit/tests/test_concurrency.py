"""Concurrent writers on PostgreSQL: the chain head lock hands out each seq exactly once."""

import threading

import pytest
from django.db import connection, connections, transaction

from balai.core.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
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
    # On a fresh installation no chain has a head row yet: this race also contends for creating it.
    assert not AuditChainHead.objects.exists() and not AuditEntry.objects.exists()
    assert _race(None, 20) == []
    assert verify_chain(None).ok and verify_chain(None).checked == 20

    tenant = tenant_create(code="36.73")
    # Its chain starts with exactly its own creation; both races contend for that existing head row.
    created = AuditEntry.objects.get(tenant=tenant)
    assert (created.seq, created.prev_hash, created.action) == (1, GENESIS_HASH, "tenants.tenant_create")
    assert _race(tenant, 20) == []
    assert _race(tenant, 20) == []

    seqs = list(AuditEntry.objects.filter(tenant=tenant).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 42))
    assert AuditEntry.objects.filter(tenant=tenant).values("prev_hash").distinct().count() == 41
    result = verify_chain(tenant)
    assert result.ok and result.checked == 41
    # Creating the tenant noted it on the platform chain, right after the platform's race.
    platform = verify_chain(None)
    assert platform.ok and platform.checked == 21
