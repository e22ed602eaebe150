"""Counter (walk-in) applications entered by front-office staff on an applicant's behalf."""

import pytest
from django.urls import reverse

from balai.permits.models import Application
from balai.permits.tests.conftest import PENELITIAN_FORM, pdf, png
from balai.testing.clients import login

pytestmark = pytest.mark.django_db


def counter_url(office, name="office_counter_new", **kwargs):
    return reverse(f"permits:{name}", kwargs={"tenant": office.tenant.slug, **kwargs})


def test_front_office_staff_register_a_walk_in_citizen_and_submit_for_them(office, client):
    login(client, office.frontdesk)
    assert client.get(counter_url(office)).status_code == 200
    penelitian = office.types["penelitian"]
    response = client.post(
        counter_url(office),
        {
            "mode": "new", "full_name": "Hadi Wibowo", "nik": "3673011708900003", "email": "hadi@contoh.id",
            "permit_type": penelitian.pk,
        },
    )
    assert response.status_code == 303
    app = Application.objects.get(tenant=office.tenant, applicant__email="hadi@contoh.id")
    assert response["Location"] == counter_url(office, "office_counter_form", pk=app.pk)
    assert app.channel == Application.Channel.COUNTER and app.entered_by == office.frontdesk

    # Submitting without the documents says what is missing.
    form = {f"f_{k}": v for k, v in PENELITIAN_FORM.items()}
    response = client.post(counter_url(office, "office_counter_form", pk=app.pk), {**form, "submit": "1"})
    assert response.status_code == 400
    assert "Unggah" in response.content.decode()

    response = client.post(
        counter_url(office, "office_counter_form", pk=app.pk),
        {**form, "d_ktp": png("ktp.png"), "d_pengantar": pdf("pengantar.pdf"), "submit": "1"},
    )
    assert response.status_code == 303
    receipt = counter_url(office, "office_counter_receipt", pk=app.pk)
    assert response["Location"] == receipt
    app.refresh_from_db()
    assert app.registration_number.startswith("REG-3673-") and app.workflow.state == "verification"
    page = client.get(receipt).content.decode()
    assert app.registration_number in page and "3673********0003" in page and "Loket" in page
    # The form is closed once submitted.
    assert client.get(counter_url(office, "office_counter_form", pk=app.pk)).status_code == 303


def test_the_counter_finds_an_existing_citizen_by_email_or_nik(office, client):
    office.citizen.nik = "3673011708900003"
    office.citizen.save(update_fields=["nik"])
    login(client, office.frontdesk)
    page = client.get(counter_url(office), {"q": "3673011708900003"}).content.decode()
    assert office.citizen.full_name in page
    response = client.post(
        counter_url(office), {"mode": "existing", "q": office.citizen.email.upper(), "permit_type": office.types["reklame"].pk}
    )
    assert response.status_code == 303
    app = Application.objects.get(tenant=office.tenant, applicant=office.citizen)
    assert app.channel == Application.Channel.COUNTER
    page = client.get(counter_url(office), {"q": "tidak.ada@contoh.id"}).content.decode()
    assert "Tidak ada akun" in page


def test_an_invalid_nik_is_refused_with_what_to_do(office, client):
    login(client, office.frontdesk)
    response = client.post(
        counter_url(office),
        {"mode": "new", "full_name": "Hadi", "nik": "1234567890123456", "email": "h@contoh.id", "permit_type": office.types["penelitian"].pk},
    )
    assert response.status_code == 400
    assert not Application.objects.filter(tenant=office.tenant).exists()


def test_a_verifier_cannot_enter_counter_applications(office, client):
    login(client, office.verifier)
    assert client.get(counter_url(office)).status_code == 403


def test_the_counter_enters_a_business_application_with_its_nib_and_saves_nothing_of_a_wrong_one(office, client):
    login(client, office.frontdesk)
    response = client.post(
        counter_url(office),
        {
            "mode": "new", "full_name": "Hadi Wibowo", "nik": "3673011708900003", "email": "hadi@contoh.id",
            "permit_type": office.types["penelitian"].pk,
        },
    )
    app = Application.objects.get(tenant=office.tenant, applicant__email="hadi@contoh.id")
    form_url = counter_url(office, "office_counter_form", pk=app.pk)
    assert 'name="business_nib"' in client.get(form_url).content.decode()
    form = {f"f_{k}": v for k, v in PENELITIAN_FORM.items()}

    # A wrong NPWP is refused beside its field, and neither the answers nor the upload are kept.
    response = client.post(
        form_url, {**form, "business_name": "CV Hadi Riset", "business_npwp": "013121661091000", "d_ktp": png("ktp.png"), "save": "1"}
    )
    assert response.status_code == 400
    assert "angka pemeriksanya" in response.content.decode()
    app.refresh_from_db()
    assert app.form_data == {} and app.business_name == "" and not app.documents.exists()

    # A business without its NIB cannot be submitted: the NIB field says so.
    documents = {"d_ktp": png("ktp.png"), "d_pengantar": pdf("pengantar.pdf")}
    response = client.post(form_url, {**form, **documents, "business_name": "CV Hadi Riset", "submit": "1"})
    assert response.status_code == 400 and "memerlukan NIB" in response.content.decode()

    response = client.post(
        form_url,
        {**form, "business_name": "CV Hadi Riset", "business_nib": "9120001234567", "business_npwp": "01.312.166.0-091.000", "submit": "1"},
    )
    assert response.status_code == 303
    app.refresh_from_db()
    assert (app.business_name, app.business_nib, app.business_npwp) == ("CV Hadi Riset", "9120001234567", "013121660091000")
    assert "CV Hadi Riset (NIB 9120001234567)" in client.get(response["Location"]).content.decode()


def test_the_counter_does_not_reopen_an_account_the_tenant_deactivated(office, client):
    office.citizen.memberships.filter(tenant=office.tenant).update(is_active=False)
    login(client, office.frontdesk)
    response = client.post(
        counter_url(office), {"mode": "existing", "q": office.citizen.email, "permit_type": office.types["reklame"].pk}
    )
    assert response.status_code == 400
    assert "dinonaktifkan di Pemda ini" in response.content.decode()
    assert not Application.objects.filter(tenant=office.tenant, applicant=office.citizen).exists()
    assert not office.citizen.memberships.get(tenant=office.tenant).is_active


def test_the_counter_gives_a_citizen_of_another_pemda_a_membership_here(world, office, client):
    from balai.core.accounts.models import Membership

    visitor = world.cilegon.people["citizen"]
    login(client, office.frontdesk)
    response = client.post(
        counter_url(office), {"mode": "existing", "q": visitor.email, "permit_type": office.types["reklame"].pk}
    )
    assert response.status_code == 303
    assert Membership.objects.get(tenant=office.tenant, user=visitor).roles == ["core.citizen"]
    assert Application.objects.get(tenant=office.tenant, applicant=visitor).channel == Application.Channel.COUNTER
