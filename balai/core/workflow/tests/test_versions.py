"""Module defaults, tenant overrides as new versions, and instances pinned to their version."""

import pytest

from balai.core.audit.models import AuditEntry
from balai.core.workflow import definitions, services
from balai.core.workflow.definitions import DefinitionInvalid
from balai.core.workflow.models import WorkflowDefinition
from balai.core.workflow.services import definition_current, definition_override, transition
from balai.core.workflow.tests.workflows import CODE, TEST_PERMIT, definition, start, submitted

pytestmark = pytest.mark.django_db


def test_the_module_default_is_copied_as_version_1_on_first_use(world, moment):
    tenant = world.serang.tenant
    assert not WorkflowDefinition.objects.filter(tenant=tenant).exists()
    instance = start(tenant, world.serang.people["citizen"])
    row = instance.definition
    assert (row.version, row.source, row.is_active) == (1, "default", True)
    assert definition_current(tenant=tenant, code=CODE) == row
    assert not WorkflowDefinition.objects.filter(tenant=world.cilegon.tenant).exists()


def test_an_override_leaves_running_files_on_their_version(world, moment):
    serang = world.serang
    running = submitted(serang.tenant, serang.people["citizen"])
    changed = definition()
    changed["states"][1] = dict(changed["states"][1], sla_days=1)
    changed["actions"] = [a for a in changed["actions"] if a["code"] != "return"]
    changed["states"] = [s for s in changed["states"] if s["code"] != "returned"]
    changed["actions"] = [
        dict(a, **{"from": [f for f in a["from"] if f != "returned"]}) for a in changed["actions"] if a["code"] != "resubmit"
    ]
    row = definition_override(tenant=serang.tenant, code=CODE, data=changed, actor=serang.people["admin"], note="Perwali baru")
    assert (row.version, row.source) == (2, "override")
    assert AuditEntry.objects.filter(tenant=serang.tenant, action="workflow.definition_version", object_id=str(row.pk)).exists()

    # The running file still may be returned (version 1); a new one may not (version 2).
    transition(instance=running, action="return", actor=serang.people["officer"], comment="Lengkapi.")
    assert running.definition.version == 1
    fresh = submitted(serang.tenant, serang.people["citizen"])
    assert fresh.definition == row
    with pytest.raises(services.TransitionDenied) as denied:
        transition(instance=fresh, action="return", actor=serang.people["officer"], comment="x")
    assert denied.value.code == "unknown_action"
    # Cilegon still runs the module's default.
    assert definition_current(tenant=world.cilegon.tenant, code=CODE).source == "default"


def test_an_invalid_override_is_refused_with_every_problem(world):
    data = definition()
    data["actions"][0] = dict(data["actions"][0], to="nowhere", roles=["core.nobody"])
    with pytest.raises(DefinitionInvalid) as raised:
        definition_override(tenant=world.serang.tenant, code=CODE, data=data, actor=world.serang.people["admin"])
    found = "\n".join(raised.value.errors)
    assert '"nowhere"' in found and '"core.nobody"' in found
    assert not WorkflowDefinition.objects.filter(tenant=world.serang.tenant).exists()


def test_a_code_no_module_ships_cannot_be_overridden(world):
    with pytest.raises(DefinitionInvalid):
        definition_override(
            tenant=world.serang.tenant, code="tests.nothing", data=definition(code="tests.nothing"),
            actor=world.serang.people["admin"],
        )


def test_a_changed_module_default_reaches_tenants_without_an_override(world, moment, monkeypatch):
    serang, cilegon = world.serang, world.cilegon
    start(serang.tenant, serang.people["citizen"])
    start(cilegon.tenant, cilegon.people["citizen"])
    own = definition()
    own["states"][1] = dict(own["states"][1], sla_days=4)
    definition_override(tenant=cilegon.tenant, code=CODE, data=own, actor=cilegon.people["admin"])

    upgraded = definition(sla_days=7)
    monkeypatch.setitem(definitions._workflows, CODE, definitions.Registered(upgraded, definitions.digest_of(upgraded)))
    row = definition_current(tenant=serang.tenant, code=CODE)
    assert (row.version, row.source, row.definition["sla_days"]) == (2, "default", 7)
    assert definition_current(tenant=cilegon.tenant, code=CODE).definition["states"][1]["sla_days"] == 4


def test_saving_the_default_again_returns_to_following_the_module(world, moment):
    serang = world.serang
    definition_override(tenant=serang.tenant, code=CODE, data=definition(sla_days=9), actor=serang.people["admin"])
    row = definition_override(tenant=serang.tenant, code=CODE, data=TEST_PERMIT, actor=serang.people["admin"])
    assert (row.version, row.source) == (2, "default")
    assert WorkflowDefinition.objects.filter(tenant=serang.tenant, is_active=True).get() == row
