import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from balai.core.orgs import selectors, services
from balai.core.orgs.models import Unit

from .conftest import SINCE, D, make_employee

TODAY = D(2025, 6, 2)


def test_it_builds_the_tree_with_heads_in_two_queries(tenant, org):
    with CaptureQueriesContext(connection) as queries:
        tree = selectors.unit_tree(tenant=tenant, on=TODAY)
    assert len(queries) <= 2
    assert [n.unit.code for n in tree] == ["DPMPTSP"]
    bidang = tree[0].children[0]
    assert bidang.unit.code == "DPMPTSP.1" and bidang.depth == 1
    assert bidang.children[0].unit.code == "DPMPTSP.1.1"
    assert tree[0].head == org["people"]["kadis"]


def test_it_keeps_query_count_flat_as_the_tree_grows(tenant, org):
    for i in range(20):
        services.unit_create(tenant=tenant, code=f"OPD{i}", name=f"Dinas {i}", kind=Unit.Kind.OPD, valid_from=SINCE)
    with CaptureQueriesContext(connection) as queries:
        selectors.unit_tree(tenant=tenant, on=TODAY)
    assert len(queries) <= 2


def test_staff_report_to_the_head_of_their_unit(tenant, org):
    p = org["people"]
    assert selectors.supervisor_of(tenant=tenant, employee=p["staf"], on=TODAY) == p["kasi"]


def test_a_head_reports_to_the_head_of_the_parent_unit(tenant, org):
    p = org["people"]
    assert selectors.supervisor_of(tenant=tenant, employee=p["kasi"], on=TODAY) == p["kabid"]
    assert selectors.supervisor_of(tenant=tenant, employee=p["kabid"], on=TODAY) == p["kadis"]


def test_the_top_has_no_supervisor(tenant, org):
    assert selectors.supervisor_of(tenant=tenant, employee=org["people"]["kadis"], on=TODAY) is None


def test_a_vacant_head_post_passes_the_staff_up_to_the_next_head(tenant, org):
    p = org["people"]
    kasi_assignment = p["kasi"].assignments.get()
    services.assignment_end(assignment=kasi_assignment, end=D(2025, 3, 31))
    assert selectors.supervisor_of(tenant=tenant, employee=p["staf"], on=TODAY) == p["kabid"]
    # Before the post fell vacant the seksi head was the supervisor.
    assert selectors.supervisor_of(tenant=tenant, employee=p["staf"], on=D(2025, 3, 31)) == p["kasi"]


def test_an_acting_head_leads_the_unit(tenant, org):
    p = org["people"]
    services.assignment_end(assignment=p["kasi"].assignments.get(), end=D(2025, 3, 31))
    services.employee_assign(employee=p["kabid"], position=org["positions"]["kasi"], start=D(2025, 4, 1), primary=False)
    assert selectors.supervisor_of(tenant=tenant, employee=p["staf"], on=TODAY) == p["kabid"]
    # The kabid keeps their own post and still reports to the kadis.
    assert selectors.supervisor_of(tenant=tenant, employee=p["kabid"], on=TODAY) == p["kadis"]


def test_a_move_changes_the_supervisor_from_the_start_date_and_keeps_the_past(tenant, org):
    p = org["people"]
    services.employee_assign(employee=p["staf"], position=org["positions"]["staf_bidang"], start=D(2025, 5, 1))
    assert selectors.supervisor_of(tenant=tenant, employee=p["staf"], on=D(2025, 4, 30)) == p["kasi"]
    assert selectors.supervisor_of(tenant=tenant, employee=p["staf"], on=D(2025, 5, 1)) == p["kabid"]
    previous = p["staf"].assignments.order_by("start").first()
    assert previous.end == D(2025, 4, 30)


def test_nobody_supervises_an_employee_without_a_position_or_before_it_started(tenant, org):
    newcomer = make_employee(tenant, 9, "Tono Sugiarto")
    assert selectors.supervisor_of(tenant=tenant, employee=newcomer, on=TODAY) is None
    assert selectors.supervisor_of(tenant=tenant, employee=org["people"]["staf"], on=D(2019, 12, 31)) is None


def test_the_chain_runs_to_the_top(tenant, org):
    p = org["people"]
    assert selectors.supervisor_chain(tenant=tenant, employee=p["staf"], on=TODAY) == [p["kasi"], p["kabid"], p["kadis"]]


def test_subordinates_are_the_people_whose_supervisor_is_the_employee(tenant, org):
    p = org["people"]
    assert selectors.subordinates_of(tenant=tenant, employee=p["kasi"], on=TODAY) == [p["staf"]]
    assert selectors.subordinates_of(tenant=tenant, employee=p["kabid"], on=TODAY) == [p["kasi"]]
    services.assignment_end(assignment=p["kasi"].assignments.get(), end=D(2025, 3, 31))
    assert selectors.subordinates_of(tenant=tenant, employee=p["kabid"], on=TODAY) == [p["staf"]]
    assert selectors.subordinates_of(tenant=tenant, employee=p["staf"], on=TODAY) == []


def test_the_supervisor_of_a_foreign_employee_is_never_answered(world, tenant, org):
    assert selectors.supervisor_of(tenant=world.cilegon.tenant, employee=org["people"]["staf"], on=TODAY) is None


def test_a_head_post_holds_one_person_at_a_time(tenant, org):
    other = make_employee(tenant, 8, "Yusuf Hidayat")
    with pytest.raises(ValidationError) as exc:
        services.employee_assign(employee=other, position=org["positions"]["kasi"], start=TODAY)
    assert "Agus Salim" in str(exc.value)


def test_one_unit_has_one_active_head_position(tenant, org):
    with pytest.raises(ValidationError) as exc:
        services.position_create(unit=org["units"]["seksi"], name="Kepala Seksi Kedua", job_class=9, is_head=True)
    assert "satu kepala" in str(exc.value)


def test_a_new_primary_assignment_must_start_after_the_current_one(tenant, org):
    with pytest.raises(ValidationError) as exc:
        services.employee_assign(employee=org["people"]["staf"], position=org["positions"]["staf_bidang"], start=SINCE)
    assert "sesudahnya" in str(exc.value)


def test_a_renamed_unit_keeps_its_old_name_for_past_dates(tenant, org):
    seksi = org["units"]["seksi"]
    services.unit_update(unit=seksi, name="Seksi Perizinan Berusaha", effective=D(2025, 1, 1))
    seksi.refresh_from_db()
    assert seksi.name == "Seksi Perizinan Berusaha"
    assert selectors.unit_name_on(tenant=tenant, unit=seksi, on=D(2024, 12, 31)) == "Seksi Perizinan Usaha"
    assert selectors.unit_name_on(tenant=tenant, unit=seksi, on=D(2025, 1, 1)) == "Seksi Perizinan Berusaha"
    assert [n.name for n in selectors.unit_names(tenant=tenant, unit=seksi)] == ["Seksi Perizinan Berusaha", "Seksi Perizinan Usaha"]


def test_a_unit_cannot_become_its_own_ancestor(tenant, org):
    with pytest.raises(ValidationError) as exc:
        services.unit_update(unit=org["units"]["bidang"], parent=org["units"]["seksi"])
    assert "induk" in str(exc.value)


def test_a_unit_with_people_is_not_closed_and_an_empty_one_is_kept_as_history(tenant, org):
    with pytest.raises(ValidationError):
        services.unit_close(unit=org["units"]["seksi"], on=TODAY)
    empty = services.unit_create(
        tenant=tenant, code="DPMPTSP.2", name="Bidang Lama", kind=Unit.Kind.BIDANG, parent=org["units"]["opd"], valid_from=SINCE
    )
    services.position_create(unit=empty, name="Kepala Bidang Lama", job_class=11, is_head=True)
    services.unit_close(unit=empty, on=TODAY)
    empty.refresh_from_db()
    assert empty.valid_to == TODAY and not empty.positions.filter(is_active=True).exists()
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert "DPMPTSP.2" in [n.unit.code for n in selectors.unit_tree(tenant=tenant, on=TODAY)[0].children]
    assert "DPMPTSP.2" not in [n.unit.code for n in selectors.unit_tree(tenant=tenant, on=tomorrow)[0].children]
    assert Unit.objects.filter(pk=empty.pk).exists()


def test_a_retired_employee_leaves_their_post(tenant, org):
    p = org["people"]
    services.employee_update(employee=p["kasi"], status="retired")
    assert selectors.supervisor_of(tenant=tenant, employee=p["staf"], on=selectors.tenant_today(tenant) + datetime.timedelta(days=1)) == p["kabid"]
