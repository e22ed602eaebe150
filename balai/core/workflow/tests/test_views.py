"""The administrator's workflow pages and the officers' inbox."""

import json

import pytest
from django.urls import reverse

from balai.core.workflow.models import WorkflowDefinition
from balai.core.workflow.tests.workflows import CODE, TEST_PERMIT, definition, submitted
from balai.testing.clients import login

pytestmark = pytest.mark.django_db


def url(name, tenant, **kwargs):
    return reverse(f"workflow:{name}", kwargs={"tenant": tenant.slug, **kwargs})


def test_the_administrator_sees_the_workflow_as_a_table_and_a_path(client, world):
    serang = world.serang
    login(client, serang.people["admin"])
    listing = client.get(url("definition_list", serang.tenant)).content.decode()
    assert "Permohonan uji" in listing and CODE in listing
    page = client.get(url("definition_detail", serang.tenant, code=CODE)).content.decode()
    assert "Dikembalikan untuk diperbaiki" in page and "jam SLA berhenti" in page
    assert "Nyatakan lengkap" in page and "Pemohon" in page  # the owner pseudo-role, in words
    assert "Periksa dan simpan versi baru" in page


def test_a_broken_override_lists_every_problem(client, world):
    serang = world.serang
    login(client, serang.people["admin"])
    data = definition()
    data["actions"][0] = dict(data["actions"][0], to="nowhere")
    data["states"][1] = dict(data["states"][1], sla_days=-1)
    response = client.post(url("definition_override", serang.tenant, code=CODE), {"definition": json.dumps(data), "note": "Uji"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "status tujuan &quot;nowhere&quot; tidak ada" in page and "sla_days harus bilangan bulat" in page
    assert "Ada yang perlu diperbaiki" in page
    response = client.post(url("definition_override", serang.tenant, code=CODE), {"definition": "{oops", "note": "Uji"})
    assert response.status_code == 400 and "bukan JSON yang sah (baris 1" in response.content.decode()
    assert not WorkflowDefinition.objects.filter(tenant=serang.tenant).exists()


def test_a_valid_override_becomes_the_new_version(client, world):
    serang = world.serang
    login(client, serang.people["admin"])
    data = definition(sla_days=7)
    response = client.post(url("definition_override", serang.tenant, code=CODE), {"definition": json.dumps(data), "note": "Perwali 2026"})
    assert response.status_code == 303
    row = WorkflowDefinition.objects.get(tenant=serang.tenant, is_active=True)
    assert (row.version, row.source, row.note, row.created_by) == (1, "override", "Perwali 2026", serang.people["admin"])
    page = client.get(response["Location"]).content.decode()
    assert "Versi 1 disimpan" in page and "Perwali 2026" in page
    assert client.get(url("definition_detail", serang.tenant, code=CODE) + "?versi=9").status_code == 404


def test_the_officer_inbox_lists_files_with_due_dates_and_links(client, world):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"], title="REG-3673-2026-000123")
    login(client, serang.people["officer"])
    page = client.get(url("inbox", serang.tenant)).content.decode()
    assert "REG-3673-2026-000123" in page and "Verifikasi" in page
    assert url("instance_detail", serang.tenant, pk=instance.pk) in page
    detail = client.get(url("instance_detail", serang.tenant, pk=instance.pk)).content.decode()
    assert "Ajukan" in detail and "Nyatakan lengkap" in detail


def test_an_assignment_from_the_file_page_needs_a_reason_to_take_it_from_someone(client, world):
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    login(client, serang.people["admin"])
    assign = url("instance_assign", serang.tenant, pk=instance.pk)
    assert client.post(assign, {"assignee": serang.people["officer"].pk}).status_code == 303
    response = client.post(assign, {"assignee": serang.people["admin"].pk, "reason": ""})
    assert response.status_code == 400 and "Tulis alasan penugasan ulang" in response.content.decode()
    assert client.post(assign, {"assignee": serang.people["admin"].pk, "reason": "Budi dinas luar"}).status_code == 303
    instance.refresh_from_db()
    assert instance.assignee == serang.people["admin"]


def test_module_pages_are_linked_from_the_inbox(client, world, monkeypatch):
    from balai.core.workflow import definitions

    entry = definitions.Registered(TEST_PERMIT, definitions.digest_of(TEST_PERMIT), subject_url=lambda i: f"/modul/{i.pk}/")
    monkeypatch.setitem(definitions._workflows, CODE, entry)
    serang = world.serang
    instance = submitted(serang.tenant, serang.people["citizen"])
    login(client, serang.people["officer"])
    assert f"/modul/{instance.pk}/" in client.get(url("inbox", serang.tenant)).content.decode()
