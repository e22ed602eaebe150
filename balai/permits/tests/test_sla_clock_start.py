"""PBG's service standard is "about 30 working days after documents are complete": for such a type the
file's SLA clock starts when the verifier declares the file complete, not at submission, and tracking says
so until then. An ordinary type's clock starts at submission."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from balai.core.workdays.selectors import calendar_for
from balai.permits import selectors, services
from balai.permits.models import PermitType

pytestmark = pytest.mark.django_db

PBG_FORM = {
    "alamat": "Jl. Ki Mas Jong No. 7, Serang",
    "fungsi": "hunian",
    "jenis": "baru",
    "luas_lantai": "120",
    "jumlah_lantai": "2",
    "indeks": "1.5",
}


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


def tracking_page(client, tenant, number) -> str:
    response = client.get(reverse("permits:public_tracking", kwargs={"tenant": tenant.slug}), {"nomor": number})
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_pbg_counts_its_sla_from_complete_documents(office):
    assert office.types["pbg"].sla_starts == PermitType.SlaStart.COMPLETE
    assert office.types["penelitian"].sla_starts == PermitType.SlaStart.SUBMISSION


def test_pbg_is_due_30_working_days_after_the_verifier_declares_it_complete(office, draft, moment, client):
    # Monday 2 March 2026: submitted. The file's clock does not run; only the verification step's own
    # deadline (2 working days: 3 and 4 March) binds the verifier.
    moment.set(2026, 3, 2, 9, 0)
    app = draft(code="pbg", form=PBG_FORM)
    number = services.application_submit(application=app, actor=office.citizen)
    app.refresh_from_db()
    assert app.workflow.state == "verification"
    assert app.workflow.clock_intervals == [] and app.workflow.sla_started_at is None
    assert app.workflow.due_date == date(2026, 3, 4)

    moment.set(2026, 3, 5, 10, 0)
    page = tracking_page(client, office.tenant, number)
    assert "Jam layanan belum mulai berjalan" in page
    assert "lama proses dihitung sejak petugas menyatakan berkas lengkap dan benar" in page
    assert "Belum berjalan: dihitung sejak berkas dinyatakan lengkap" in page
    assert "Perkiraan selesai" not in page

    # Friday 6 March 2026, four working days later: declared complete, off to the field inspection.
    moment.set(2026, 3, 6, 14, 0)
    services.application_verify(application=app, actor=office.verifier)
    app.refresh_from_db()
    assert app.workflow.state == "inspection"
    assert app.workflow.sla_started_at == moment.value

    # 30 working days counted from 6 March on Kota Serang's calendar: 9-13, 16-17 March (7), then Nyepi
    # and the Idul Fitri holidays and cuti bersama (18-24 March), 25-27 March (10), 30 March-2 April (14),
    # Good Friday 3 April, 6-10 (19), 13-17 (24), 20-24 April (29): Monday 27 April 2026.
    calendar = calendar_for(office.tenant)
    assert calendar.add_working_days(date(2026, 3, 6), 30) == date(2026, 4, 27)
    track = selectors.tracking_timeline(application=app, now=moment.value)
    assert not track.clock_not_started
    assert track.due_date == date(2026, 4, 27)
    assert track.sla_remaining_days == 30

    page = tracking_page(client, office.tenant, number)
    assert "Jam layanan belum mulai berjalan" not in page
    assert "Senin, 27 April 2026" in page


def test_an_ordinary_types_clock_starts_at_submission(office, draft, moment):
    moment.set(2026, 3, 2, 9, 0)
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    app.refresh_from_db()
    assert app.workflow.sla_started_at == moment.value and app.workflow.clock_waiting is False
    track = selectors.tracking_timeline(application=app, now=moment.value)
    assert not track.clock_not_started
    assert track.due_date == date(2026, 3, 4)  # 2 working days: 3 and 4 March


def test_a_pbg_file_returned_before_it_is_complete_still_has_not_started_its_clock(office, draft, moment, client):
    moment.set(2026, 3, 2, 9, 0)
    app = draft(code="pbg", form=PBG_FORM)
    number = services.application_submit(application=app, actor=office.citizen)
    moment.set(2026, 3, 3, 9, 0)
    services.application_return_for_correction(
        application=app, items=[{"kind": "document", "code": "gambar", "note": "Gambar struktur belum ada."}],
        note="Lengkapi gambar struktur.", actor=office.verifier,
    )
    page = tracking_page(client, office.tenant, number)
    assert "Jam layanan belum mulai berjalan" in page
    assert "Berkas sedang dikembalikan kepada pemohon untuk diperbaiki" in page


def test_the_administrator_chooses_when_the_sla_starts(office):
    from balai.permits.services_catalogue import permit_type_update

    saved = permit_type_update(permit_type=office.types["sip"], actor=None, sla_starts="complete")
    assert saved.sla_starts == "complete"
    # Editing another part of the type keeps the choice.
    saved = permit_type_update(permit_type=saved, actor=None, name="Surat Izin Praktik")
    assert saved.sla_starts == "complete"
    with pytest.raises(ValidationError) as refused:
        permit_type_update(permit_type=saved, actor=None, sla_starts="kapan_saja")
    assert "sla_starts" in refused.value.message_dict


def test_the_catalogue_form_edits_when_the_sla_starts(office, client, world):
    from balai.testing.clients import login

    login(client, world.serang.people["admin"])
    permit_type = office.types["penelitian"]
    url = reverse("permits:catalogue_type_edit", kwargs={"tenant": office.tenant.slug, "pk": permit_type.pk})
    page = client.get(url).content.decode()
    assert "SLA mulai dihitung" in page and "Sejak verifikator menyatakan berkas lengkap" in page
    from balai.permits.forms_catalogue import PermitTypeForm

    data = {k: v for k, v in PermitTypeForm.initial_for(permit_type).items() if v not in (None, False)}
    data["sla_starts"] = "complete"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    permit_type.refresh_from_db()
    assert permit_type.sla_starts == "complete"
    detail = client.get(response["Location"]).content.decode()
    assert "sejak verifikator menyatakan berkas lengkap" in detail

