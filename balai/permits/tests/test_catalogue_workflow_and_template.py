"""Per permit type, the tenant administrator chooses the workflow (the permits variants; the escalation
rule's own by default, a tenant's override applying by itself) and the kind of document the permit is
issued as. A workflow that contradicts the escalation rule is refused; running files keep theirs."""

import pytest
from django.core.exceptions import ValidationError

from balai.core.audit.models import AuditEntry
from balai.core.workflow.models import WorkflowInstance
from balai.permits import services, services_catalogue
from balai.permits.tests.test_catalogue_admin import _form_values, url
from balai.testing.clients import login

pytestmark = pytest.mark.django_db


def test_the_type_form_offers_the_workflows_and_permit_document_kinds(office, world, client):
    permit_type = office.types["penelitian"]
    login(client, world.serang.people["admin"])
    page = client.get(url(office.tenant, "catalogue_type_edit", pk=permit_type.pk)).content.decode()
    assert "Ikuti tindakan bila tenggat terlewati" in page
    assert 'value="permits.application_fiktif"' in page and 'value="permits.application_reassign"' in page
    assert 'value="permits.permit"' in page and 'value="permits.receipt"' not in page


def test_a_workflow_that_contradicts_the_escalation_rule_is_refused_in_indonesian(office, world, client):
    permit_type = office.types["penelitian"]
    admin = world.serang.people["admin"]
    with pytest.raises(ValidationError) as refused:
        services_catalogue.permit_type_update(
            permit_type=permit_type,
            actor=admin,
            escalation="notify_head",
            workflow_code="permits.application_fiktif",
        )
    assert "menjalankan" in refused.value.message_dict["workflow_code"][0]
    login(client, admin)
    edit = url(office.tenant, "catalogue_type_edit", pk=permit_type.pk)
    data = _form_values(client.get(edit).content.decode())
    data["workflow_code"] = ["permits.application_reassign"]
    response = client.post(edit, data)
    assert response.status_code == 400
    assert "Pilih alur kerja yang sesuai" in response.content.decode()
    permit_type.refresh_from_db()
    assert permit_type.workflow_code == "permits.application"


def test_fiktif_positif_runs_its_variant_chosen_or_not(office, world):
    admin = world.serang.people["admin"]
    permit_type = services_catalogue.permit_type_update(
        permit_type=office.types["penelitian"],
        actor=admin,
        fiktif_positif=True,
        escalation="auto_approve",
    )
    assert permit_type.workflow_code == "permits.application_fiktif"
    permit_type = services_catalogue.permit_type_update(
        permit_type=permit_type,
        actor=admin,
        workflow_code="permits.application_fiktif",
    )
    assert permit_type.workflow_code == "permits.application_fiktif"


def test_an_unknown_document_kind_is_refused(office, world):
    with pytest.raises(ValidationError) as refused:
        services_catalogue.permit_type_update(
            permit_type=office.types["penelitian"],
            actor=world.serang.people["admin"],
            document_kind="permits.receipt",
        )
    assert "jenis dokumen izin" in refused.value.message_dict["document_kind"][0]


def test_changing_the_workflow_leaves_running_files_on_theirs_and_is_audited(office, draft, world):
    from balai.core.workflow.services import definition_current, definition_override

    admin = world.serang.people["admin"]
    running = draft(code="penelitian")
    services.application_submit(application=running, actor=office.citizen)
    running.refresh_from_db()
    before = WorkflowInstance.objects.get(pk=running.workflow_id)

    # The tenant has its own version of the reassign variant; the type now runs it.
    current = definition_current(tenant=office.tenant, code="permits.application_reassign")
    data = dict(current.definition)
    data["label"] = {"id": "Permohonan izin versi Kota Serang", "en": "Serang's permit application"}
    override = definition_override(
        tenant=office.tenant, code="permits.application_reassign", data=data, actor=admin
    )
    services_catalogue.permit_type_update(
        permit_type=office.types["penelitian"],
        actor=admin,
        escalation="reassign",
        workflow_code="permits.application_reassign",
    )

    after = WorkflowInstance.objects.get(pk=running.workflow_id)
    assert (
        (after.code, after.definition_id)
        == (before.code, before.definition_id)
        == ("permits.application", before.definition_id)
    )
    later = draft(code="penelitian")
    services.application_submit(application=later, actor=office.citizen)
    later.refresh_from_db()
    assert (
        later.workflow.code == "permits.application_reassign" and later.workflow.definition_id == override.pk
    )
    entry = AuditEntry.objects.filter(
        tenant=office.tenant, action="permits.type_update", object_id=str(office.types["penelitian"].pk)
    ).latest("pk")
    assert entry.before_digest and entry.after_digest and entry.before_digest != entry.after_digest
