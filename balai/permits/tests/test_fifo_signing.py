"""Signing is first in, first out too: signing a later file of the same type while an earlier one waits for
its signature needs a reason code from the office's list, which is logged (and keeps the inspectorate's
out-of-order check quiet, since it has the reason)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from balai.core.workflow.models import Transition
from balai.core.workflow.services import TransitionDenied
from balai.permits import integrity, services
from balai.testing.clients import login

pytestmark = pytest.mark.django_db

REASON = "permintaan_pimpinan_tertulis"


def url(office, name, app):
    return reverse(f"permits:{name}", kwargs={"tenant": office.tenant.slug, "pk": app.pk})


def to_signing(office, draft, moment, hour):
    moment.set(2026, 3, 10, hour, 0)
    app = draft(code="penelitian")  # no fee: approval follows verification at once
    services.application_submit(application=app, actor=office.citizen)
    return app


@pytest.fixture
def two_to_sign(office, draft, moment):
    earlier = to_signing(office, draft, moment, 9)
    later = to_signing(office, draft, moment, 10)
    for hour, app in ((11, earlier), (12, later)):
        moment.set(2026, 3, 10, hour, 0)
        services.application_verify(application=app, actor=office.verifier)
    for hour, app in ((13, earlier), (14, later)):
        moment.set(2026, 3, 10, hour, 0)
        services.application_approve(application=app, actor=office.approver)
    for app in (earlier, later):
        app.refresh_from_db()
        assert app.workflow.state == "signing"
    moment.set(2026, 3, 11, 9, 0)
    return earlier, later


def test_signing_a_later_file_first_needs_a_listed_reason_code(office, two_to_sign, pdf_engine):
    earlier, later = two_to_sign
    with pytest.raises(TransitionDenied) as denied:
        services.application_sign(application=later, actor=office.signer)
    assert denied.value.code == "fifo" and "kode alasan" in denied.value.message

    with pytest.raises(ValidationError) as refused:
        services.application_sign(application=later, actor=office.signer, reason_code="teman_kepala")
    assert "teman_kepala" in refused.value.message_dict["reason_code"][0]
    later.refresh_from_db()
    assert later.workflow.state == "signing" and later.permit_document_id is None

    services.application_sign(application=later, actor=office.signer, reason_code=REASON)
    later.refresh_from_db()
    assert later.workflow.state == "issued"
    assert Transition.objects.get(instance=later.workflow, action="sign").reason_code == REASON
    assert [f for f in integrity.out_of_order_decision(office.tenant, None) if f.subject == later] == []

    # The earlier file, next in turn, needs no reason.
    services.application_sign(application=earlier, actor=office.signer)


def test_the_signing_panel_asks_for_the_reason_and_logs_it(office, two_to_sign, client, pdf_engine):
    earlier, later = two_to_sign
    login(client, office.signer)
    page = client.get(url(office, "office_detail", later)).content.decode()
    assert "Kode alasan mendahulukan berkas ini" in page
    assert (
        "Kode alasan mendahulukan" not in client.get(url(office, "office_detail", earlier)).content.decode()
    )

    response = client.post(url(office, "office_sign", later), {})
    assert response.status_code == 400 and "lebih awal" in response.content.decode()

    response = client.post(url(office, "office_sign", later), {"reason_code": REASON})
    assert response.status_code == 303
    assert Transition.objects.get(instance=later.workflow, action="sign").reason_code == REASON
