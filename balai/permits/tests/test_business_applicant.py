"""A business applicant attaches the permit to a business with its NIB (and NPWP): the numbers are checked
whenever they are given (drafts too, and edits, not only the first save), and a file for a business is
submitted only with the business's name and NIB together."""

import pytest
from django.core.exceptions import ValidationError

from balai.permits import services

pytestmark = pytest.mark.django_db


def refusal(call):
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_an_edit_refuses_a_wrong_nib_or_npwp_and_keeps_nothing_of_it(office, draft):
    app = draft(documents=False)

    errors = refusal(
        lambda: services.application_update_draft(
            application=app, form_data={"judul": "Judul baru"}, business_nib="12345", business_npwp="013121661091000",
            actor=office.citizen,
        )
    )
    assert set(errors) == {"business_nib", "business_npwp"}
    assert "13 angka" in errors["business_nib"][0]
    assert "angka pemeriksanya" in errors["business_npwp"][0]
    app.refresh_from_db()
    assert app.business_nib == "" and app.business_npwp == ""
    assert app.form_data["judul"] != "Judul baru"  # nothing half-saved

    services.application_update_draft(
        application=app, form_data={}, business_name="  Warung   Citra ", business_nib="9120 0012 3456 7",
        business_npwp="01.312.166.0-091.000", actor=office.citizen,
    )
    app.refresh_from_db()
    assert (app.business_name, app.business_nib, app.business_npwp) == ("Warung Citra", "9120001234567", "013121660091000")


def test_a_new_draft_checks_the_npwp_check_digit_and_accepts_a_nik_based_one(office, draft):
    errors = refusal(lambda: draft(documents=False, business_name="Warung Citra", business_nib="9120001234567",
                                   business_npwp="013121650091000"))
    assert list(errors) == ["business_npwp"]
    app = draft(documents=False, business_name="Warung Citra", business_nib="9120001234567",
                business_npwp="3173014509870001")
    assert app.business_npwp == "3173014509870001"


def test_a_file_for_a_business_is_submitted_only_with_its_nib(office, draft):
    app = draft(business_name="Warung Citra")
    errors = refusal(lambda: services.application_submit(application=app, actor=office.citizen))
    assert list(errors) == ["business_nib"] and "NIB" in errors["business_nib"][0]
    app.refresh_from_db()
    assert app.workflow_id is None and app.registration_number == ""

    services.application_update_draft(application=app, form_data={}, business_name="", actor=office.citizen)
    services.application_update_draft(application=app, form_data={}, business_npwp="013121660091000", actor=office.citizen)
    errors = refusal(lambda: services.application_submit(application=app, actor=office.citizen))
    assert list(errors) == ["business_name"]

    services.application_update_draft(
        application=app, form_data={}, business_name="Warung Citra", business_nib="9120001234567", actor=office.citizen
    )
    assert services.application_submit(application=app, actor=office.citizen).startswith("REG-")


def test_a_personal_application_needs_no_business(office, draft):
    app = draft()
    assert services.completeness_errors(app) == {}
    assert services.application_submit(application=app, actor=office.citizen).startswith("REG-")
