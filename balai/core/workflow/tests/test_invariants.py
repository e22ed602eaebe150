"""A module's invariants: rules of its workflow that no tenant override may break (a required guard, a
separation of duties), refused at save with what is wrong and what to do."""

import copy

import pytest

from balai.core.workflow import definitions
from balai.core.workflow.definitions import DefinitionInvalid, register_guard, register_workflow
from balai.core.workflow.invariants import RequiredGuard, RequiredSeparation, invariant_errors
from balai.core.workflow.services import definition_override
from balai.core.workflow.tests.workflows import TEST_PERMIT

pytestmark = pytest.mark.django_db

CODE = "tests.guarded"


def _settled(*, instance, action, actor, data):
    return None


register_guard("tests.settled", _settled)

RULES = (
    RequiredGuard("tests.settled", into=("approved",), why="berkas disetujui hanya bila lunas"),
    RequiredSeparation(into=("approved",), forbid=("verify", "return"), why="pemeriksa tidak menyetujui"),
)


def _guarded() -> dict:
    data = copy.deepcopy({**TEST_PERMIT, "code": CODE})
    for action in data["actions"]:
        if action["to"] == "approved":
            action["guards"] = ["tests.settled"]
            action["forbid_same_actor_as"] = ["verify", "return"]
    return data


@pytest.fixture
def guarded(monkeypatch):
    data = _guarded()
    monkeypatch.setitem(
        definitions._workflows,
        CODE,
        definitions.Registered(data, definitions.digest_of(data), invariants=RULES),
    )
    return data


def _action(data, code):
    return next(a for a in data["actions"] if a["code"] == code)


def test_an_override_without_the_required_guard_is_refused_and_nothing_saved(world, guarded):
    data = copy.deepcopy(guarded)
    _action(data, "approve")["guards"] = []
    with pytest.raises(DefinitionInvalid) as refused:
        definition_override(
            tenant=world.serang.tenant, code=CODE, data=data, actor=world.serang.people["admin"]
        )
    [error] = refused.value.errors
    assert '"approve"' in error and "tests.settled" in error and "hanya bila lunas" in error
    assert "Tambahkan" in error  # what to do


def test_a_new_action_into_the_guarded_state_needs_the_guard_too(world, guarded):
    data = copy.deepcopy(guarded)
    data["actions"].append(
        {
            "code": "approve_now",
            "label": "Setujui langsung",
            "from": ["verification"],
            "to": "approved",
            "roles": ["core.tenant_admin"],
            "forbid_same_actor_as": ["verify", "return"],
        }
    )
    with pytest.raises(DefinitionInvalid) as refused:
        definition_override(
            tenant=world.serang.tenant, code=CODE, data=data, actor=world.serang.people["admin"]
        )
    assert ["approve_now" in e for e in refused.value.errors] == [True]


def test_dropping_the_separation_of_duties_is_refused_but_a_system_only_action_is_exempt(world, guarded):
    data = copy.deepcopy(guarded)
    _action(data, "approve")["forbid_same_actor_as"] = ["verify"]
    with pytest.raises(DefinitionInvalid) as refused:
        definition_override(
            tenant=world.serang.tenant, code=CODE, data=data, actor=world.serang.people["admin"]
        )
    assert any('"return"' in e and "forbid_same_actor_as" in e for e in refused.value.errors)

    system_only = copy.deepcopy(guarded)
    system_only["actions"].append(
        {
            "code": "deemed",
            "label": "Dianggap disetujui",
            "from": ["approval"],
            "to": "approved",
            "roles": ["system"],
            "guards": ["tests.settled"],
        }
    )
    assert invariant_errors(RULES, system_only) == []


def test_an_override_keeping_the_rules_is_saved(world, guarded):
    data = copy.deepcopy(guarded)
    data["sla_days"] = 7
    row = definition_override(
        tenant=world.serang.tenant, code=CODE, data=data, actor=world.serang.people["admin"]
    )
    assert row.definition["sla_days"] == 7


def test_a_module_cannot_register_a_default_that_breaks_its_own_rules():
    with pytest.raises(ValueError, match="invariants"):
        register_workflow({**TEST_PERMIT, "code": "tests.unguarded"}, invariants=RULES)
    assert "tests.unguarded" not in definitions.registered_workflows()
