"""The catalogue: the spec's demo types, the billboard tax worked example, checks when a type is saved,
versions, and the applicant's answers checked field by field."""

import pytest
from django.core.exceptions import ValidationError

from balai.permits import selectors, services
from balai.permits.demo import demo_permit_catalogue
from balai.permits.models import PermitType

pytestmark = pytest.mark.django_db


def save(office, **overrides):
    kwargs = dict(
        tenant=office.tenant, actor=None, code="uji", name="Izin Uji", sla_days=3,
        form_fields=[{"code": "luas", "label": "Luas (m²)", "type": "decimal", "required": True}],
        documents=[{"code": "ktp", "label": "KTP", "kinds": ["pdf"], "mandatory": True, "max_mb": 2}],
    )
    kwargs.update(overrides)
    return services.permit_type_save(**kwargs)


def messages(exc, key):
    return " ".join(exc.value.message_dict[key])


def test_the_demo_catalogue_has_the_four_types_of_the_spec_and_loads_twice_without_duplicates(office):
    again = demo_permit_catalogue(tenant=office.tenant)
    assert sorted(t.code for t in again) == ["pbg", "penelitian", "reklame", "sip"]
    assert PermitType.objects.filter(tenant=office.tenant).count() == 4
    public = {t.code: t for t in selectors.permit_types_public(tenant=office.tenant)}
    assert public["reklame"].sla_days == 5 and public["reklame"].validity_months == 12 and public["reklame"].renewable
    assert public["pbg"].sla_days == 30 and public["pbg"].needs_recommendation
    assert public["sip"].current_version.fee_model == "none"
    assert {d["code"] for d in public["sip"].current_version.documents} >= {"str", "rekomendasi"}
    assert public["penelitian"].sla_days == 2 and public["penelitian"].inspection == "never"


def test_the_billboard_tax_is_the_dki_example_3_by_5_m_at_rp_125000(office):
    version = office.types["reklame"].current_version
    form = services.form_validate(
        fields=version.form_fields,
        data={"judul": "A", "alamat": "B", "lebar": "3", "tinggi": "5", "lama_hari": "30", "tarif_lokasi": "A"},
    )
    quote = services.fee_quote(version=version, form_data=form)
    # NSR = 15 m² × 30 days × Rp 125.000 = Rp 56.250.000; the tax is 25% of it.
    assert quote.amount == 14_062_500
    assert "14.062.500" in quote.explanation


def test_a_small_board_is_not_inspected_and_a_large_one_is(office, draft):
    small = draft(form={**_reklame(), "lebar": "2", "tinggi": "5"})  # exactly 10 m²: not more than 10
    large = draft(form={**_reklame(), "lebar": "2", "tinggi": "5.5"})
    assert services.inspection_needed(small) is False
    assert services.inspection_needed(large) is True


def _reklame():
    from balai.permits.tests.conftest import REKLAME_FORM

    return dict(REKLAME_FORM)


def test_it_refuses_duplicate_field_codes_and_unknown_types_with_clear_messages(office):
    with pytest.raises(ValidationError) as exc:
        save(office, form_fields=[
            {"code": "luas", "label": "Luas", "type": "decimal"},
            {"code": "luas", "label": "Luas lagi", "type": "decimal"},
            {"code": "warna", "label": "Warna", "type": "colour"},
        ])
    text = messages(exc, "form_fields")
    assert "\"luas\" dipakai dua kali" in text and "jenis \"colour\" tidak dikenal" in text


def test_it_refuses_a_formula_over_a_text_field_at_save(office):
    with pytest.raises(ValidationError) as exc:
        save(
            office,
            form_fields=[{"code": "alamat", "label": "Alamat", "type": "text"}],
            fee_model="formula", fee_config={"expression": "alamat * 1000"},
        )
    assert "fee_config" in exc.value.message_dict


def test_it_refuses_a_formula_that_is_not_arithmetic(office):
    with pytest.raises(ValidationError) as exc:
        save(office, fee_model="formula", fee_config={"expression": "__import__('os').system('id')"})
    assert "fee_config" in exc.value.message_dict


def test_deemed_approval_needs_fiktif_positif(office):
    with pytest.raises(ValidationError) as exc:
        save(office, escalation="auto_approve")
    assert "fiktif positif" in messages(exc, "escalation")
    saved = save(office, escalation="auto_approve", fiktif_positif=True)
    assert saved.workflow_code == "permits.application_fiktif"


def test_the_inspection_rule_must_name_numeric_fields(office):
    with pytest.raises(ValidationError) as exc:
        save(office, inspection="by_rule", inspection_rule={"field": "alamat", "op": ">", "value": 1})
    assert "bukan isian angka" in messages(exc, "inspection_rule")


def test_a_change_of_requirements_makes_a_new_version_and_drafts_keep_theirs(office, draft):
    permit_type = office.types["penelitian"]
    before = permit_type.current_version
    pinned = draft(code="penelitian")
    same = services.permit_type_save(
        tenant=office.tenant, actor=None, permit_type=permit_type, code="penelitian", name="Izin Penelitian (baru)",
        sla_days=3, form_fields=before.form_fields, documents=before.documents,
    )
    assert same.current_version_id == before.pk  # only the name and SLA changed: no new version
    changed = services.permit_type_save(
        tenant=office.tenant, actor=None, permit_type=permit_type, code="penelitian", name="Izin Penelitian",
        sla_days=3, form_fields=before.form_fields, documents=before.documents[:1],
    )
    assert changed.current_version.number == before.number + 1
    pinned.refresh_from_db()
    assert pinned.type_version_id == before.pk


def test_answers_are_checked_field_by_field_in_indonesian(office):
    fields = office.types["reklame"].current_version.form_fields
    with pytest.raises(ValidationError) as exc:
        services.form_validate(fields=fields, data={"lebar": "tiga", "tinggi": "0", "lama_hari": "2,5", "tarif_lokasi": "Z"})
    errors = exc.value.message_dict
    assert errors["lebar"] == ["Lebar papan (m) harus berupa angka, misalnya 12,5."]
    assert errors["tinggi"] == ["Tinggi papan (m) paling kecil 0,1."]
    assert "bulat" in errors["lama_hari"][0]
    assert errors["tarif_lokasi"] == ["Pilih salah satu pilihan Kelas lokasi strategis."]
    assert errors["judul"] == ["Isi Naskah/judul reklame."]


def test_a_draft_may_be_incomplete_but_not_wrong(office):
    fields = office.types["reklame"].current_version.form_fields
    assert services.form_validate(fields=fields, data={"lebar": "2,5"}, partial=True) == {"lebar": "2.5"}
    with pytest.raises(ValidationError):
        services.form_validate(fields=fields, data={"lebar": "-"}, partial=True)


def test_the_public_catalogue_hides_unpublished_types_and_other_tenants(office, world):
    services.permit_type_set_published(permit_type=office.types["pbg"], published=False, actor=None)
    codes = {t.code for t in selectors.permit_types_public(tenant=office.tenant)}
    assert "pbg" not in codes and "reklame" in codes
    assert not selectors.permit_types_public(tenant=world.cilegon.tenant).exists()
