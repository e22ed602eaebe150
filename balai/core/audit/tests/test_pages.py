"""The public digest pages show hashes and counts only; inspectors see the entries themselves."""

from datetime import timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from balai.core.audit.models import AuditEntry
from balai.core.audit.services import audit_digest_publish, audit_record, day_bounds
from balai.testing.clients import login

from .chains import chain, head


def _publish_today(tenant):
    """Publish today's digest as the nightly job will once today has ended."""
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=1)):
        return audit_digest_publish(tenant=tenant, day=timezone.localdate() - timedelta(days=1))


def _entry(world, action="orgs.unit_create"):
    return audit_record(
        tenant=world.serang.tenant, actor=world.serang.people["admin"], action=action, object_repr="Dinas Rahasia"
    )


def test_the_public_page_shows_each_tenants_head_hash_and_nothing_personal(world, client):
    start, end = day_bounds(world.serang.tenant, timezone.localdate())
    earlier_today = AuditEntry.objects.filter(tenant=world.serang.tenant, created_at__gte=start, created_at__lt=end).count()
    entry = _entry(world)
    digest = _publish_today(world.serang.tenant)
    assert digest.head_hash == entry.hash
    response = client.get(reverse("audit:digest"))
    assert response.status_code == 200
    page = response.content.decode()
    assert digest.head_hash in page and world.serang.tenant.name in page
    assert world.serang.people["admin"].full_name not in page and "Dinas Rahasia" not in page

    data = client.get(reverse("audit:digest_json")).json()
    assert data["digests"] == [
        {
            "tenant": "kota-serang",
            "tenant_code": "36.73",
            "day": timezone.localdate().isoformat(),
            "seq": entry.seq,
            "entries": earlier_today + 1,
            "head_hash": digest.head_hash,
            "published_at": digest.created_at.isoformat(),
        }
    ]


def test_the_public_page_shows_only_the_latest_digest_of_each_chain(world, client):
    tenant = world.serang.tenant
    older = audit_digest_publish(tenant=tenant, day=timezone.localdate() - timedelta(days=3))
    _entry(world)
    latest = _publish_today(tenant)
    page = client.get(reverse("audit:digest")).content.decode()
    assert latest.head_hash in page and older.head_hash not in page


def test_the_tenant_page_lists_the_last_30_days(world, client):
    tenant = world.serang.tenant
    _entry(world)
    today = timezone.localdate()
    digests = [audit_digest_publish(tenant=tenant, day=today - timedelta(days=n)) for n in range(1, 33)]
    other = audit_digest_publish(tenant=world.cilegon.tenant, day=today - timedelta(days=1))
    response = client.get(reverse("audit_tenant:digest", kwargs={"tenant": tenant.slug}))
    assert response.status_code == 200
    assert [d.day for d in response.context["digests"]] == [d.day for d in digests[:30]]
    assert other not in response.context["digests"]

    data = client.get(reverse("audit_tenant:digest_json", kwargs={"tenant": tenant.slug})).json()
    assert len(data["digests"]) == 30 and data["digests"][0]["day"] == (today - timedelta(days=1)).isoformat()


def test_an_inspector_sees_the_entries_and_can_filter_by_action(world, client):
    earlier = [e.action for e in reversed(chain(world.serang.tenant))]
    base = head(world.serang.tenant)
    _entry(world, "orgs.unit_create")
    _entry(world, "orgs.unit_rename")
    audit_record(tenant=world.cilegon.tenant, actor=None, action="orgs.unit_delete")
    login(client, world.serang.people["inspector"])
    url = reverse("audit_tenant:entries", kwargs={"tenant": world.serang.tenant.slug})

    response = client.get(url)
    assert response.status_code == 200
    # Newest first, 50 a page: the test's two entries, then what the tenant's chain already held; no other tenant's.
    expected = ["orgs.unit_rename", "orgs.unit_create", *earlier][:50]
    assert [e.action for e in response.context["page"].object_list] == expected
    assert world.serang.people["admin"].full_name in response.content.decode()

    response = client.get(url, {"action": "orgs.unit_rename"})
    assert [e.seq for e in response.context["page"].object_list] == [base.seq + 2]

    response = client.get(url, {"action": "orgs.unit_delete"})  # another tenant's action: not a choice here
    assert response.status_code == 400
    assert "pilih salah satu dari daftar" in response.content.decode()


def test_officers_without_the_inspectors_permission_cannot_see_entries(world, client):
    login(client, world.serang.people["admin"])
    response = client.get(reverse("audit_tenant:entries", kwargs={"tenant": world.serang.tenant.slug}))
    assert response.status_code == 403
