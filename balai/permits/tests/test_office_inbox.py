"""The officer's inbox of permit files: by due date, first in first out, filters, and a query count that
does not grow with the number of files."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balai.permits import services
from balai.testing.clients import login

pytestmark = pytest.mark.django_db


def inbox_url(office, **params):
    from urllib.parse import urlencode

    url = reverse("permits:office_inbox", kwargs={"tenant": office.tenant.slug})
    return f"{url}?{urlencode(params)}" if params else url


def submit(office, draft, code="penelitian"):
    app = draft(code=code)
    services.application_submit(application=app, actor=office.citizen)
    return app


def test_it_lists_the_verifiers_files_by_due_date_then_first_in(office, draft, moment, client):
    moment.set(2026, 3, 9, 9, 0)
    reklame = submit(office, draft, "reklame")  # Monday; verification due two working days later
    moment.set(2026, 3, 10, 9, 0)
    first = submit(office, draft)
    moment.set(2026, 3, 10, 10, 0)
    second = submit(office, draft)
    login(client, office.verifier)
    page = client.get(inbox_url(office)).content.decode()
    positions = [page.index(a.registration_number) for a in (reklame, first, second)]
    assert positions == sorted(positions)
    assert "Sisa" in page or "Tenggat hari ini" in page or "Terlambat" in page  # SLA in words, not colour only


def test_it_filters_by_type_step_and_assignment(office, draft, moment, client):
    reklame = submit(office, draft, "reklame")
    penelitian = submit(office, draft)
    login(client, office.verifier)
    page = client.get(inbox_url(office, jenis="reklame")).content.decode()
    assert reklame.registration_number in page and penelitian.registration_number not in page
    page = client.get(inbox_url(office, status="approval")).content.decode()
    assert reklame.registration_number not in page
    page = client.get(inbox_url(office, saya="on")).content.decode()
    assert reklame.registration_number in page  # the only verifier holds both


def test_other_roles_do_not_see_files_they_cannot_act_on(office, draft, client):
    app = submit(office, draft)
    login(client, office.approver)
    assert app.registration_number not in client.get(inbox_url(office)).content.decode()
    login(client, office.citizen)
    assert client.get(inbox_url(office)).status_code == 403


def test_the_inbox_query_count_does_not_grow_with_the_files(office, draft, client, django_assert_num_queries):
    for _ in range(5):
        submit(office, draft)
    login(client, office.verifier)
    url = inbox_url(office)
    client.get(url)  # warm the working-day calendar's cache
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert response.content.decode().count("/izin/kantor/berkas/") == 5
    for _ in range(45):
        submit(office, draft)
    with django_assert_num_queries(len(five.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/izin/kantor/berkas/") == 25  # one page
    assert "Halaman 1 dari 2" in response.content.decode()


def test_an_officer_opens_a_file_by_its_registration_number_even_outside_their_queue(office, draft, client):
    app = submit(office, draft)
    login(client, office.approver)  # the file waits for verification, not in the approver's queue
    response = client.get(inbox_url(office, nomor=app.registration_number.lower()))
    assert response.status_code == 302
    assert response["Location"] == reverse("permits:office_detail", kwargs={"tenant": office.tenant.slug, "pk": app.pk})
    missing = client.get(inbox_url(office, nomor="REG-3673-2026-999999"))
    assert missing.status_code == 200
    assert "Tidak ada berkas bernomor REG-3673-2026-999999" in missing.content.decode()


# --- by unit: the officer's own units by default, "Semua unit" by choice ---------------------------------


@pytest.fixture
def units(office):
    return give_units(office)


def give_units(office):
    """DPMPTSP with a bidang below it and Dinas Kesehatan beside it; Izin Reklame is the bidang's,
    Izin Penelitian the Dinas Kesehatan's; the verifier holds a post in DPMPTSP (the bidang's parent)."""
    import datetime

    from balai.core.orgs.models import Assignment, Employee, Position, Unit

    tenant = office.tenant
    dpmptsp = Unit.objects.create(tenant=tenant, code="T-DPMPTSP", name="DPMPTSP Uji", kind="opd")
    bidang = Unit.objects.create(
        tenant=tenant, code="T-BID", name="Bidang Perizinan Uji", kind="bidang", parent=dpmptsp
    )
    dinkes = Unit.objects.create(tenant=tenant, code="T-DINKES", name="Dinas Kesehatan Uji", kind="opd")
    for code, unit in (("reklame", bidang), ("penelitian", dinkes)):
        office.types[code].unit = unit
        office.types[code].save(update_fields=["unit"])
    position = Position.objects.create(tenant=tenant, unit=dpmptsp, name="Verifikator", job_class=7)
    employee = Employee.objects.create(
        tenant=tenant,
        nip="199001012015031001",
        full_name=office.verifier.full_name,
        employment_type="pns",
        user=office.verifier,
    )
    Assignment.objects.create(
        tenant=tenant, employee=employee, position=position, start=datetime.date(2020, 1, 1)
    )
    return {"dpmptsp": dpmptsp, "bidang": bidang, "dinkes": dinkes}


def test_the_inbox_shows_the_officers_own_units_and_below_by_default_and_every_unit_by_choice(
    office, draft, units, client
):
    reklame = submit(office, draft, "reklame")  # the bidang below the verifier's DPMPTSP
    penelitian = submit(office, draft)  # Dinas Kesehatan
    login(client, office.verifier)
    page = client.get(inbox_url(office)).content.decode()
    assert reklame.registration_number in page and penelitian.registration_number not in page
    assert "Unit saya" in page and "Semua unit" in page
    page = client.get(inbox_url(office, unit="all")).content.decode()
    assert reklame.registration_number in page and penelitian.registration_number in page
    page = client.get(inbox_url(office, unit=units["dinkes"].pk)).content.decode()
    assert reklame.registration_number not in page and penelitian.registration_number in page


def test_files_of_a_type_without_a_responsible_unit_stay_in_the_own_units_inbox(office, draft, units, client):
    office.types["penelitian"].unit = None
    office.types["penelitian"].save(update_fields=["unit"])
    penelitian = submit(office, draft)
    login(client, office.verifier)
    assert penelitian.registration_number in client.get(inbox_url(office)).content.decode()


def test_an_officer_without_a_post_sees_every_unit(office, draft, units, client):
    from balai.core.orgs.models import Assignment

    Assignment.objects.filter(employee__user=office.verifier).delete()
    reklame, penelitian = submit(office, draft, "reklame"), submit(office, draft)
    login(client, office.verifier)
    page = client.get(inbox_url(office)).content.decode()
    assert reklame.registration_number in page and penelitian.registration_number in page
    assert "Unit saya" not in page


def test_the_own_units_inbox_query_count_does_not_grow_with_the_files(
    office, draft, units, client, django_assert_num_queries
):
    for _ in range(3):
        submit(office, draft, "reklame")
    login(client, office.verifier)
    url = inbox_url(office)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(30):
        submit(office, draft, "reklame")
        submit(office, draft)  # Dinas Kesehatan: not in this inbox
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/izin/kantor/berkas/") == 25
