"""The applicant's form a few questions a page (DESIGN.md: "one question or a few per page on phones").

An Izin Reklame asks six questions: two pages of three, then the business data on a page of its own.
Each page checks and saves only its own questions; the answers of the other pages stay. A page skipped
by its address leaves the draft incomplete, and the review refuses it, pointing at the page to fill.
"""

import re

import pytest
from django.urls import reverse

from balai.core.files.tests.factories import pdf_bytes, upload
from balai.permits import applicant_registry, services
from balai.permits.forms_applicant import FormPage, form_pages
from balai.permits.models import Application
from balai.permits.tests.conftest import REKLAME_FORM
from balai.permits.tests.test_applicant_journey import shown_answers
from balai.testing.clients import login

pytestmark = pytest.mark.django_db

PAGE_1 = {"judul": REKLAME_FORM["judul"], "alamat": REKLAME_FORM["alamat"], "lebar": "3"}
PAGE_2 = {"tinggi": "5", "lama_hari": "30", "tarif_lokasi": "A"}


def url(name, tenant, **kwargs):
    return reverse(f"permits:{name}", kwargs={"tenant": tenant.slug, **kwargs})


@pytest.fixture(autouse=True)
def _registered():
    applicant_registry.register()


@pytest.fixture
def billboard(office, client):
    """A new, empty Izin Reklame draft of the logged-in citizen, and a way to its form pages."""
    login(client, office.citizen)
    client.post(url("applicant_start", office.tenant, code="reklame"))
    app = Application.objects.get(tenant=office.tenant, applicant=office.citizen)

    def page(number):
        if number == 1:
            return url("applicant_edit", office.tenant, pk=app.pk)
        return url("applicant_edit_page", office.tenant, pk=app.pk, page=number)

    app.page = page
    return app


def _pdf(code):
    return upload(pdf_bytes(f"{code}.pdf"), f"{code}.pdf")


def _saved(app):
    app.refresh_from_db()
    return app.form_data


def test_it_splits_a_long_form_into_pages_of_three_with_the_business_data_apart():
    specs = [{"code": c} for c in ("a", "b", "c", "d", "e", "f", "g")]
    assert form_pages(specs) == [
        FormPage(number=1, codes=("a", "b", "c")),
        FormPage(number=2, codes=("d", "e", "f")),
        FormPage(number=3, codes=("g",)),
        FormPage(number=4, codes=("business_name", "business_nib", "business_npwp"), business=True),
    ]


def test_a_form_of_three_questions_or_fewer_stays_one_page():
    specs = [{"code": c} for c in ("a", "b", "c")]
    assert form_pages(specs) == [FormPage(number=1, codes=("a", "b", "c", "business_name", "business_nib", "business_npwp"))]


def test_a_declared_field_named_like_the_business_data_is_asked_once():
    specs = [{"code": c} for c in ("a", "b", "c", "business_nib")]
    pages = form_pages(specs)
    assert [p.codes for p in pages] == [("a", "b", "c"), ("business_nib",), ("business_name", "business_npwp")]


def test_the_first_page_asks_its_own_questions_and_says_where_the_applicant_is(office, billboard, client):
    page = client.get(billboard.page(1)).content.decode()
    assert "Bagian 1 dari 3" in page
    assert '<strong aria-current="step">Bagian 1</strong>' in page
    assert f'href="{billboard.page(2)}">Bagian 2</a>' in page
    for code in PAGE_1:
        assert f'name="{code}"' in page
    for code in (*PAGE_2, "business_nib"):
        assert f'name="{code}"' not in page
    assert "Simpan dan lanjut</button>" in page and "Simpan sebagai draf" in page
    assert "Kembali ke bagian" not in page  # nothing before the first page


def test_a_page_shows_errors_only_for_its_own_questions(office, billboard, client):
    response = client.post(billboard.page(1), {"judul": "", "alamat": "Jl. Ahmad Yani", "lebar": "", "aksi": "lanjut"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ada yang perlu diperbaiki" in page
    assert 'href="#id_judul"' in page and 'href="#id_lebar"' in page
    assert 'id="id_judul-error"' in page and 'id="id_lebar-error"' in page
    assert "Tinggi papan" not in page and "Kelas lokasi strategis" not in page
    assert _saved(billboard) == {}  # nothing half-saved
    assert "Isi naskah/judul reklame." in page and "Isi lebar papan (m)." in page  # says what to do
    # A wrong answer is named beside its field, in plain words.
    response = client.post(billboard.page(1), {**PAGE_1, "lebar": "tiga", "aksi": "lanjut"})
    assert response.status_code == 400
    assert 'href="#id_lebar"' in response.content.decode() and "harus berupa angka" in response.content.decode()


def test_an_unanswered_choice_links_the_error_summary_to_its_first_option(office, billboard, client):
    response = client.post(billboard.page(2), {"tinggi": "5", "lama_hari": "30", "aksi": "lanjut"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_tarif_lokasi_0"' in page and 'id="id_tarif_lokasi_0"' in page
    assert "Pilih kelas lokasi strategis." in page


def test_answers_saved_page_by_page_survive_going_back(office, billboard, client):
    response = client.post(billboard.page(1), {**PAGE_1, "aksi": "lanjut"})
    assert response["Location"] == billboard.page(2)
    assert _saved(billboard) == {"judul": PAGE_1["judul"], "alamat": PAGE_1["alamat"], "lebar": "3"}

    page = client.get(billboard.page(2)).content.decode()
    assert "Bagian 2 dari 3" in page
    assert f'<a href="{billboard.page(1)}">Kembali ke bagian 1</a>' in page
    response = client.post(billboard.page(2), {**PAGE_2, "aksi": "lanjut"})
    assert response["Location"] == billboard.page(3)

    # Back on the first page its answers are there; changing one keeps the second page's answers.
    assert shown_answers(client.get(billboard.page(1)).content.decode()) == PAGE_1
    client.post(billboard.page(1), {**PAGE_1, "lebar": "2,5", "aksi": "lanjut"})
    assert _saved(billboard) == {**PAGE_1, "lebar": "2.5", "tinggi": "5", "lama_hari": 30, "tarif_lokasi": "A"}
    assert shown_answers(client.get(billboard.page(2)).content.decode()) == PAGE_2


def test_the_last_page_asks_the_business_data_and_leads_to_the_documents(office, billboard, client):
    client.post(billboard.page(1), {**PAGE_1, "aksi": "lanjut"})
    client.post(billboard.page(2), {**PAGE_2, "aksi": "lanjut"})
    page = client.get(billboard.page(3)).content.decode()
    assert "Bagian 3 dari 3" in page and "Data usaha (bila ada)" in page
    assert 'name="business_nib"' in page and 'name="judul"' not in page
    assert "Simpan dan lanjut ke dokumen" in page
    response = client.post(
        billboard.page(3), {"business_name": "Warung Citra", "business_nib": "9120001234567", "aksi": "lanjut"}
    )
    assert response["Location"] == url("applicant_documents", office.tenant, pk=billboard.pk)
    billboard.refresh_from_db()
    assert billboard.business_name == "Warung Citra" and billboard.business_nib == "9120001234567"
    assert billboard.form_data["judul"] == PAGE_1["judul"] and billboard.form_data["tarif_lokasi"] == "A"
    # Saving a page of questions leaves the business data alone.
    client.post(billboard.page(1), {**PAGE_1, "aksi": "lanjut"})
    billboard.refresh_from_db()
    assert billboard.business_name == "Warung Citra"


def test_saving_a_page_as_draft_keeps_what_the_other_pages_hold(office, billboard, client):
    client.post(billboard.page(1), {**PAGE_1, "aksi": "lanjut"})
    response = client.post(billboard.page(2), {"tinggi": "5", "aksi": "draf"})
    assert response["Location"] == url("applicant_list", office.tenant)
    assert _saved(billboard) == {**PAGE_1, "tinggi": "5"}


def test_a_page_that_does_not_exist_is_not_found(office, billboard, client):
    assert client.get(url("applicant_edit_page", office.tenant, pk=billboard.pk, page=4)).status_code == 404
    assert client.get(url("applicant_edit_page", office.tenant, pk=billboard.pk, page=0)).status_code == 404
    assert client.post(url("applicant_edit_page", office.tenant, pk=billboard.pk, page=9), PAGE_2).status_code == 404


def test_a_short_form_is_one_page_with_the_business_data(office, client):
    login(client, office.citizen)
    client.post(url("applicant_start", office.tenant, code="sip"))
    app = Application.objects.get(tenant=office.tenant, applicant=office.citizen)
    page = client.get(url("applicant_edit", office.tenant, pk=app.pk)).content.decode()
    assert "Bagian 1 dari" not in page and 'aria-current="step">Bagian' not in page
    assert 'name="profesi"' in page and 'name="tempat_praktik"' in page and 'name="business_nib"' in page
    assert "Simpan dan lanjut ke dokumen" in page
    assert client.get(url("applicant_edit_page", office.tenant, pk=app.pk, page=2)).status_code == 404
    response = client.post(
        url("applicant_edit", office.tenant, pk=app.pk),
        {"profesi": "bidan", "nomor_str": "STR-123", "tempat_praktik": "Klinik Sehat, Serang", "aksi": "lanjut"},
    )
    assert response["Location"] == url("applicant_documents", office.tenant, pk=app.pk)


def test_a_draft_with_a_page_skipped_cannot_be_submitted_and_the_review_points_at_that_page(
    office, billboard, client
):
    # Page 1, then straight to the last page by its address: the second page is never filled.
    client.post(billboard.page(1), {**PAGE_1, "aksi": "lanjut"})
    client.post(billboard.page(3), {"aksi": "lanjut"})
    for spec in billboard.type_version.documents:
        client.post(
            url("applicant_documents", office.tenant, pk=billboard.pk),
            {"persyaratan": spec["code"], f"{spec['code']}-berkas": _pdf(spec["code"])},
        )
    review = url("applicant_review", office.tenant, pk=billboard.pk)
    page = client.get(review).content.decode()
    assert "Permohonan belum dapat diajukan" in page
    assert f'<a href="{billboard.page(2)}#id_tinggi">Isi Tinggi papan (m).</a>' in page
    assert f'<a href="{billboard.page(2)}#id_tarif_lokasi_0">Pilih Kelas lokasi strategis.</a>' in page
    assert "Unggah" not in page.split("Permohonan belum dapat diajukan")[1].split("</div>")[0]  # documents are in

    response = client.post(review)
    assert response.status_code == 400
    assert f'{billboard.page(2)}#id_lama_hari' in response.content.decode()
    billboard.refresh_from_db()
    assert billboard.workflow_id is None and not billboard.registration_number

    # Filling the skipped page lets it through.
    client.post(billboard.page(2), {**PAGE_2, "aksi": "lanjut"})
    assert client.post(review)["Location"] == url("applicant_receipt", office.tenant, pk=billboard.pk)


def test_a_business_named_without_its_nib_sends_the_applicant_back_to_the_business_page(office, draft, client):
    app = draft("reklame", business_name="Warung Citra")
    login(client, office.citizen)
    page = client.get(url("applicant_review", office.tenant, pk=app.pk)).content.decode()
    business_page = url("applicant_edit_page", office.tenant, pk=app.pk, page=3)
    assert f'href="{business_page}#id_business_nib"' in page
    response = client.post(url("applicant_review", office.tenant, pk=app.pk))
    assert response.status_code == 400 and f'{business_page}#id_business_nib' in response.content.decode()


def test_the_review_links_each_answer_to_the_page_that_asks_it(office, draft, client):
    app = draft("reklame", business_name="Warung Citra")
    login(client, office.citizen)
    page = client.get(url("applicant_review", office.tenant, pk=app.pk)).content.decode()
    page_2 = url("applicant_edit_page", office.tenant, pk=app.pk, page=2)
    page_3 = url("applicant_edit_page", office.tenant, pk=app.pk, page=3)
    assert f'href="{page_2}">Ubah<span class="visually-hidden"> Tinggi papan (m)</span>' in page
    assert f'href="{page_3}">Ubah<span class="visually-hidden"> Nama usaha</span>' in page


def test_a_submitted_files_form_pages_are_closed(office, draft, client):
    app = draft("reklame")
    services.application_submit(application=app, actor=office.citizen)
    login(client, office.citizen)
    detail = url("applicant_detail", office.tenant, pk=app.pk)
    assert client.get(url("applicant_edit_page", office.tenant, pk=app.pk, page=2))["Location"] == detail
    response = client.post(url("applicant_edit_page", office.tenant, pk=app.pk, page=2), {**PAGE_2, "tinggi": "9"})
    assert response["Location"] == detail
    assert _saved(app)["tinggi"] == "5"


def test_a_registered_business_is_chosen_instead_of_typed(office, billboard, client, world):
    from balai.core.parties.services import entity_register

    mine = entity_register(
        kind="business", name="CV Citra Mandiri", nib="9120001234567", npwp="01.312.166.0-091.000",
        address="Jl. Ahmad Yani 1", regency_code="36.73", actor=office.citizen,
    )
    theirs = entity_register(
        kind="business", name="PT Orang Lain", nib="9120007654321", address="Jl. Lain 2", regency_code="36.72",
        actor=world.outsider,
    )
    client.post(billboard.page(1), {**PAGE_1, "aksi": "lanjut"})
    client.post(billboard.page(2), {**PAGE_2, "aksi": "lanjut"})
    page = client.get(billboard.page(3)).content.decode()
    assert "Untuk siapa izin ini?" in page and "CV Citra Mandiri — NIB 9120001234567" in page
    assert "PT Orang Lain" not in page  # only the businesses she represents
    # Another person's business cannot be slipped in by its id.
    response = client.post(billboard.page(3), {"legal_entity": str(theirs.pk), "aksi": "lanjut"})
    assert response.status_code == 400
    billboard.refresh_from_db()
    assert billboard.business_name == ""
    client.post(billboard.page(3), {"legal_entity": str(mine.pk), "business_name": "typed over", "aksi": "lanjut"})
    billboard.refresh_from_db()
    assert (billboard.business_name, billboard.business_nib) == ("CV Citra Mandiri", "9120001234567")
    assert billboard.business_npwp == mine.npwp
    # Coming back, her choice is shown selected.
    page = client.get(billboard.page(3)).content.decode()
    assert re.search(rf'<input[^>]*value="{mine.pk}"[^>]*checked', page)
