"""No route can issue a permit whose bill is unpaid, or let the verifier approve; no tenant override can take
these rules out, and a definition changed behind the override form's back still cannot issue unpaid.

Every action of the definition is tried by every kind of actor (and by the system) on files that stand
where a shortcut would matter; each try runs in a savepoint that is rolled back afterwards.
"""

import copy
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.core.payments.models import Bill
from balai.core.payments.services import bill_create
from balai.core.workflow.definitions import DefinitionInvalid
from balai.core.workflow.models import WorkflowDefinition
from balai.core.workflow.services import TransitionDenied, definition_override, instance_assign
from balai.core.workflow.services import transition as workflow_transition
from balai.permits import services
from balai.permits.tests.conftest import pay
from balai.testing.clients import login
from balai.testing.personas import make_person

pytestmark = pytest.mark.django_db

DECIDED = {"approval", "signing", "issued"}


class _Undo(Exception):
    pass


def successful_moves(app, actors):
    """(action, actor name, state reached) for every action anyone could perform now (then undone)."""
    definition = app.workflow.definition.parsed
    found = []
    for action in definition.actions:
        for name, actor in actors.items():
            try:
                with transaction.atomic():
                    instance = app.workflow.__class__.objects.get(pk=app.workflow_id)
                    workflow_transition(instance=instance, action=action, actor=actor, comment="coba", reason_code="uji")
                    found.append((action, name, instance.state))
                    raise _Undo
            except (TransitionDenied, _Undo, ValidationError):
                pass
    return found


def everyone(office):
    return {
        "system": None, "citizen": office.citizen, "verifier": office.verifier, "inspector": office.inspector,
        "approver": office.approver, "signer": office.signer, "frontdesk": office.frontdesk,
    }


def to_payment(office, draft):
    app = draft(form={"judul": "A", "alamat": "B", "lebar": "2", "tinggi": "2", "lama_hari": "10", "tarif_lokasi": "B"})
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)  # 4 m²: no inspection
    app.refresh_from_db()
    assert app.workflow.state == "awaiting_payment" and app.bill.status == Bill.Status.UNPAID
    return app


def test_while_the_bill_is_unpaid_nobody_and_nothing_moves_the_file_towards_the_permit(office, draft):
    app = to_payment(office, draft)
    moves = successful_moves(app, everyone(office))
    assert moves == [("withdraw", "citizen", "withdrawn")]
    for call in (
        lambda: services.application_approve(application=app, actor=office.approver),
        lambda: services.application_sign(application=app, actor=office.signer),
    ):
        with pytest.raises(TransitionDenied):
            call()
    app.refresh_from_db()
    assert app.workflow.state == "awaiting_payment" and app.permit_document_id is None


def test_a_bill_swapped_for_an_unpaid_one_after_payment_stops_approval_and_signing(
    office, draft, django_capture_on_commit_callbacks
):
    app = to_payment(office, draft)
    pay(app.bill, django_capture_on_commit_callbacks)
    app.refresh_from_db()
    assert app.workflow.state == "approval"
    # Tamper: point the file at a new, unpaid bill of the same amount.
    forged = bill_create(
        tenant=office.tenant, purpose="permits.retribution", amount=app.fee_amount, payer_name="X", description="X",
        actor=None,
    )
    type(app).objects.filter(pk=app.pk).update(bill=forged)
    app.refresh_from_db()
    assert [m for m in successful_moves(app, everyone(office)) if m[2] in DECIDED] == []
    with pytest.raises(TransitionDenied) as denied:
        services.application_approve(application=app, actor=office.approver)
    assert "belum lunas" in denied.value.message


def test_a_zero_fee_file_goes_on_without_a_bill_and_a_fee_file_cannot_pretend_to_be_free(office, draft):
    free = draft(code="penelitian")
    services.application_submit(application=free, actor=office.citizen)
    services.application_verify(application=free, actor=office.verifier)
    free.refresh_from_db()
    assert free.workflow.state == "approval" and free.fee_amount == 0 and free.bill_id is None
    assert [t.action for t in free.workflow.transitions.order_by("seq")][-1] == "no_fee"

    app = to_payment(office, draft)
    with pytest.raises(TransitionDenied):
        workflow_transition(instance=app.workflow, action="no_fee", actor=None)


def test_the_verifier_cannot_approve_even_holding_the_approver_role(office, draft, django_capture_on_commit_callbacks):
    both = make_person("Dedi Ganda", tenant=office.tenant, roles=["permits.verifier", "permits.approver"])
    app = to_payment(office, draft)  # verified by office.verifier
    pay(app.bill, django_capture_on_commit_callbacks)
    app.refresh_from_db()

    # Someone who verified a file: give him the approval by hand, he is still refused.
    second = draft(form={"judul": "A", "alamat": "B", "lebar": "1", "tinggi": "1", "lama_hari": "1", "tarif_lokasi": "C"})
    services.application_submit(application=second, actor=office.citizen)
    second.refresh_from_db()
    instance_assign(instance=second.workflow, assignee=both, actor=None, reason="Uji pemisahan tugas")
    services.application_verify(application=second, actor=both, reason_code="permintaan_pimpinan_tertulis")
    second.refresh_from_db()
    pay(second.bill, django_capture_on_commit_callbacks)
    second.refresh_from_db()
    instance_assign(instance=second.workflow, assignee=both, actor=None, reason="Uji pemisahan tugas")
    with pytest.raises(TransitionDenied) as denied:
        services.application_approve(application=second, actor=both, reason_code="permintaan_pimpinan_tertulis")
    assert denied.value.code == "separation"
    # The refusal stays on the audit chain although the service's transaction rolled back.
    assert AuditEntry.objects.filter(tenant=office.tenant, action="workflow.transition_refused").exists()

    # The verifier of the first file, made approver too, cannot approve it either.
    office.verifier.memberships.filter(tenant=office.tenant).update(roles=["permits.verifier", "permits.approver"])
    instance_assign(instance=app.workflow, assignee=office.verifier, actor=None, reason="Uji pemisahan tugas")
    with pytest.raises(TransitionDenied) as denied:
        services.application_approve(application=app, actor=office.verifier, reason_code="permintaan_pimpinan_tertulis")
    assert denied.value.code == "separation"


def test_only_holders_of_the_revoke_permission_revoke(office, draft):
    app = to_payment(office, draft)
    with pytest.raises(PermissionDenied):
        services.application_revoke(application=app, reason="Alasan yang cukup panjang", actor=office.verifier)


# --- a tenant's override cannot take the rules out ------------------------------------------------------


def _override_of(tenant, code="permits.application"):
    from balai.core.workflow.services import definition_current

    return copy.deepcopy(definition_current(tenant=tenant, code=code).definition)


def _action(data, code):
    return next(a for a in data["actions"] if a["code"] == code)


def test_an_override_that_drops_the_payment_guard_or_the_separation_is_refused_at_save(office, world, client):
    unguarded = _override_of(office.tenant)
    _action(unguarded, "sign")["guards"] = []
    with pytest.raises(DefinitionInvalid) as refused:
        definition_override(tenant=office.tenant, code="permits.application", data=unguarded, actor=None)
    message = " ".join(refused.value.errors)
    assert "\"sign\"" in message and "permits.bill_paid" in message and "lunas" in message

    # Nor by a new shortcut that issues the permit without the guard.
    shortcut = _override_of(office.tenant)
    shortcut["actions"].append(
        {"code": "sign_fast", "label": "Terbitkan cepat", "from": ["approval"], "to": "issued",
         "roles": ["permits.approver"], "effects": ["permits.issue_permit"]}
    )
    with pytest.raises(DefinitionInvalid) as refused:
        definition_override(tenant=office.tenant, code="permits.application", data=shortcut, actor=None)
    assert any("sign_fast" in e and "permits.bill_paid" in e for e in refused.value.errors)

    unseparated = _override_of(office.tenant)
    del _action(unseparated, "approve")["forbid_same_actor_as"]
    with pytest.raises(DefinitionInvalid) as refused:
        definition_override(tenant=office.tenant, code="permits.application_fiktif", data={
            **unseparated, "code": "permits.application_fiktif",
        }, actor=None)
    assert any("\"approve\"" in e and "forbid_same_actor_as" in e and "\"verify\"" in e for e in refused.value.errors)

    # Through the administrator's page: refused beside the field, nothing saved.
    login(client, world.serang.people["admin"])
    before = WorkflowDefinition.objects.filter(tenant=office.tenant, code="permits.application").count()
    response = client.post(
        reverse("workflow:definition_override", kwargs={"tenant": office.tenant.slug, "code": "permits.application"}),
        {"definition": json.dumps(unguarded), "note": "Tanpa cek bayar"},
    )
    assert response.status_code == 400
    assert "permits.bill_paid" in response.content.decode()
    assert WorkflowDefinition.objects.filter(tenant=office.tenant, code="permits.application").count() == before

    # A change that keeps the rules is saved.
    relabelled = _override_of(office.tenant)
    _action(relabelled, "sign")["label"] = "Tanda tangani izin"
    assert definition_override(tenant=office.tenant, code="permits.application", data=relabelled, actor=None).version


def test_a_definition_written_straight_into_the_database_still_cannot_issue_an_unpaid_permit(
    office, draft, django_capture_on_commit_callbacks
):
    app = to_payment(office, draft)
    pay(app.bill, django_capture_on_commit_callbacks)
    app.refresh_from_db()
    services.application_approve(application=app, actor=office.approver)
    app.refresh_from_db()
    assert app.workflow.state == "signing"

    # Bypassing the override form: the file's pinned version loses its payment guard, and its bill is swapped
    # for an unpaid one.
    pinned = app.workflow.definition
    data = copy.deepcopy(pinned.definition)
    _action(data, "sign")["guards"] = []
    WorkflowDefinition.objects.filter(pk=pinned.pk).update(definition=data)
    forged = bill_create(
        tenant=office.tenant, purpose="permits.retribution", amount=app.fee_amount, payer_name="X", description="X",
        actor=None,
    )
    type(app).objects.filter(pk=app.pk).update(bill=forged)
    app.refresh_from_db()

    with pytest.raises(TransitionDenied) as denied:
        services.application_sign(application=app, actor=office.signer)
    assert "belum lunas" in denied.value.message
    app.refresh_from_db()
    assert app.workflow.state == "signing" and app.permit_document_id is None
    assert not app.workflow.transitions.filter(action="sign").exists()
