"""The daily digest: the head of each chain at the end of a day in the tenant's own time zone."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from balai.core.audit.models import GENESIS_HASH, AuditDigest
from balai.core.audit.services import audit_digest_publish, audit_record, digest_all_tenants
from balai.core.tenants.services import tenant_create

DAY = date.today() - timedelta(days=5)


def _record_at(moment, tenant, action="orgs.unit_create"):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return audit_record(tenant=tenant, actor=None, action=action)


def _utc(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_it_publishes_the_head_at_the_end_of_the_day_in_the_tenants_time_zone(world):
    serang = world.serang.tenant  # WIB, UTC+7
    jayapura = tenant_create(code="91.71")  # WIT, UTC+9
    # 16:30 UTC is 23:30 WIB (still DAY in Serang) but 01:30 WIT (already the next day in Jayapura).
    _record_at(_utc(DAY, 1), serang)
    late = _record_at(_utc(DAY, 16, 30), serang)
    _record_at(_utc(DAY, 17, 30), serang)  # 00:30 WIB, the next day
    early = _record_at(_utc(DAY, 1), jayapura)
    _record_at(_utc(DAY, 16, 30), jayapura)

    in_serang = audit_digest_publish(tenant=serang, day=DAY)
    assert (in_serang.seq, in_serang.head_hash, in_serang.entries) == (2, late.hash, 2)
    in_jayapura = audit_digest_publish(tenant=jayapura, day=DAY)
    assert (in_jayapura.seq, in_jayapura.head_hash, in_jayapura.entries) == (1, early.hash, 1)


def test_publishing_is_idempotent(world):
    tenant = world.serang.tenant
    _record_at(_utc(DAY, 3), tenant)
    first = audit_digest_publish(tenant=tenant, day=DAY)
    _record_at(_utc(DAY, 4), tenant)  # arrives late, after publication
    again = audit_digest_publish(tenant=tenant, day=DAY)
    assert again.pk == first.pk and again.seq == 1 and again.head_hash == first.head_hash
    assert AuditDigest.objects.filter(tenant=tenant, day=DAY).count() == 1


def test_a_day_that_has_not_ended_cannot_be_published(world):
    today = timezone.localdate()
    for day in (today, today + timedelta(days=1)):
        with pytest.raises(ValueError, match="not ended"):
            audit_digest_publish(tenant=world.serang.tenant, day=day)


def test_an_empty_chain_is_published_as_the_genesis(world):
    digest = audit_digest_publish(tenant=world.cilegon.tenant, day=DAY)
    assert (digest.seq, digest.head_hash, digest.entries) == (0, GENESIS_HASH, 0)


def test_it_publishes_every_chain_for_yesterday(world):
    entry = audit_record(tenant=world.serang.tenant, actor=None, action="orgs.unit_create")
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=1)):
        published = digest_all_tenants()
    chains = {d.tenant_id: d for d in published}
    assert set(chains) == {None, world.serang.tenant.pk, world.cilegon.tenant.pk}
    assert chains[world.serang.tenant.pk].head_hash == entry.hash
    assert chains[world.serang.tenant.pk].day == timezone.localdate()


def test_the_digest_command_prints_each_chains_head(world):
    entry = audit_record(tenant=world.serang.tenant, actor=None, action="orgs.unit_create")
    out, today = StringIO(), timezone.localdate().isoformat()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=1)):
        call_command("audit_digest", "--day", today, stdout=out)
    assert f"kota-serang {today} seq 1 {entry.hash} (1 entries)" in out.getvalue()
    assert "platform" in out.getvalue()
