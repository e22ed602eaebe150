"""The public permit pages: the catalogue, a type's requirements, the fee simulator (the DKI billboard
example), and tracking by registration number with its paused clock, rate limit and constant queries."""

import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balai.permits import services, tracking_cache

pytestmark = pytest.mark.django_db


def url(name, tenant, **kwargs):
    return reverse(f"permits:{name}", kwargs={"tenant": tenant.slug, **kwargs})


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


def test_it_lists_published_permit_types_with_sla_fee_and_in_person_steps(office, client):
    services.permit_type_set_published(permit_type=office.types["sip"], published=False, actor=None)
    page = client.get(url("public_catalogue", office.tenant)).content.decode()
    assert "Izin Reklame" in page and "Izin Penelitian" in page
    assert "Surat Izin Praktik" not in page  # unpublished
    assert "5 hari kerja" in page
    assert "Dihitung dari isian: Lebar papan (m), Tinggi papan (m), Lama pemasangan (hari), Kelas lokasi strategis" in page
    assert "Survei lapangan bila memenuhi aturan" in page
    assert "Tanpa biaya" in page  # Izin Penelitian


def test_it_shows_a_types_requirements_and_asks_anonymous_visitors_to_sign_in(office, client):
    page = client.get(url("public_type_detail", office.tenant, code="reklame")).content.decode()
    assert "Surat persetujuan pemilik lahan/bangunan" in page
    assert "PDF, JPEG, PNG, paling besar 5 MB" in page and "PDF, paling besar 5 MB" in page
    assert "Lama pemasangan (hari)" in page
    assert "12 bulan" in page and "dapat diperpanjang" in page
    assert "Petugas melakukan survei lapangan." in page
    assert "Masuk untuk mengajukan permohonan" in page
    assert client.get(url("public_type_detail", office.tenant, code="tidak-ada")).status_code == 404


def test_a_hidden_type_is_not_found_publicly(office, client):
    services.permit_type_set_published(permit_type=office.types["pbg"], published=False, actor=None)
    assert client.get(url("public_type_detail", office.tenant, code="pbg")).status_code == 404
    assert client.get(url("public_fee_simulator", office.tenant, code="pbg")).status_code == 404


def test_the_fee_simulator_computes_the_billboard_example(office, client):
    # DKI: 3 × 5 m for 30 days at Rp 125.000 → NSR Rp 56.250.000; tax 25% = Rp 14.062.500.
    query = {"lebar": "3", "tinggi": "5", "lama_hari": "30", "tarif_lokasi": "A"}
    response = client.get(url("public_fee_simulator", office.tenant, code="reklame"), query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rp 14.062.500" in page
    assert "0,25 × 3 × 5 × 30 × 125.000 = Rp 14.062.500." in page  # the explanation line
    # Only the fields the fee reads are asked.
    assert 'name="lebar"' in page and 'name="judul"' not in page


def test_the_fee_simulator_answers_htmx_with_the_form_and_result_only(office, client):
    query = {"lebar": "2,5", "tinggi": "4", "lama_hari": "10", "tarif_lokasi": "C"}
    response = client.get(url("public_fee_simulator", office.tenant, code="reklame"), query, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and 'id="simulasi-biaya"' in page
    assert "Rp 625.000" in page  # 0.25 × 2.5 × 4 × 10 × 25.000


def test_the_fee_simulator_puts_errors_beside_the_field(office, client):
    query = {"lebar": "tiga", "tinggi": "5", "lama_hari": "", "tarif_lokasi": "A"}
    page = client.get(url("public_fee_simulator", office.tenant, code="reklame"), query).content.decode()
    assert 'id="id_lebar-error"' in page and "Lebar papan (m) harus berupa angka" in page
    assert 'id="id_lama_hari-error"' in page
    assert 'href="#id_lebar"' in page  # the error summary links to the field
    assert "Perkiraan biaya" not in page


def test_a_type_without_fee_shows_no_simulator_link(office, client):
    page = client.get(url("public_type_detail", office.tenant, code="penelitian")).content.decode()
    assert "Tanpa biaya" in page and "Hitung perkiraan biaya" not in page


def _track(client, tenant, number, **extra):
    return client.get(url("public_tracking", tenant), {"nomor": number}, **extra)


def test_tracking_shows_the_timeline_and_the_paused_clock_without_personal_data(office, draft, moment, client):
    moment.set(2026, 3, 16, 9, 0)
    app = draft()
    number = services.application_submit(application=app, actor=office.citizen)
    page = _track(client, office.tenant, number).content.decode()
    assert "Verifikasi" in page and "Sesuai jadwal" in page and "sisa 5 hari kerja" in page
    assert "Senin, 30 Maret 2026" in page  # due date over Nyepi and Idul Fitri

    moment.set(2026, 3, 25, 10, 0)
    services.application_return_for_correction(
        application=app, items=[{"kind": "field", "code": "tinggi", "note": "Tinggi papan 5 m."}],
        note="Catatan pribadi untuk pemohon.", actor=office.verifier,
    )
    moment.set(2026, 4, 2, 9, 0)
    page = _track(client, office.tenant, number.lower()).content.decode()
    assert "Jam layanan berhenti sementara" in page
    assert "berkas dikembalikan ke pemohon sejak 25 Maret 2026 10.00" in page
    assert "Sudah berhenti 6 hari kerja." in page
    assert "Dikembalikan untuk diperbaiki" in page
    # No officer names, no notes, the applicant's name masked.
    assert office.verifier.full_name not in page and "Catatan pribadi" not in page
    assert office.citizen.full_name not in page and "Ci*** De**" in page


def test_tracking_says_when_a_number_is_unknown_or_malformed(office, client):
    response = _track(client, office.tenant, "REG-3673-2026-999999")
    assert response.status_code == 404 and "tidak ditemukan" in response.content.decode()
    response = _track(client, office.tenant, "12345")
    assert response.status_code == 400 and "REG-3673-2026-000123" in response.content.decode()


def test_tracking_does_not_find_another_tenants_file(office, draft, world, client):
    number = services.application_submit(application=draft(), actor=office.citizen)
    assert _track(client, world.cilegon.tenant, number).status_code == 404


def test_tracking_is_rate_limited_per_address(office, client, settings):
    settings.BALAI_PERMITS_TRACKING_RATE_PER_MINUTE = 3
    for _ in range(3):
        assert _track(client, office.tenant, "REG-3673-2026-000001").status_code == 404
    response = _track(client, office.tenant, "REG-3673-2026-000001")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Tunggu satu menit" in response.content.decode()
    # Another address is not held back; the blank form is never counted.
    assert _track(client, office.tenant, "REG-3673-2026-000001", REMOTE_ADDR="10.9.8.7").status_code == 404
    assert client.get(url("public_tracking", office.tenant)).status_code == 200


def test_tracking_takes_the_same_few_queries_however_long_the_history(office, draft, moment, client, django_assert_num_queries):
    short = draft()
    short_number = services.application_submit(application=short, actor=office.citizen)
    long = draft()
    long_number = services.application_submit(application=long, actor=office.citizen)
    for _ in range(3):
        services.application_return_for_correction(
            application=long, items=[{"kind": "field", "code": "tinggi"}], note="Periksa tinggi.", actor=office.verifier,
        )
        services.application_resubmit(application=long, actor=office.citizen)
    _track(client, office.tenant, short_number)  # warm the working-day calendar's cache, as in production
    tracking_cache.forget(tenant_id=office.tenant.pk, number=short_number)  # but not the page itself
    with CaptureQueriesContext(connection) as first:
        assert _track(client, office.tenant, short_number).status_code == 200
    assert len(first) <= 8, [q["sql"] for q in first.captured_queries]
    with django_assert_num_queries(len(first)):
        page = _track(client, office.tenant, long_number).content.decode()
    assert page.count("Dikembalikan untuk diperbaiki") >= 3


def test_every_transition_publishes_what_tracking_shows_in_the_same_transaction(office, draft, moment, client):
    moment.set(2026, 3, 16, 9, 0)
    app = draft()
    number = services.application_submit(application=app, actor=office.citizen)
    app.refresh_from_db()
    assert app.tracking_facts["state"] == "verification" and app.tracking_facts["number"] == number
    services.application_return_for_correction(
        application=app, items=[{"kind": "field", "code": "tinggi"}], note="Catatan pribadi.", actor=office.verifier,
    )
    app.refresh_from_db()
    facts = app.tracking_facts
    assert facts["state"] == "returned" and facts["state_clock"] == "paused"
    # What the public may see only: no officer, no note, the applicant masked.
    assert office.verifier.full_name not in str(facts) and "Catatan pribadi" not in str(facts)
    assert office.citizen.full_name not in str(facts)
    assert "Jam layanan berhenti sementara" in _track(client, office.tenant, number).content.decode()


def test_a_file_never_published_is_still_tracked_and_the_command_publishes_it(office, draft, moment, client):
    from django.core.management import call_command

    from balai.permits.models import Application

    moment.set(2026, 3, 16, 9, 0)
    app = draft()
    number = services.application_submit(application=app, actor=office.citizen)
    Application.objects.filter(pk=app.pk).update(tracking_facts={})  # as rows from before the facts existed
    page = _track(client, office.tenant, number).content.decode()
    assert "Verifikasi" in page and "sisa 5 hari kerja" in page
    assert Application.objects.get(pk=app.pk).tracking_facts == {}  # a look-up never writes

    call_command("permits_tracking_publish", "--tenant", office.tenant.slug, stdout=io.StringIO())
    assert Application.objects.get(pk=app.pk).tracking_facts["number"] == number
    assert _track(client, office.tenant, number).content.decode().count("sisa 5 hari kerja") == 1


def test_the_sla_left_counts_down_from_the_published_facts_without_a_new_transition(office, draft, moment, client):
    moment.set(2026, 3, 16, 9, 0)
    number = services.application_submit(application=draft(), actor=office.citizen)
    assert "sisa 5 hari kerja" in _track(client, office.tenant, number).content.decode()
    moment.set(2026, 3, 27, 9, 0)  # four working days later (Nyepi, Idul Fitri and cuti bersama skipped)
    cache.clear()
    page = _track(client, office.tenant, number).content.decode()
    assert "sisa 1 hari kerja" in page and "Mendekati tenggat" in page


def test_a_visitor_without_cookies_gets_the_kept_page_until_the_file_changes(office, draft, moment, client):
    moment.set(2026, 3, 16, 9, 0)
    app = draft()
    number = services.application_submit(application=app, actor=office.citizen)
    first = _track(client, office.tenant, number)
    assert "csrfmiddlewaretoken" not in first.content.decode()  # the same page for everyone
    with CaptureQueriesContext(connection) as again:
        second = _track(client, office.tenant, number.lower())
    assert second.content == first.content and len(again) <= 1  # at most the tenant, never the file
    # Someone carrying a cookie (signed in, or with a message waiting) gets the page made for them.
    client.cookies["sessionid"] = "x"
    with CaptureQueriesContext(connection) as live:
        assert _track(client, office.tenant, number).status_code == 200
    assert len(live) > len(again)
    del client.cookies["sessionid"]

    services.application_return_for_correction(
        application=app, items=[{"kind": "field", "code": "tinggi"}], note="Periksa tinggi.", actor=office.verifier,
    )
    assert "Jam layanan berhenti sementara" in _track(client, office.tenant, number).content.decode()


def test_the_language_switch_needs_a_token_only_from_people_signed_in(office):
    from django.test import Client

    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies["balai_language"].value == "en"
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(office.citizen)
    assert signed_in.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 403
