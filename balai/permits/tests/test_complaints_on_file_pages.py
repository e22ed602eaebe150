"""Complaints on the office's file page: the file's complaints, with a way to answer them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balai.permits import services, services_complaints
from balai.testing.clients import login

pytestmark = pytest.mark.django_db

TEXT = "Sudah lima hari kerja berkas saya belum diverifikasi. Mohon kabarnya."


def submitted_with_complaint(office, draft):
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    return app, services_complaints.complaint_create(application=app, text=TEXT, actor=office.citizen)


def page(client, name, office, **kwargs):
    return client.get(
        reverse(f"permits:{name}", kwargs={"tenant": office.tenant.slug, **kwargs})
    ).content.decode()


def test_the_office_file_page_lists_its_complaints(office, draft, client, world):
    app, complaint = submitted_with_complaint(office, draft)
    login(client, office.verifier)
    body = page(client, "office_detail", office, pk=app.pk)
    assert "Pengaduan pemohon tentang berkas ini" in body and "Baca dan jawab pengaduan" in body
    assert (
        reverse("permits:office_complaint_detail", kwargs={"tenant": office.tenant.slug, "pk": complaint.pk})
        in body
    )
    login(client, world.serang.people["inspector"])  # the inspectorate reads, and is not invited to answer
    body = page(client, "office_detail", office, pk=app.pk)
    assert "Pengaduan pemohon tentang berkas ini" in body and "Baca dan jawab pengaduan" not in body
