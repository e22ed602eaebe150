"""The public endpoints: the catalogue, the fee quote and tracking by registration number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from balai.permits import services, tracking_cache

from .conftest import url

pytestmark = pytest.mark.django_db


def test_it_lists_the_published_catalogue_to_anyone(office, api):
    services.permit_type_set_published(permit_type=office.types["pbg"], published=False, actor=None)
    response = api.get(url(office.tenant, "type_list"))
    assert response.status_code == 200
    body = response.json()
    codes = [row["code"] for row in body["results"]]
    assert "reklame" in codes and "pbg" not in codes
    assert body["count"] == len(codes)
    reklame = next(row for row in body["results"] if row["code"] == "reklame")
    assert reklame["sla_days"] == 5 and reklame["fee_model"] == "formula"


def test_a_type_shows_its_requirements_and_an_unpublished_one_is_not_there(office, api):
    response = api.get(url(office.tenant, "type_detail", code="reklame"))
    assert response.status_code == 200
    body = response.json()
    assert {f["code"] for f in body["form_fields"]} >= {"lebar", "tinggi", "tarif_lokasi"}
    assert {d["code"]: d["kinds"] for d in body["documents"]}["izin_pemilik"] == ["pdf"]
    assert body["quote_url"].endswith("/permits/types/reklame/quote/")
    services.permit_type_set_published(permit_type=office.types["reklame"], published=False, actor=None)
    missing = api.get(url(office.tenant, "type_detail", code="reklame"))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_it_quotes_the_billboard_fee_in_integer_rupiah(office, api):
    form = {"lebar": "3", "tinggi": "5", "lama_hari": 30, "tarif_lokasi": "A"}
    response = api.post(url(office.tenant, "type_quote", code="reklame"), {"form_data": form}, content_type="application/json")
    assert response.status_code == 200, response.json()
    body = response.json()
    # 25% × (3 × 5 m² × 30 days × Rp 125.000)
    assert body["amount"] == 14_062_500 and body["amount_display"] == "Rp 14.062.500"
    assert body["explanation"]


def test_a_quote_with_wrong_answers_names_the_fields(office, api):
    response = api.post(
        url(office.tenant, "type_quote", code="reklame"),
        {"form_data": {"lebar": "lebar sekali", "tinggi": "5", "lama_hari": 30, "tarif_lokasi": "Z"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert {"form_data.lebar", "form_data.tarif_lokasi"} <= set(error["fields"])
    empty = api.post(url(office.tenant, "type_quote", code="reklame"), {}, content_type="application/json")
    assert empty.status_code == 400 and "form_data" in empty.json()["error"]["fields"]


def test_tracking_shows_the_timeline_with_the_sla_and_a_masked_name(
    office, draft, moment, api, django_capture_on_commit_callbacks
):
    application = draft(code="reklame", form={"judul": "A", "alamat": "B", "lebar": "2", "tinggi": "2", "lama_hari": "10",
                                              "tarif_lokasi": "B"})
    number = services.application_submit(application=application, actor=office.citizen)
    response = api.get(url(office.tenant, "track", registration_number=number.lower()))
    assert response.status_code == 200
    body = response.json()
    assert body["registration_number"] == number
    assert body["state"] == "verification" and body["sla_colour"] == "green" and body["is_paused"] is False
    assert body["sla_days"] == 5 and body["sla_remaining_days"] == 5 and body["due_date"]
    assert [s["state"] for s in body["steps"]] == ["submitted", "verification"]
    assert office.citizen.full_name not in response.content.decode()
    assert body["applicant_name"] == "Ci*** De**"
    assert office.verifier.full_name not in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the new step clears the cached answer
        services.application_return_for_correction(
            application=application, items=[{"kind": "document", "code": "ktp", "note": "Buram."}],
            note="Foto KTP buram, unggah ulang.", actor=office.verifier,
        )
    paused = api.get(url(office.tenant, "track", registration_number=number)).json()
    assert paused["is_paused"] is True and paused["sla_colour"] == "grey"
    assert paused["steps"][-1]["paused"] is True
    assert "buram" not in str(paused).lower()  # the officer's note is for the applicant only


def test_tracking_an_unknown_or_foreign_number_is_not_found(world, office, draft, api):
    application = draft()
    number = services.application_submit(application=application, actor=office.citizen)
    assert api.get(url(office.tenant, "track", registration_number="REG-3673-2026-999999")).status_code == 404
    foreign = api.get(url(world.cilegon.tenant, "track", registration_number=number))
    assert foreign.status_code == 404 and foreign.json()["error"]["code"] == "not_found"
    draft_row = draft()
    assert api.get(url(office.tenant, "track", registration_number=str(draft_row.pk))).status_code == 404


def test_tracking_costs_the_same_queries_however_long_the_history(office, draft, api):
    short = draft()
    short_number = services.application_submit(application=short, actor=office.citizen)
    long = draft()
    long_number = services.application_submit(application=long, actor=office.citizen)
    for _round in range(3):
        services.application_return_for_correction(
            application=long, items=[{"kind": "field", "code": "judul", "note": "x"}], note="Perbaiki judul.",
            actor=office.verifier,
        )
        services.application_resubmit(application=long, actor=office.citizen)
    api.get(url(office.tenant, "track", registration_number=short_number))  # warm the tenant cache
    tracking_cache.forget(tenant_id=office.tenant.pk, number=short_number)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url(office.tenant, "track", registration_number=short_number)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = api.get(url(office.tenant, "track", registration_number=long_number))
    assert len(response.json()["steps"]) == 8
    assert len(many) == len(few) <= 4, [q["sql"] for q in many.captured_queries]
    # Asked again, the answer comes from the cache without a query.
    with CaptureQueriesContext(connection) as again:
        assert api.get(url(office.tenant, "track", registration_number=long_number)).json() == response.json()
    assert len(again) == 0


def test_a_new_step_clears_the_cached_tracking_answer_when_it_commits(
    office, draft, api, django_capture_on_commit_callbacks
):
    application = draft()
    number = services.application_submit(application=application, actor=office.citizen)
    target = url(office.tenant, "track", registration_number=number)
    assert api.get(target).json()["state"] == "verification"
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(application=application, reason="Lokasi tidak diizinkan.", actor=office.verifier)
    assert api.get(target).json()["state"] == "rejected"


def test_public_endpoints_are_rate_limited(office, api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "3/min"}}
    target = url(office.tenant, "track", registration_number="REG-3673-2026-000001")
    assert [api.get(target).status_code for _i in range(3)] == [404, 404, 429]
    assert api.get(target).json()["error"]["code"] == "throttled"
