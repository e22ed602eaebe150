import datetime
import threading

import pytest
from django.db import connection, transaction

from balai.core.documents.models import IssuedDocument, NumberSequence
from balai.core.documents.services import document_issue, number_format_set, number_next


@pytest.mark.django_db
def test_numbers_follow_the_tenants_pattern(world, issue):
    number_format_set(
        tenant=world.serang.tenant, kind="permits.permit", pattern="{prefix}/{seq:04d}/{unit}/{year}", prefix="503",
        actor=world.serang.people["admin"],
    )
    first, second = issue(), issue()
    year = first.issued_at.year
    assert first.number == f"503/0001/DPMPTSP/{year}"
    assert second.number == f"503/0002/DPMPTSP/{year}"


@pytest.mark.django_db
def test_each_tenant_kind_and_year_counts_on_its_own(world, issue):
    issue()
    assert issue(kind="grants.nphd").seq == 1
    assert issue(tenant=world.cilegon.tenant, actor=world.cilegon.people["officer"]).seq == 1
    with transaction.atomic():
        assert number_next(tenant=world.serang.tenant, kind="permits.permit", year=2031) == 1


@pytest.mark.django_db
def test_a_rolled_back_issue_gives_its_number_back(world, issue):
    issue()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        doc = issue()
        assert doc.seq == 2
        raise Boom
    assert issue().seq == 2
    assert sorted(IssuedDocument.objects.values_list("seq", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_a_failing_render_burns_no_number(world, issue):
    issue()
    with pytest.raises(TypeError):
        issue(template_context={"bad": object()})
    assert issue().seq == 2


@pytest.mark.django_db(transaction=True)
def test_numbers_are_only_handed_out_inside_the_issuing_transaction(world):
    with pytest.raises(RuntimeError):
        number_next(tenant=world.serang.tenant, kind="permits.permit", year=2026)


@pytest.mark.django_db
def test_a_pattern_without_the_sequence_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        number_format_set(
            tenant=world.serang.tenant, kind="permits.permit", pattern="{prefix}/{year}", prefix="503",
            actor=world.serang.people["admin"],
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_1_to_20_without_gaps_or_duplicates(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: real parallel transactions (SQLite serialises every writer)")
    tenant, officer = world.serang.tenant, world.serang.people["officer"]
    errors, barrier = [], threading.Barrier(20)

    def worker(i):
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            document_issue(
                tenant=tenant, kind="permits.permit", title="Izin", template_context={},
                recipient_name=f"Pemohon {i}", actor=officer, unit_code="DPMPTSP",
                valid_until=datetime.date(2030, 1, 1),
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    seqs = sorted(IssuedDocument.objects.filter(tenant=tenant, kind="permits.permit").values_list("seq", flat=True))
    assert seqs == list(range(1, 21))
    assert NumberSequence.objects.get(tenant=tenant, kind="permits.permit").last == 20
