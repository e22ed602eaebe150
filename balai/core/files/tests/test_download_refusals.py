"""A refused download looks like a missing file (404) but is recorded on the tenant's audit chain, so that
an insider reaching for files that are not his leaves a trace."""

import pytest
from django.test import Client
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.core.files import rules, services
from balai.testing.clients import login
from balai.testing.personas import make_person

from .factories import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(world):
    return services.file_store(
        tenant=world.serang.tenant,
        upload=pdf_bytes(),
        name="KTP Citra.pdf",
        purpose="sample.identity",
        actor=world.serang.people["citizen"],
    )


@pytest.fixture
def inspectorate_only(monkeypatch):
    """The sample module lets only the inspectorate download its files."""

    def rule(user, tenant, stored_file):
        from balai.core.accounts.selectors import user_has_perm

        return user_has_perm(user=user, tenant=tenant, perm="integrity.view")

    monkeypatch.setitem(rules._download_rules, "sample.", rule)


def get_as(user, tenant, stored):
    client = Client()
    login(client, user)
    return client.get(
        reverse("files:download", kwargs={"tenant": tenant.slug, "public_id": stored.public_id})
    )


def refusals(tenant):
    return AuditEntry.objects.filter(tenant=tenant, action="files.download_refused")


def test_an_officer_the_module_refuses_gets_404_and_the_refusal_is_audited(world, stored, inspectorate_only):
    officer = world.serang.people["officer"]
    assert get_as(officer, world.serang.tenant, stored).status_code == 404
    entry = refusals(world.serang.tenant).get()
    assert entry.actor_id == officer.pk and entry.object_id == str(stored.pk)
    assert entry.data == {"purpose": "sample.identity"}
    assert get_as(world.serang.people["inspector"], world.serang.tenant, stored).status_code == 200
    assert refusals(world.serang.tenant).count() == 1


def test_another_citizens_reach_is_audited_too(world, stored):
    neighbour = make_person("Hana Pertiwi", tenant=world.serang.tenant, roles=["core.citizen"])
    assert get_as(neighbour, world.serang.tenant, stored).status_code == 404
    assert refusals(world.serang.tenant).get().actor_id == neighbour.pk


def test_a_file_that_is_not_in_the_tenant_leaves_nothing_to_audit(world, stored):
    stranger = world.cilegon.people["officer"]
    assert get_as(stranger, world.cilegon.tenant, stored).status_code == 404
    assert not AuditEntry.objects.filter(action="files.download_refused").exists()
