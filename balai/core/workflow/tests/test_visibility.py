"""A module decides who opens its files on the engine's pages (`register_workflow(..., may_view=)`): the
others find nothing in the inbox and are refused a file's page (403, audited); the administrator still
hands an open file out, seeing where it stands but not its history or the officers' notes."""

import pytest
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.core.workflow import definitions
from balai.core.workflow.services import transition
from balai.core.workflow.tests.workflows import CODE, TEST_PERMIT, definition, submitted
from balai.testing.clients import login
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db

TITLE = "REG-3673-2026-000777"
NOTE = "Foto KTP buram, unggah ulang yang terbaca"


def url(name, tenant, **kwargs):
    return reverse(f"workflow:{name}", kwargs={"tenant": tenant.slug, **kwargs})


@pytest.fixture
def only_budi(world, monkeypatch):
    """The test workflow's module lets only Budi (the officer persona) open its files."""
    budi = world.serang.people["officer"]

    def may_view(*, tenant, user):
        return user.pk == budi.pk

    entry = definitions.Registered(TEST_PERMIT, definitions.digest_of(TEST_PERMIT), may_view=may_view)
    monkeypatch.setitem(definitions._workflows, CODE, entry)
    return budi


@pytest.fixture
def returned_once(world, moment, only_budi):
    """A file in verification again after Budi returned it with a note."""
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"], title=TITLE)
    transition(instance=instance, action="return", actor=only_budi, comment=NOTE)
    transition(instance=instance, action="resubmit", actor=serang.people["citizen"])
    return instance


def refusals(tenant, instance):
    return AuditEntry.objects.filter(
        tenant=tenant, action="workflow.instance_view_refused", object_id=str(instance.pk)
    )


def test_the_officer_the_module_lets_in_sees_the_file_whole(client, world, returned_once, only_budi):
    login(client, only_budi)
    assert TITLE in client.get(url("inbox", world.serang.tenant)).content.decode()
    page = client.get(url("instance_detail", world.serang.tenant, pk=returned_once.pk)).content.decode()
    assert TITLE in page and NOTE in page and "Riwayat" in page


def test_an_officer_the_module_does_not_let_in_is_refused_and_the_refusal_is_audited(
    client, world, returned_once
):
    serang = world.serang
    inspector = serang.people["inspector"]  # an officer ("dashboard.view") with no role in this workflow
    login(client, inspector)
    response = client.get(url("instance_detail", serang.tenant, pk=returned_once.pk))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Akses ditolak" in body and TITLE not in body and NOTE not in body
    entry = refusals(serang.tenant, returned_once).get()
    assert entry.actor_id == inspector.pk and entry.data == {"code": CODE, "reason": "module_rule"}
    assert TITLE not in entry.object_repr
    assert (
        client.post(url("instance_assign", serang.tenant, pk=returned_once.pk), {"assignee": ""}).status_code
        == 403
    )
    assert refusals(serang.tenant, returned_once).count() == 2


def test_the_inbox_leaves_out_files_the_module_keeps_from_the_viewer(client, world, returned_once):
    serang = world.serang
    # Irfan verifies in this workflow (core.officer) but the module does not let him open its files.
    irfan = make_person("Irfan Hakim", tenant=serang.tenant, roles=["core.officer"])
    login(client, irfan)
    page = client.get(url("inbox", serang.tenant)).content.decode()
    assert TITLE not in page and "Tidak ada berkas yang menunggu Anda" in page


def test_the_administrator_hands_a_file_out_without_seeing_its_history_or_notes(
    client, world, returned_once, only_budi
):
    serang = world.serang
    admin = serang.people["admin"]
    login(client, admin)
    detail = url("instance_detail", serang.tenant, pk=returned_once.pk)
    page = client.get(detail)
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Berkas #{returned_once.pk}" in body and "Verifikasi" in body and "Simpan penugasan" in body
    assert TITLE not in body and NOTE not in body and "Riwayat" not in body
    response = client.post(
        url("instance_assign", serang.tenant, pk=returned_once.pk),
        {"assignee": only_budi.pk, "reason": "Pembagian beban kerja bulan ini"},
    )
    assert response.status_code == 303
    returned_once.refresh_from_db()
    assert returned_once.assignee == only_budi
    body = client.get(detail).content.decode()
    assert "Budi Santoso" in body and TITLE not in body and "Pembagian beban kerja" not in body
    assert not refusals(serang.tenant, returned_once).exists()


def test_a_closed_file_is_refused_to_the_administrator_who_may_not_open_it(
    client, world, returned_once, only_budi
):
    serang = world.serang
    transition(
        instance=returned_once, action="reject", actor=only_budi, comment="Bukan kewenangan Pemda ini."
    )
    login(client, serang.people["admin"])
    assert client.get(url("instance_detail", serang.tenant, pk=returned_once.pk)).status_code == 403
    assert refusals(serang.tenant, returned_once).get().actor_id == serang.people["admin"].pk


def test_another_tenants_file_is_not_found(client, world, moment, only_budi):
    foreign = submitted(world.cilegon.tenant, world.cilegon.people["citizen"], title=TITLE)
    login(client, only_budi)
    assert client.get(url("instance_detail", world.serang.tenant, pk=foreign.pk)).status_code == 404
    assert not AuditEntry.objects.filter(action="workflow.instance_view_refused").exists()


def test_register_workflow_keeps_the_modules_rule(monkeypatch):
    monkeypatch.setattr(definitions, "_workflows", dict(definitions._workflows))

    def rule(*, tenant, user):
        return False

    data = definition(code="tests.visibility")
    definitions.register_workflow(data, may_view=rule)
    assert definitions.registered_workflow("tests.visibility").may_view is rule
