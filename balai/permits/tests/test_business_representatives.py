"""A file for a registered business: it is linked to the business, it is submitted only while its applicant
represents the business (pages and API alike, the refusal audited and nothing saved), and the business's
other current representatives may follow it (list, file, permit), nobody else and no other Pemda.

Citra (the Kota Serang citizen) and Hadi run CV Citra Mandiri together; Dedi is a citizen of the same
Pemda with no part in it.
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.core.parties import services as parties
from balai.permits import applicant_registry, services
from balai.permits.api.tests.conftest import Caller
from balai.permits.models import Application
from balai.permits.tests.conftest import REKLAME_FORM
from balai.testing.clients import login
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db

NIB = "9120001234567"
BUSINESS = {"business_name": "CV Citra Mandiri", "business_nib": NIB}


def url(name, tenant, **kwargs):
    return reverse(f"permits:{name}", kwargs={"tenant": tenant.slug, **kwargs})


@pytest.fixture(autouse=True)
def _registered():
    applicant_registry.register()


@pytest.fixture
def hadi(office):
    return make_person("Hadi Saputra", tenant=office.tenant, roles=["core.citizen"])


@pytest.fixture
def dedi(office):
    return make_person("Dedi Warga", tenant=office.tenant, roles=["core.citizen"])


@pytest.fixture
def business(office, hadi):
    """CV Citra Mandiri, registered by Citra, with Hadi added as a second representative."""
    entity = parties.entity_register(
        kind="business",
        name="CV Citra Mandiri",
        nib=NIB,
        npwp="01.312.166.0-091.000",
        address="Jl. Ahmad Yani 1",
        regency_code="36.73",
        actor=office.citizen,
    )
    parties.representative_add(entity=entity, contact=hadi.email, role="kuasa", actor=office.citizen)
    return entity


def end_representation(entity, person, actor):
    representative = entity.representatives.get(user=person, until__isnull=True)
    parties.representative_end(representative=representative, actor=actor)


# --- the link ----------------------------------------------------------------------------------------


def test_a_file_naming_a_registered_business_is_linked_to_it(office, draft, business):
    app = draft(**BUSINESS)
    assert app.legal_entity == business
    services.application_update_draft(
        application=app, form_data={}, business_name="", business_nib="", actor=office.citizen
    )
    app.refresh_from_db()
    assert app.legal_entity is None  # a personal application names no business
    services.application_update_draft(application=app, form_data={}, actor=office.citizen, **BUSINESS)
    app.refresh_from_db()
    assert app.legal_entity == business


def test_the_counter_links_a_registered_business_it_enters(office, business):
    app = services.counter_application_create(
        tenant=office.tenant,
        permit_type=office.types["reklame"],
        entered_by=office.frontdesk,
        form_data={},
        applicant=office.citizen,
        **BUSINESS,
    )
    assert app.legal_entity == business and app.channel == Application.Channel.COUNTER


def test_the_migration_links_old_files_only_to_a_business_their_applicant_represented(
    office, draft, business, dedi
):
    mine = draft(**BUSINESS)
    stranger = draft(applicant=dedi, **BUSINESS)
    Application.objects.filter(pk__in=[mine.pk, stranger.pk]).update(legal_entity=None)
    migration = importlib.import_module("balai.permits.migrations.0006_application_legal_entity")
    migration.link_registered_businesses(django_apps, None)
    mine.refresh_from_db()
    stranger.refresh_from_db()
    assert mine.legal_entity_id == business.pk
    assert stranger.legal_entity_id is None


# --- submission ----------------------------------------------------------------------------------------


def test_a_representative_whose_representation_ended_cannot_submit(office, draft, business, hadi):
    app = draft(applicant=hadi, **BUSINESS)
    end_representation(business, hadi, actor=office.citizen)

    with pytest.raises(ValidationError) as refused:
        services.application_submit(application=app, actor=hadi)
    message = refused.value.message_dict["business_nib"][0]
    assert "Perwakilan Anda untuk CV Citra Mandiri sudah diakhiri" in message
    assert "atas nama pribadi" in message  # what to do instead
    app.refresh_from_db()
    assert app.registration_number == "" and app.workflow_id is None and app.submitted_at is None
    refusal = AuditEntry.objects.get(tenant=office.tenant, action="permits.submit_refused")
    assert refusal.data["reason"] == "not_representative" and refusal.data["entity"] == business.pk

    # Applying in his own name instead goes through.
    services.application_update_draft(
        application=app, form_data={}, business_name="", business_nib="", actor=hadi
    )
    assert services.application_submit(application=app, actor=hadi).startswith("REG-")


def test_a_registered_nib_typed_by_someone_who_never_represented_it_is_refused(office, draft, business, dedi):
    app = draft(applicant=dedi, **BUSINESS)
    with pytest.raises(ValidationError) as refused:
        services.application_submit(application=app, actor=dedi)
    message = refused.value.message_dict["business_nib"][0]
    assert "Anda bukan wakilnya" in message and "CV Citra Mandiri" not in message
    assert Application.objects.get(pk=app.pk).registration_number == ""


def test_a_current_representative_submits_and_the_file_stays_linked(office, draft, business, hadi):
    app = draft(applicant=hadi, **BUSINESS)
    assert services.application_submit(application=app, actor=hadi).startswith("REG-")
    app.refresh_from_db()
    assert app.legal_entity == business


def test_the_review_page_says_what_is_wrong_and_submitting_there_is_refused(
    office, draft, business, hadi, client
):
    app = draft(applicant=hadi, **BUSINESS)
    end_representation(business, hadi, actor=office.citizen)
    login(client, hadi)
    review = url("applicant_review", office.tenant, pk=app.pk)
    page = client.get(review).content.decode()
    assert "Perwakilan Anda untuk CV Citra Mandiri sudah diakhiri" in page
    response = client.post(review)
    assert response.status_code == 400
    assert "Perwakilan Anda untuk CV Citra Mandiri sudah diakhiri" in response.content.decode()
    assert Application.objects.get(pk=app.pk).registration_number == ""


def test_the_api_refuses_the_same(office, draft, business, hadi, client):
    app = draft(applicant=hadi, **BUSINESS)
    end_representation(business, hadi, actor=office.citizen)
    caller = Caller(client, office.tenant, hadi, ("permits:read", "permits:apply"))
    response = caller.post("application_submit", pk=app.pk)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert "sudah diakhiri" in error["fields"]["business_nib"][0]
    assert Application.objects.get(pk=app.pk).registration_number == ""
    assert AuditEntry.objects.filter(tenant=office.tenant, action="permits.submit_refused").count() == 1


# --- following the business's files ------------------------------------------------------------------------


def test_a_co_representative_follows_the_business_file_and_another_citizen_does_not(
    office, draft, business, hadi, dedi, client, world
):
    app = draft(**BUSINESS)
    number = services.application_submit(application=app, actor=office.citizen)
    detail = url("applicant_detail", office.tenant, pk=app.pk)

    login(client, hadi)
    listing = client.get(url("applicant_list", office.tenant)).content.decode()
    assert (
        "Permohonan badan usaha yang Anda wakili" in listing and number in listing and "Citra Dewi" in listing
    )
    page = client.get(detail)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Anda dapat mengikuti permohonan ini karena Anda wakil CV Citra Mandiri" in text
    assert url("applicant_withdraw", office.tenant, pk=app.pk) not in text  # reading only
    assert client.get(url("applicant_receipt", office.tenant, pk=app.pk)).status_code == 200
    assert client.get(url("applicant_withdraw", office.tenant, pk=app.pk)).status_code == 404
    assert client.get(url("applicant_edit", office.tenant, pk=app.pk)).status_code == 404

    login(client, dedi)
    assert number not in client.get(url("applicant_list", office.tenant)).content.decode()
    assert client.get(detail).status_code == 404

    # Once his representation ends, Hadi no longer sees it.
    end_representation(business, hadi, actor=office.citizen)
    login(client, hadi)
    assert client.get(detail).status_code == 404
    assert number not in client.get(url("applicant_list", office.tenant)).content.decode()


def test_a_colleagues_draft_stays_private(office, draft, business, hadi, client):
    app = draft(**BUSINESS)
    login(client, hadi)
    assert client.get(url("applicant_detail", office.tenant, pk=app.pk)).status_code == 404


def test_another_pemda_never_shows_the_business_file(office, draft, business, hadi, client, world):
    app = draft(**BUSINESS)
    services.application_submit(application=app, actor=office.citizen)
    cilegon = world.cilegon.tenant
    from balai.core.accounts.models import Membership

    Membership.objects.create(user=hadi, tenant=cilegon, roles=["core.citizen"])
    login(client, hadi)
    assert client.get(url("applicant_detail", cilegon, pk=app.pk)).status_code == 404
    assert "CV Citra Mandiri" not in client.get(url("applicant_list", cilegon)).content.decode()


def test_a_co_representative_downloads_the_business_permit(
    office, draft, business, hadi, dedi, pdf_engine, client
):
    app = draft("penelitian", **BUSINESS)
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    services.application_approve(application=app, actor=office.approver)
    services.application_sign(application=app, actor=office.signer)
    app.refresh_from_db()
    download = reverse(
        "files:download",
        kwargs={"tenant": office.tenant.slug, "public_id": app.permit_document.pdf_file.public_id},
    )
    login(client, hadi)
    assert download in client.get(url("applicant_detail", office.tenant, pk=app.pk)).content.decode()
    assert client.get(download).status_code == 200
    login(client, dedi)
    assert client.get(download).status_code == 404


# --- "Lanjutkan mengisi permohonan" ------------------------------------------------------------------------


def continue_link(client, office, app) -> str:
    page = client.get(url("applicant_detail", office.tenant, pk=app.pk)).content.decode()
    start = page.index("Lanjutkan mengisi permohonan")
    return page[page.rindex('href="', 0, start) + 6 : page.rindex('">', 0, start)]


def test_continue_opens_the_first_page_with_a_missing_answer(office, draft, client):
    form = {k: v for k, v in REKLAME_FORM.items() if k not in ("tinggi",)}  # page 2 misses "tinggi"
    app = draft(form=form)
    login(client, office.citizen)
    assert (
        continue_link(client, office, app)
        == url("applicant_edit_page", office.tenant, pk=app.pk, page=2) + "#id_tinggi"
    )

    blank = draft(form={}, documents=False)
    assert (
        continue_link(client, office, blank)
        == url("applicant_edit", office.tenant, pk=blank.pk) + "#id_judul"
    )


def test_continue_opens_the_business_page_when_the_business_is_no_longer_represented(
    office, draft, business, hadi, client
):
    app = draft(applicant=hadi, **BUSINESS)
    end_representation(business, hadi, actor=office.citizen)
    login(client, hadi)
    assert (
        continue_link(client, office, app)
        == url("applicant_edit_page", office.tenant, pk=app.pk, page=3) + "#id_business_nib"
    )


def test_continue_opens_the_documents_then_the_review_once_everything_is_answered(office, draft, client):
    login(client, office.citizen)
    answered = draft(documents=False)
    assert continue_link(client, office, answered) == url(
        "applicant_documents", office.tenant, pk=answered.pk
    )
    complete = draft()
    assert continue_link(client, office, complete) == url("applicant_review", office.tenant, pk=complete.pk)
