"""The tenant administrator's catalogue pages: a permit type built through the pages, formulas refused at
save with the message beside the formula, versions that running applications keep, the fee preview,
publication and who may use the pages."""

import re

import pytest
from django.urls import reverse

from balai.permits import selectors, services
from balai.permits.models import PermitType, PermitTypeVersion
from balai.testing.clients import login

pytestmark = pytest.mark.django_db


def url(tenant, name, **kwargs):
    return reverse(f"permits:{name}", kwargs={"tenant": tenant.slug, **kwargs})


@pytest.fixture
def admin(client, world):
    login(client, world.serang.people["admin"])
    return client


def type_data(**overrides):
    data = {
        "code": "reklame_kecil", "name": "Izin Reklame Kecil", "description": "Papan kecil.", "sla_days": "5",
        "validity_months": "12", "renewable": "on", "renewal_window_days": "30", "inspection": "never",
        "rule_op": ">", "escalation": "notify_head",
    }
    data.update(overrides)
    return data


def requirements_data(fields, documents, note=""):
    data = {
        "action": "save", "note": note,
        "fields-TOTAL_FORMS": str(len(fields)), "fields-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": str(len(documents)), "documents-INITIAL_FORMS": "0",
    }
    for i, row in enumerate(fields):
        data.update({f"fields-{i}-{k}": v for k, v in row.items()})
    for i, row in enumerate(documents):
        for k, v in row.items():
            data[f"documents-{i}-{k}"] = v
    return data


FIELDS = [
    {"position": "1", "code": "lebar", "label": "Lebar (m)", "type": "decimal", "required": "on", "min": "0,1", "max": "50"},
    {"position": "2", "code": "tinggi", "label": "Tinggi (m)", "type": "decimal", "required": "on"},
    {"position": "3", "code": "lokasi", "label": "Kelas lokasi", "type": "choice", "required": "on",
     "choices": "A = Kelas A: jalan protokol\nB = Kelas B"},
    {"position": "4", "code": "alamat", "label": "Alamat", "type": "text", "required": "on", "max": "300"},
]
DOCUMENTS = [
    {"position": "1", "code": "ktp", "label": "KTP pemohon", "kinds": ["pdf", "jpeg"], "mandatory": "on", "max_mb": "2"},
    {"position": "2", "code": "desain", "label": "Desain reklame", "kinds": ["pdf"], "max_mb": "5"},
]


def fee_data(**overrides):
    data = {"action": "save", "fee_model": "formula", "rounding": "nearest", "tiers-TOTAL_FORMS": "0", "tiers-INITIAL_FORMS": "0"}
    data.update(overrides)
    return data


def made_type(tenant, **overrides):
    kwargs = dict(
        tenant=tenant, actor=None, code="uji", name="Izin Uji", sla_days=3, is_published=True,
        form_fields=[
            {"code": "lebar", "label": "Lebar", "type": "decimal", "required": True},
            {"code": "tinggi", "label": "Tinggi", "type": "decimal", "required": True},
            {"code": "alamat", "label": "Alamat", "type": "text"},
        ],
        documents=[{"code": "ktp", "label": "KTP", "kinds": ["pdf"], "mandatory": True, "max_mb": 2}],
        fee_model="formula", fee_config={"expression": "lebar * tinggi * 1000"},
    )
    kwargs.update(overrides)
    return services.permit_type_save(**kwargs)


def test_it_builds_a_permit_type_with_fields_documents_and_a_formula_fee_through_the_pages(admin, world):
    tenant = world.serang.tenant
    response = admin.post(url(tenant, "catalogue_type_create"), type_data())
    permit_type = PermitType.objects.get(tenant=tenant, code="reklame_kecil")
    assert response.status_code == 302 and response["Location"] == url(tenant, "catalogue_requirements_edit", pk=permit_type.pk)
    assert permit_type.validity_months == 12 and permit_type.renewable and not permit_type.is_published

    response = admin.post(
        url(tenant, "catalogue_requirements_edit", pk=permit_type.pk),
        requirements_data(FIELDS, DOCUMENTS, note="Persyaratan awal"),
    )
    assert response.status_code == 302
    permit_type.refresh_from_db()
    version = permit_type.current_version
    assert [f["code"] for f in version.form_fields] == ["lebar", "tinggi", "lokasi", "alamat"]
    assert version.field("lebar")["min"] == "0.1"
    assert version.field("lokasi")["choices"][0] == {"value": "A", "label": "Kelas A: jalan protokol"}
    assert version.requirement("ktp")["kinds"] == ["pdf", "jpeg"] and version.requirement("ktp")["mandatory"]
    assert version.requirement("desain")["mandatory"] is False
    assert version.note == "Persyaratan awal" and version.created_by == world.serang.people["admin"]

    response = admin.post(
        url(tenant, "catalogue_fee_edit", pk=permit_type.pk),
        fee_data(expression="0.25 * lebar * tinggi * 30 * lokasi", lookup__lokasi__0="125000", lookup__lokasi__1="75000"),
    )
    assert response.status_code == 302
    permit_type.refresh_from_db()
    version = permit_type.current_version
    assert version.fee_model == "formula"
    assert version.fee_config["lookups"] == {"lokasi": {"A": 125000, "B": 75000}}
    quote = services.fee_quote(version=version, form_data={"lebar": "3", "tinggi": "5", "lokasi": "A"})
    assert quote.amount == 14_062_500

    page = admin.get(url(tenant, "catalogue_type_detail", pk=permit_type.pk)).content.decode()
    assert "0.25 * lebar * tinggi * 30 * lokasi" in page and "Desain reklame" in page
    listing = admin.get(url(tenant, "catalogue_type_list")).content.decode()
    assert "Izin Reklame Kecil" in listing and "Rumus" in listing and "Tersembunyi" in listing


@pytest.mark.parametrize(
    "expression, says",
    [
        ("__import__('os')", "Fungsi __import__() tidak dikenal"),
        ("lebar.__class__", "Akses atribut ('.__class__') tidak diperbolehkan"),
        ("open('x')", "Fungsi open() tidak dikenal"),
        ("lebar * panjang", "Nama 'panjang' dalam rumus bukan isian formulir"),
        ("alamat * 2", "bukan angka"),
        ("lebar ** 2", "Pangkat (**) tidak diperbolehkan"),
    ],
)
def test_it_refuses_a_formula_that_is_not_arithmetic_over_known_fields_at_save_beside_the_formula(admin, world, expression, says):
    tenant = world.serang.tenant
    permit_type = made_type(tenant)
    before = PermitTypeVersion.objects.filter(permit_type=permit_type).count()

    response = admin.post(url(tenant, "catalogue_fee_edit", pk=permit_type.pk), fee_data(expression=expression))

    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(r'id="id_expression-error">(.*?)</div>', page, re.S)
    assert error is not None, "the refusal is shown beside the formula"
    assert says in error.group(1).replace("&#x27;", "'")
    assert 'aria-invalid="true"' in page and "error-summary" in page
    assert PermitTypeVersion.objects.filter(permit_type=permit_type).count() == before
    permit_type.refresh_from_db()
    assert permit_type.current_version.fee_config["expression"] == "lebar * tinggi * 1000"


def test_a_requirements_change_makes_a_new_version_and_a_running_application_keeps_its_own(admin, world):
    tenant = world.serang.tenant
    citizen = world.serang.people["citizen"]
    permit_type = made_type(tenant)
    old = permit_type.current_version
    application = services.application_create_draft(
        tenant=tenant, permit_type=permit_type, applicant=citizen, form_data={"lebar": "2", "tinggi": "3"}, actor=citizen
    )

    fields = [
        {"position": "1", "code": "lebar", "label": "Lebar", "type": "decimal", "required": "on"},
        {"position": "2", "code": "tinggi", "label": "Tinggi", "type": "decimal", "required": "on"},
        {"position": "3", "code": "alamat", "label": "Alamat", "type": "text"},
        {"position": "4", "code": "jumlah_sisi", "label": "Jumlah sisi", "type": "integer", "required": "on", "min": "1", "max": "4"},
    ]
    documents = [{"position": "1", "code": "ktp", "label": "KTP", "kinds": ["pdf"], "mandatory": "on", "max_mb": "2"}]
    response = admin.post(
        url(tenant, "catalogue_requirements_edit", pk=permit_type.pk), requirements_data(fields, documents, note="Tambah sisi")
    )

    assert response.status_code == 302
    permit_type.refresh_from_db()
    new = permit_type.current_version
    assert new.number == old.number + 1 and new.field("jumlah_sisi") is not None
    application.refresh_from_db()
    assert application.type_version_id == old.pk and old.field("jumlah_sisi") is None
    page = admin.get(url(tenant, "catalogue_type_detail", pk=permit_type.pk)).content.decode()
    assert "Tambah sisi" in page and world.serang.people["admin"].full_name in page
    assert "tetap memakai versi" in page
    old_page = admin.get(url(tenant, "catalogue_version_detail", pk=permit_type.pk, number=old.number)).content.decode()
    assert "Versi lama" in old_page and "jumlah_sisi" not in old_page


def test_saving_unchanged_requirements_makes_no_new_version(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant)
    fields = [
        {"position": "1", "code": "lebar", "label": "Lebar", "type": "decimal", "required": "on"},
        {"position": "2", "code": "tinggi", "label": "Tinggi", "type": "decimal", "required": "on"},
        {"position": "3", "code": "alamat", "label": "Alamat", "type": "text"},
        {"position": "", "code": "", "label": ""},  # a blank row is ignored
    ]
    documents = [{"position": "1", "code": "ktp", "label": "KTP", "kinds": ["pdf"], "mandatory": "on", "max_mb": "2"}]
    response = admin.post(url(tenant, "catalogue_requirements_edit", pk=permit_type.pk), requirements_data(fields, documents))
    assert response.status_code == 302
    assert PermitTypeVersion.objects.filter(permit_type=permit_type).count() == 1


def test_rows_reorder_by_their_number_and_a_removed_row_goes(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant, fee_model="none", fee_config={})
    fields = [
        {"position": "3", "code": "lebar", "label": "Lebar", "type": "decimal"},
        {"position": "1", "code": "tinggi", "label": "Tinggi", "type": "decimal"},
        {"position": "2", "code": "alamat", "label": "Alamat", "type": "text", "remove": "on"},
    ]
    documents = [{"position": "1", "code": "ktp", "label": "KTP", "kinds": ["pdf"], "max_mb": "2"}]
    assert admin.post(url(tenant, "catalogue_requirements_edit", pk=permit_type.pk), requirements_data(fields, documents)).status_code == 302
    permit_type.refresh_from_db()
    assert [f["code"] for f in permit_type.current_version.form_fields] == ["tinggi", "lebar"]


def test_removing_a_field_the_fee_formula_uses_is_refused_with_what_to_do(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant)
    fields = [{"position": "1", "code": "lebar", "label": "Lebar", "type": "decimal", "required": "on"}]
    documents = [{"position": "1", "code": "ktp", "label": "KTP", "kinds": ["pdf"], "mandatory": "on", "max_mb": "2"}]
    response = admin.post(url(tenant, "catalogue_requirements_edit", pk=permit_type.pk), requirements_data(fields, documents))
    assert response.status_code == 400
    page = response.content.decode().replace("&#x27;", "'")
    assert "Nama 'tinggi' dalam rumus bukan isian formulir" in page and "Ubah rumus tarif dulu" in page
    assert PermitTypeVersion.objects.filter(permit_type=permit_type).count() == 1


def test_a_bad_row_is_shown_on_its_row_and_nothing_is_saved(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant, fee_model="none", fee_config={})
    fields = [
        {"position": "1", "code": "Lebar Papan", "label": "Lebar", "type": "decimal"},
        {"position": "2", "code": "pilih", "label": "Pilih", "type": "choice"},
    ]
    documents = [{"position": "1", "code": "ktp", "label": "KTP", "max_mb": "2"}]
    response = admin.post(url(tenant, "catalogue_requirements_edit", pk=permit_type.pk), requirements_data(fields, documents))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Isian baris 1" in page and "kode harus huruf kecil" in page
    assert "pilihan kosong" in page
    assert "Pilih paling sedikit satu format berkas" in page
    assert PermitTypeVersion.objects.filter(permit_type=permit_type).count() == 1


def test_add_row_buttons_show_one_more_blank_row_without_saving(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant)
    fields = [{"position": "1", "code": "lebar", "label": "Lebar", "type": "decimal"}]
    data = requirements_data(fields, [])
    data["action"] = "add_field"
    response = admin.post(url(tenant, "catalogue_requirements_edit", pk=permit_type.pk), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="fields-1-code"' in page and 'value="2" id="id_fields-TOTAL_FORMS"' in page.replace('name="fields-TOTAL_FORMS" ', "")
    assert PermitTypeVersion.objects.filter(permit_type=permit_type).count() == 1


def test_the_fee_preview_quotes_sample_answers_with_its_explanation(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant)
    data = fee_data(expression="lebar * tinggi * 1000 + 500", **{"contoh-lebar": "3", "contoh-tinggi": "2,5"})
    response = admin.post(url(tenant, "catalogue_fee_preview", pk=permit_type.pk), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rp 8.000" in page and "lebar × tinggi × 1.000 + 500" in page
    assert "<html" not in page, "htmx gets the fragment only"

    # Without JavaScript the same button submits the page, which shows the preview and saves nothing.
    data["action"] = "preview"
    response = admin.post(url(tenant, "catalogue_fee_edit", pk=permit_type.pk), data)
    assert response.status_code == 200 and "Rp 8.000" in response.content.decode()
    assert PermitTypeVersion.objects.filter(permit_type=permit_type).count() == 1


def test_the_fee_preview_says_which_sample_is_missing_and_refuses_a_bad_formula(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant)
    response = admin.post(
        url(tenant, "catalogue_fee_preview", pk=permit_type.pk),
        fee_data(expression="lebar * tinggi", **{"contoh-lebar": "3"}),
    )
    page = response.content.decode().replace("&#x27;", "'")
    assert "Isian 'Tinggi' wajib diisi untuk menghitung biaya" in page
    assert 'id="id_contoh-tinggi-error"' in page

    response = admin.post(
        url(tenant, "catalogue_fee_preview", pk=permit_type.pk),
        fee_data(expression="__import__('os').system('id')", **{"contoh-lebar": "3"}),
    )
    assert "tidak diperbolehkan" in response.content.decode() and "Biaya:" not in response.content.decode()


def test_fixed_per_unit_and_tiered_fees_save_from_the_page(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant)
    edit = url(tenant, "catalogue_fee_edit", pk=permit_type.pk)

    assert admin.post(edit, fee_data(fee_model="fixed", amount="150000")).status_code == 302
    permit_type.refresh_from_db()
    assert permit_type.current_version.fee_config == {"amount": 150000}

    assert admin.post(edit, fee_data(fee_model="per_unit", unit_field="lebar", unit_price="10000", minimum="50000")).status_code == 302
    permit_type.refresh_from_db()
    assert services.fee_quote(version=permit_type.current_version, form_data={"lebar": "2", "tinggi": "1"}).amount == 50_000

    tiers = {
        "tiers-TOTAL_FORMS": "3", "tiers-INITIAL_FORMS": "0",
        "tiers-0-up_to": "10", "tiers-0-charge_kind": "amount", "tiers-0-charge": "100000",
        "tiers-1-up_to": "", "tiers-1-charge_kind": "rate", "tiers-1-charge": "7500",
        "tiers-2-up_to": "", "tiers-2-charge_kind": "amount", "tiers-2-charge": "",
    }
    assert admin.post(edit, fee_data(fee_model="tiered", tier_field="lebar", **tiers)).status_code == 302
    permit_type.refresh_from_db()
    version = permit_type.current_version
    assert version.number == 4
    assert services.fee_quote(version=version, form_data={"lebar": "20", "tinggi": "1"}).amount == 150_000

    # A table whose last tier has a bound is refused, with the engine's message.
    bad = {**tiers, "tiers-1-up_to": "50"}
    response = admin.post(edit, fee_data(fee_model="tiered", tier_field="lebar", **bad))
    assert response.status_code == 400 and "Golongan terakhir harus tanpa batas atas" in response.content.decode()


def test_a_fixed_fee_in_words_is_refused_beside_the_amount(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant)
    response = admin.post(url(tenant, "catalogue_fee_edit", pk=permit_type.pk), fee_data(fee_model="fixed", amount="150.000,-"))
    assert response.status_code == 400
    assert re.search(r'id="id_amount-error">.*bilangan bulat rupiah', response.content.decode(), re.S)


def test_publishing_shows_the_type_in_the_public_catalogue_and_hiding_removes_it(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant, is_published=False)
    assert permit_type not in selectors.permit_types_public(tenant=tenant)

    response = admin.post(url(tenant, "catalogue_type_publish", pk=permit_type.pk), {"published": "1"})
    assert response.status_code == 302
    assert permit_type in selectors.permit_types_public(tenant=tenant)
    assert "Sembunyikan dari katalog publik" in admin.get(url(tenant, "catalogue_type_detail", pk=permit_type.pk)).content.decode()

    admin.post(url(tenant, "catalogue_type_publish", pk=permit_type.pk), {"published": "0"})
    assert permit_type not in selectors.permit_types_public(tenant=tenant)


def test_editing_the_type_keeps_its_requirements_and_checks_the_inspection_rule(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant)
    edit = url(tenant, "catalogue_type_edit", pk=permit_type.pk)
    page = admin.get(edit).content.decode()
    assert "lebar, tinggi" in page  # the numeric fields the rule may use

    response = admin.post(edit, type_data(code="uji", name="Izin Uji", inspection="by_rule", rule_field="alamat", rule_value="10"))
    assert response.status_code == 400
    assert re.search(r'id="id_rule_field-error">.*bukan isian angka', response.content.decode(), re.S)

    response = admin.post(
        edit, type_data(code="uji", name="Izin Uji", inspection="by_rule", rule_field="lebar*tinggi", rule_op=">", rule_value="10")
    )
    assert response.status_code == 302
    permit_type.refresh_from_db()
    assert permit_type.inspection_rule == {"field": "lebar*tinggi", "op": ">", "value": "10"}
    assert permit_type.sla_days == 5 and permit_type.current_version.number == 1

    response = admin.post(edit, type_data(code="uji", name="Izin Uji", escalation="auto_approve"))
    assert response.status_code == 400 and "fiktif positif" in response.content.decode()
    response = admin.post(edit, type_data(code="uji", name="Izin Uji", escalation="auto_approve", fiktif_positif="on"))
    assert response.status_code == 302
    permit_type.refresh_from_db()
    assert permit_type.workflow_code == "permits.application_fiktif"


def test_a_duplicate_code_is_refused_beside_the_code(admin, world):
    tenant = world.serang.tenant
    made_type(tenant)
    response = admin.post(url(tenant, "catalogue_type_create"), type_data(code="uji"))
    assert response.status_code == 400
    assert re.search(r'id="id_code-error">.*sudah dipakai', response.content.decode(), re.S)


def test_the_detail_page_links_the_workflow_and_the_permit_template(admin, world):
    tenant = world.serang.tenant
    permit_type = made_type(tenant)
    page = admin.get(url(tenant, "catalogue_type_detail", pk=permit_type.pk)).content.decode()
    assert reverse("workflow:definition_detail", kwargs={"tenant": tenant.slug, "code": "permits.application"}) in page
    assert reverse("workflow:definition_override", kwargs={"tenant": tenant.slug, "code": "permits.application"}) in page
    assert "Bawaan modul, belum diubah" in page
    assert reverse("documents:template_create", kwargs={"tenant": tenant.slug}) in page


@pytest.mark.parametrize("kind", ["officer", "citizen", "inspector"])
def test_only_the_tenant_administrator_may_manage_the_catalogue(client, world, kind):
    tenant = world.serang.tenant
    permit_type = made_type(tenant, is_published=False)
    login(client, world.serang.people[kind])
    assert client.get(url(tenant, "catalogue_type_list")).status_code == 403
    assert client.post(url(tenant, "catalogue_type_publish", pk=permit_type.pk), {"published": "1"}).status_code == 403
    assert client.post(url(tenant, "catalogue_fee_edit", pk=permit_type.pk), fee_data(fee_model="none")).status_code == 403
    permit_type.refresh_from_db()
    assert not permit_type.is_published


def test_another_tenants_type_is_not_found(admin, world):
    other = made_type(world.cilegon.tenant)
    tenant = world.serang.tenant
    assert admin.get(url(tenant, "catalogue_type_detail", pk=other.pk)).status_code == 404
    assert admin.post(url(tenant, "catalogue_type_publish", pk=other.pk), {"published": "0"}).status_code == 404


def _form_values(page: str) -> dict:
    """The values a browser would post from the page's form (inputs, checked boxes, selected options, textareas)."""
    import html

    data: dict = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) in ("checkbox", "radio") and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data.setdefault(name.group(1), []).append(html.unescape(value.group(1)) if value else ("on" if kind and kind.group(1) == "checkbox" else ""))
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = [html.unescape(body.lstrip("\n"))]
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = [html.unescape(chosen.group(1)) if chosen else ""]
    data.pop("csrfmiddlewaretoken", None)
    return data


@pytest.mark.parametrize("code", ["reklame", "pbg", "sip", "penelitian"])
def test_the_demo_types_pages_post_back_unchanged_without_a_new_version(admin, world, office, code):
    tenant = world.serang.tenant
    permit_type = office.types[code]
    before = PermitTypeVersion.objects.filter(permit_type=permit_type).count()
    for name in ("catalogue_type_edit", "catalogue_requirements_edit", "catalogue_fee_edit"):
        page = admin.get(url(tenant, name, pk=permit_type.pk)).content.decode()
        data = _form_values(page)
        data["action"] = ["save"]
        response = admin.post(url(tenant, name, pk=permit_type.pk), data)
        assert response.status_code == 302, (name, re.findall(r'-error">(.*?)</div>', response.content.decode(), re.S))
    assert PermitTypeVersion.objects.filter(permit_type=permit_type).count() == before
    if code == "reklame":
        page = admin.get(url(tenant, "catalogue_fee_edit", pk=permit_type.pk)).content.decode()
        assert "0.25 * lebar * tinggi * lama_hari * tarif_lokasi" in page and 'value="125000"' in page


def test_the_responsible_unit_is_chosen_from_the_tenants_units(admin, world):
    import datetime

    from balai.core.orgs import services as org_services
    from balai.core.orgs.models import Unit

    tenant = world.serang.tenant
    opd = org_services.unit_create(
        tenant=tenant, code="DPMPTSP", name="Dinas PMPTSP", kind=Unit.Kind.OPD, valid_from=datetime.date(2020, 1, 1)
    )
    foreign = org_services.unit_create(
        tenant=world.cilegon.tenant, code="DPMPTSP", name="Dinas Cilegon", kind=Unit.Kind.OPD, valid_from=datetime.date(2020, 1, 1)
    )
    permit_type = made_type(tenant)
    edit = url(tenant, "catalogue_type_edit", pk=permit_type.pk)
    assert "Dinas PMPTSP" in admin.get(edit).content.decode()
    assert admin.post(edit, type_data(code="uji", name="Izin Uji", unit=str(foreign.pk))).status_code == 400
    assert admin.post(edit, type_data(code="uji", name="Izin Uji", unit=str(opd.pk))).status_code == 302
    permit_type.refresh_from_db()
    assert permit_type.unit_id == opd.pk
