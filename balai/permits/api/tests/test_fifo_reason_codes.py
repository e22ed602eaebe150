"""Taking a later file first needs a reason code from the office's list (services_office.FIFO_REASONS),
through every door: a made-up word is not a reason, and would hide the jump from the inspectorate's check."""

import pytest
from django.core.exceptions import ValidationError

from balai.core.workflow.models import Transition
from balai.permits import services
from balai.permits.services_office import FIFO_REASON_CODES

pytestmark = pytest.mark.django_db


def _two_in_verification(office, draft, moment):
    moment.set(2026, 3, 10, 9, 0)
    earlier = draft(code="penelitian")
    services.application_submit(application=earlier, actor=office.citizen)
    moment.set(2026, 3, 10, 11, 0)
    later = draft(code="penelitian")
    services.application_submit(application=later, actor=office.citizen)
    return earlier, later


def test_a_made_up_reason_code_does_not_let_a_later_file_jump_the_queue(office, draft, moment):
    _earlier, later = _two_in_verification(office, draft, moment)

    with pytest.raises(ValidationError) as refused:
        services.application_verify(application=later, actor=office.verifier, reason_code="teman_kepala")
    message = refused.value.message_dict["reason_code"][0]
    assert "teman_kepala" in message and "permintaan_pimpinan_tertulis" in message
    later.workflow.refresh_from_db()
    assert later.workflow.state == "verification"
    assert not Transition.objects.filter(instance=later.workflow, action="verify").exists()

    services.application_verify(application=later, actor=office.verifier, reason_code="permintaan_pimpinan_tertulis")
    assert Transition.objects.get(instance=later.workflow, action="verify").reason_code == "permintaan_pimpinan_tertulis"


def test_the_api_refuses_a_reason_code_not_on_the_list_beside_the_field(office, draft, moment, as_person):
    _earlier, later = _two_in_verification(office, draft, moment)
    verifier = as_person(office.tenant, office.verifier, ("permits:read", "permits:office"))

    response = verifier.post("application_action", {"reason_code": "bebas"}, pk=later.pk, action="verify")
    assert response.status_code == 400
    assert "bebas" in response.json()["error"]["fields"]["reason_code"][0]
    later.workflow.refresh_from_db()
    assert later.workflow.state == "verification"

    code = sorted(FIFO_REASON_CODES)[0]
    response = verifier.post("application_action", {"reason_code": code}, pk=later.pk, action="verify")
    assert response.status_code == 200, response.json()


def test_the_api_takes_a_reason_code_to_sign_a_later_file_first(office, draft, moment, as_person, pdf_engine):
    earlier, later = _two_in_verification(office, draft, moment)  # no fee: on to approval once verified
    for hour, app in ((13, earlier), (14, later)):
        moment.set(2026, 3, 10, hour, 0)
        services.application_verify(application=app, actor=office.verifier)
        services.application_approve(application=app, actor=office.approver)
    signer = as_person(office.tenant, office.signer, ("permits:read", "permits:office"))

    response = signer.post("application_action", {}, pk=later.pk, action="sign")
    assert response.status_code == 409 and response.json()["error"]["code"] == "fifo"
    response = signer.post("application_action", {"reason_code": "bebas"}, pk=later.pk, action="sign")
    assert response.status_code == 400 and "bebas" in response.json()["error"]["fields"]["reason_code"][0]

    code = sorted(FIFO_REASON_CODES)[0]
    response = signer.post("application_action", {"reason_code": code}, pk=later.pk, action="sign")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "issued"
    assert Transition.objects.get(instance=later.workflow, action="sign").reason_code == code
