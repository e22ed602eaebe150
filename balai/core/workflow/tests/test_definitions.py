"""The validator refuses every kind of broken definition with a message that names the problem."""

import pytest
from django.core import checks

from balai.core.workflow import definitions
from balai.core.workflow.definitions import DefinitionInvalid, definition_validate, parse, register_workflow
from balai.core.workflow.tests.workflows import CODE, TEST_PERMIT, definition


def errors_of(data):
    return "\n".join(definition_validate(data))


def test_the_test_definition_is_valid_and_parses():
    assert definition_validate(TEST_PERMIT) == []
    parsed = parse(TEST_PERMIT)
    assert parsed.start.code == "draft"
    assert parsed.states["returned"].clock == "paused"
    assert parsed.states["approved"].clock == "stopped"  # terminal states stop by default
    assert parsed.states["verification"].clock == "running"
    assert [a.code for a in parsed.actions_from("verification")] == ["return", "verify", "reject", "withdraw"]
    assert parsed.state_roles("approval") == {"core.officer", "core.tenant_admin"}


def test_it_refuses_what_is_not_an_object():
    assert "objek JSON" in errors_of([1, 2])


def test_it_refuses_an_action_to_an_unknown_state():
    data = definition()
    data["actions"][0] = dict(data["actions"][0], to="verifikasi")
    assert 'Aksi "submit": status tujuan "verifikasi" tidak ada di daftar status' in errors_of(data)


def test_it_refuses_an_action_from_an_unknown_state():
    data = definition()
    data["actions"][1] = dict(data["actions"][1], **{"from": ["checking"]})
    assert 'status asal "checking" tidak ada' in errors_of(data)


def test_it_refuses_an_unknown_role_but_allows_owner_and_system():
    data = definition()
    data["actions"][3] = dict(data["actions"][3], roles=["permits.verfier"])
    assert 'peran "permits.verfier" tidak dikenal' in errors_of(data)
    # Modules' roles may register after the module's workflow: the shape check alone lets it through.
    assert definition_validate(data, check_registry=False) == []


def test_it_refuses_unreachable_states():
    data = definition()
    data["states"].append({"code": "archived", "label": "Arsip", "terminal": True})
    assert 'Status "archived" tidak dapat dicapai dari status awal "draft"' in errors_of(data)


def test_it_refuses_dead_ends():
    data = definition()
    data["states"].append({"code": "limbo", "label": "Menggantung"})
    data["actions"].append({"code": "park", "label": "Parkir", "from": ["verification"], "to": "limbo", "roles": ["core.officer"]})
    assert 'Status "limbo" buntu' in errors_of(data)


def test_it_refuses_cycles_with_no_way_out():
    data = definition()
    data["states"] += [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}]
    data["actions"] += [
        {"code": "to_a", "label": "Ke A", "from": ["verification"], "to": "a", "roles": ["core.officer"]},
        {"code": "to_b", "label": "Ke B", "from": ["a"], "to": "b", "roles": ["core.officer"]},
        {"code": "back", "label": "Balik", "from": ["b"], "to": "a", "roles": ["core.officer"]},
    ]
    found = errors_of(data)
    assert 'Dari status "a" tidak ada jalan ke status akhir' in found and 'Dari status "b"' in found


def test_it_refuses_outgoing_actions_from_a_terminal_state():
    data = definition()
    data["actions"].append({"code": "reopen", "label": "Buka lagi", "from": ["approved"], "to": "verification", "roles": ["core.officer"]})
    assert 'Status akhir "approved" tidak boleh punya aksi keluar (reopen)' in errors_of(data)


def test_it_wants_exactly_one_start_and_some_terminal_state():
    data = definition()
    data["states"][1] = dict(data["states"][1], start=True)
    assert "tepat satu status awal" in errors_of(data) and "(draft, verification)" in errors_of(data)
    data = definition()
    data["states"] = [dict(s, terminal=False) for s in data["states"]]
    assert "Tidak ada status akhir" in errors_of(data)


def test_it_refuses_duplicate_codes():
    data = definition()
    data["states"].append({"code": "draft", "label": "Lagi"})
    data["actions"].append(dict(data["actions"][0]))
    found = errors_of(data)
    assert 'Kode status "draft" dipakai dua kali' in found and 'Kode aksi "submit" dipakai dua kali' in found


def test_it_refuses_a_malformed_sla():
    for bad in (-1, "5", 2.5, True):
        data = definition()
        data["states"][1] = dict(data["states"][1], sla_days=bad)
        assert 'Status "verification": sla_days harus bilangan bulat' in errors_of(data), bad
    assert "Definisi: sla_days" in errors_of(definition(sla_days=-3))


def test_it_refuses_unknown_keys_requirements_and_clocks():
    data = definition(colour="red")
    data["actions"][0] = dict(data["actions"][0], requires=["signature"])
    data["states"][2] = dict(data["states"][2], clock="frozen")
    found = errors_of(data)
    assert "kunci tidak dikenal colour" in found
    assert "requires hanya boleh berisi comment, documents, reason_code" in found
    assert "clock harus salah satu dari running, paused, stopped" in found


def test_it_refuses_a_running_clock_in_a_terminal_state():
    data = definition()
    data["states"][4] = dict(data["states"][4], clock="running")
    assert 'Status "approved" adalah status akhir' in errors_of(data)


def test_it_refuses_escalations_that_cannot_work():
    data = definition()
    data["escalations"] = [
        {"state": "approval", "do": "auto_action", "action": "reject"},  # reject does not allow the system
        {"state": "verification", "do": "auto_action", "action": "approve"},  # approve does not leave verification
        {"state": "approved", "do": "notify", "notify_roles": ["core.officer"]},
        {"state": "verification", "do": "explode"},
    ]
    found = errors_of(data)
    assert 'roles-nya harus memuat "system"' in found
    assert 'aksi otomatis "approve" harus berupa aksi yang keluar dari status "verification"' in found
    assert 'status akhir "approved" tidak punya tenggat' in found
    assert "do harus salah satu dari notify, reassign, auto_action" in found


def test_it_refuses_unregistered_guards_and_a_code_that_is_not_dotted():
    data = definition(code="Permit")
    data["actions"][0] = dict(data["actions"][0], guards=["nobody.unregistered_guard"])
    found = errors_of(data)
    assert 'guards "nobody.unregistered_guard" tidak terdaftar' in found
    assert "Kode definisi harus bertitik" in found


def test_an_override_may_not_change_the_code():
    assert "tidak sama dengan alur yang diubah" in "\n".join(
        definition_validate(definition(code="tests.other"), expected_code=CODE)
    )


def test_registering_a_broken_default_fails_at_once_and_a_clash_is_refused(monkeypatch):
    monkeypatch.setattr(definitions, "_workflows", dict(definitions._workflows))
    broken = definition(code="tests.broken")
    broken["states"].append({"code": "orphan", "label": "Yatim"})
    with pytest.raises(DefinitionInvalid) as raised:
        register_workflow(broken)
    assert any("orphan" in e for e in raised.value.errors)
    register_workflow(TEST_PERMIT)  # the same again is harmless
    with pytest.raises(ValueError, match="already registered"):
        register_workflow(definition(sla_days=9))


def test_the_system_check_reports_defaults_with_unknown_roles(monkeypatch):
    from balai.core.workflow.checks import check_registered_workflows

    data = definition(code="tests.unknown_role")
    data["actions"][3] = dict(data["actions"][3], roles=["permits.nobody"])
    monkeypatch.setattr(definitions, "_workflows", dict(definitions._workflows))
    register_workflow(data)
    found = check_registered_workflows()
    assert [m.id for m in found] == ["workflow.E001"] and "permits.nobody" in found[0].msg
    assert isinstance(found[0], checks.Error)


def test_labels_follow_the_language():
    from django.utils import translation

    parsed = parse(TEST_PERMIT)
    with translation.override("en"):
        assert parsed.states["verification"].name == "Verification"
        assert parsed.states["draft"].name == "Draf"  # no English given: Indonesian
    assert parsed.states["verification"].name == "Verifikasi"
