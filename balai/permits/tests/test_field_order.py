"""Rules across fields: a date field may not come before another (Izin Penelitian: the end date on or after
the start date), a number not below another. Declared in the catalogue (`min_field`), refused at save when
it names no field of the same kind, and checked on the applicant's answers beside the later field, also
at submission when the two sit on different pages of the form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from balai.permits import requirements, services
from balai.permits.tests.conftest import PENELITIAN_FORM
from balai.permits.tests.test_catalogue_admin import requirements_data
from balai.testing.clients import login

pytestmark = pytest.mark.django_db

DATES = [
    {"code": "mulai", "label": "Tanggal mulai", "type": "date", "required": True},
    {"code": "selesai", "label": "Tanggal selesai", "type": "date", "required": True, "min_field": "mulai"},
]


def test_an_end_date_before_the_start_date_is_refused_beside_the_end_date_naming_the_start():
    fields, errors = requirements.fields_normalise(DATES)
    assert not errors and fields[1]["min_field"] == "mulai"
    with pytest.raises(ValidationError) as refused:
        requirements.form_validate(fields=fields, data={"mulai": "2026-04-01", "selesai": "2026-03-31"})
    assert refused.value.message_dict == {"selesai": ["Tanggal selesai tidak boleh sebelum Tanggal mulai (1 April 2026)."]}
    # The same day is allowed, and so is a later one.
    assert requirements.form_validate(fields=fields, data={"mulai": "2026-04-01", "selesai": "2026-04-01"})
    assert requirements.form_validate(fields=fields, data={"mulai": "2026-04-01", "selesai": "2026-06-30"})


def test_a_number_may_not_be_below_the_number_it_names():
    fields, errors = requirements.fields_normalise([
        {"code": "lantai_bawah", "label": "Luas lantai dasar (m²)", "type": "decimal"},
        {"code": "luas_total", "label": "Luas total (m²)", "type": "integer", "min_field": "lantai_bawah"},
    ])
    assert not errors
    with pytest.raises(ValidationError) as refused:
        requirements.form_validate(fields=fields, data={"lantai_bawah": "120,5", "luas_total": "100"})
    assert refused.value.message_dict["luas_total"] == [
        "Luas total (m²) tidak boleh lebih kecil dari Luas lantai dasar (m²) (120,5)."
    ]


@pytest.mark.parametrize(
    ("other", "words"),
    [
        ("akhir", "yang tidak ada di formulir ini"),
        ("judul", "berjenis lain"),
        ("selesai", "bukan isian itu sendiri"),
    ],
)
def test_a_rule_naming_no_field_of_the_same_kind_is_refused_when_the_catalogue_is_saved(office, other, words):
    fields = [
        {"code": "judul", "label": "Judul", "type": "text"},
        DATES[0],
        {**DATES[1], "min_field": other},
    ]
    base = office.types["penelitian"]
    with pytest.raises(ValidationError) as refused:
        services.permit_type_save(
            tenant=office.tenant, actor=None, permit_type=base, code=base.code, name=base.name, sla_days=2,
            form_fields=fields, documents=base.current_version.documents,
        )
    [message] = refused.value.message_dict["form_fields"]
    assert message.startswith('Isian "selesai": ') and words in message


def test_only_dates_and_numbers_take_a_rule_across_fields():
    _fields, errors = requirements.fields_normalise([
        {"code": "judul", "label": "Judul", "type": "text", "min_field": "lembaga"},
        {"code": "lembaga", "label": "Lembaga", "type": "text"},
    ])
    assert errors == ['Isian "judul": batas dari isian lain hanya untuk isian tanggal atau angka.']


def test_the_demo_research_permit_refuses_an_end_before_its_start(office, draft):
    assert office.types["penelitian"].current_version.field("selesai")["min_field"] == "mulai"
    with pytest.raises(ValidationError) as refused:
        draft(code="penelitian", form={**PENELITIAN_FORM, "mulai": "2026-07-01", "selesai": "2026-06-30"})
    assert "selesai" in refused.value.message_dict


def test_answers_saved_on_different_pages_are_checked_when_the_later_one_is_saved(office, draft):
    app = draft(code="penelitian", form={k: v for k, v in PENELITIAN_FORM.items() if k != "selesai"})
    with pytest.raises(ValidationError) as refused:
        services.application_update_draft(application=app, form_data={"selesai": "2026-03-01"}, actor=office.citizen)
    assert refused.value.message_dict == {"selesai": ["Tanggal selesai tidak boleh sebelum Tanggal mulai (1 April 2026)."]}
    app.refresh_from_db()
    assert "selesai" not in app.form_data


def test_submission_refuses_an_earlier_answer_moved_past_the_later_one_on_another_page(office, draft):
    app = draft(code="penelitian")
    # The start date moved on its own page after the end date was saved: allowed as a draft...
    services.application_update_draft(application=app, form_data={"mulai": "2026-08-01"}, actor=office.citizen)
    # ...but the review step shows it beside the end date, and submission is refused.
    errors = services.completeness_errors(app)
    assert errors == {"selesai": "Tanggal selesai tidak boleh sebelum Tanggal mulai (1 Agustus 2026)."}
    with pytest.raises(ValidationError) as refused:
        services.application_submit(application=app, actor=office.citizen)
    assert "selesai" in refused.value.message_dict
    app.refresh_from_db()
    assert app.registration_number == ""


def test_the_catalogue_pages_edit_the_rule_and_put_a_wrong_one_beside_its_row(office, client, world):
    login(client, world.serang.people["admin"])
    permit_type = office.types["penelitian"]
    url = reverse("permits:catalogue_requirements_edit", kwargs={"tenant": office.tenant.slug, "pk": permit_type.pk})
    page = client.get(url).content.decode()
    assert 'name="fields-4-min_field"' in page and 'value="mulai"' in page

    rows = [
        {"position": "1", "code": "judul", "label": "Judul penelitian", "type": "text", "required": "on"},
        {"position": "2", "code": "mulai", "label": "Tanggal mulai", "type": "date", "required": "on"},
        {"position": "3", "code": "selesai", "label": "Tanggal selesai", "type": "date", "required": "on",
         "min_field": "judul"},
    ]
    documents = [{"position": "1", "code": "ktp", "label": "KTP", "kinds": ["pdf"], "mandatory": "on", "max_mb": "2"}]
    response = client.post(url, requirements_data(rows, documents))
    assert response.status_code == 400
    page = response.content.decode()
    assert "berjenis lain" in page and 'href="#id_fields-2-min_field"' in page

    rows[2]["min_field"] = "mulai"
    response = client.post(url, requirements_data(rows, documents, note="Tanggal selesai tidak sebelum mulai"))
    assert response.status_code == 302
    permit_type.refresh_from_db()
    assert permit_type.current_version.field("selesai")["min_field"] == "mulai"
    detail = client.get(response["Location"]).content.decode()
    assert "tidak sebelum <code>mulai</code>" in detail
