"""The daily digest: the head of each chain at the end of a day in the tenant's own time zone."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from balai.core.audit.models import GENESIS_HASH, AuditDigest, AuditEntry
from balai.core.audit.services import audit_digest_publish, audit_record, day_bounds, digest_all_tenants
from balai.core.tenants.services import tenant_create

from .chains import chain, head

# A day before the test world existed (its tenants' chains were still empty then)...
DAY = date.today() - timedelta(days=5)
# ...and one after it was set up, for entries that must follow the world's own in time as in seq.
AHEAD = date.today() + timedelta(days=5)


def _record_at(moment, tenant, action="orgs.unit_create"):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return audit_record(tenant=tenant, actor=None, action=action)


def _utc(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _publish_after(day, tenant):
    """Publish `day` as the nightly job does once it has ended everywhere (two days later)."""
    with mock.patch("django.utils.timezone.now", return_value=_utc(day + timedelta(days=2), 0)):
        return audit_digest_publish(tenant=tenant, day=day)


def test_it_publishes_the_head_at_the_end_of_the_day_in_the_tenants_time_zone(world):
    serang = world.serang.tenant  # WIB, UTC+7
    jayapura = tenant_create(code="91.71")  # WIT, UTC+9
    [created] = chain(jayapura)  # its chain starts with its own creation
    assert (created.seq, created.prev_hash, created.action) == (1, GENESIS_HASH, "tenants.tenant_create")
    base = head(serang)
    # 16:30 UTC is 23:30 WIB (still AHEAD in Serang) but 01:30 WIT (already the next day in Jayapura).
    _record_at(_utc(AHEAD, 1), serang)
    late = _record_at(_utc(AHEAD, 16, 30), serang)
    _record_at(_utc(AHEAD, 17, 30), serang)  # 00:30 WIB, the next day
    early = _record_at(_utc(AHEAD, 1), jayapura)
    _record_at(_utc(AHEAD, 16, 30), jayapura)

    # The head at the end of the day counts every earlier entry; `entries` only those of that day.
    in_serang = _publish_after(AHEAD, serang)
    assert (in_serang.seq, in_serang.head_hash, in_serang.entries) == (base.seq + 2, late.hash, 2)
    in_jayapura = _publish_after(AHEAD, jayapura)
    assert (in_jayapura.seq, in_jayapura.head_hash, in_jayapura.entries) == (2, early.hash, 1)


def test_publishing_is_idempotent(world):
    tenant = world.serang.tenant
    entry = _record_at(_utc(AHEAD, 3), tenant)
    first = _publish_after(AHEAD, tenant)
    assert (first.seq, first.head_hash, first.entries) == (entry.seq, entry.hash, 1)
    _record_at(_utc(AHEAD, 4), tenant)  # arrives late, after publication
    again = _publish_after(AHEAD, tenant)
    assert again.pk == first.pk and (again.seq, again.head_hash, again.entries) == (entry.seq, entry.hash, 1)
    assert AuditDigest.objects.filter(tenant=tenant, day=AHEAD).count() == 1


def test_a_day_that_has_not_ended_cannot_be_published(world):
    today = timezone.localdate()
    for day in (today, today + timedelta(days=1)):
        with pytest.raises(ValueError, match="not ended"):
            audit_digest_publish(tenant=world.serang.tenant, day=day)


def test_an_empty_chain_is_published_as_the_genesis(world):
    # At the end of DAY Kota Cilegon had not been created yet: its chain had no entry.
    assert chain(world.cilegon.tenant)[0].created_at > day_bounds(world.cilegon.tenant, DAY)[1]
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
    serang = world.serang.tenant
    start, end = day_bounds(serang, timezone.localdate())
    earlier_today = AuditEntry.objects.filter(tenant=serang, created_at__gte=start, created_at__lt=end).count()
    entry = audit_record(tenant=serang, actor=None, action="orgs.unit_create")
    platform = head(None)
    out, today = StringIO(), timezone.localdate().isoformat()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=1)):
        call_command("audit_digest", "--day", today, stdout=out)
    assert f"kota-serang {today} seq {entry.seq} {entry.hash} ({earlier_today + 1} entries)" in out.getvalue()
    assert f"platform {today} seq {platform.seq} {platform.hash} " in out.getvalue()
