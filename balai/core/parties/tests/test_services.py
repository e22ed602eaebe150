import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from balai.core.audit.models import AuditEntry
from balai.core.audit.verify import verify_chain
from balai.core.parties import selectors, services
from balai.core.parties.models import LegalEntity, Representative

from .conftest import NIB


def _register(actor, **overrides):
    values = dict(
        kind=LegalEntity.Kind.BUSINESS, name="CV Maju Jaya", nib=NIB, npwp="", address="Jl. Ahmad Yani No. 10",
        regency_code="36.73", actor=actor,
    )
    values.update(overrides)
    return services.entity_register(**values)


def _refusal(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        _register(**kwargs)
    return caught.value.message_dict


def test_it_registers_a_business_with_its_registrant_as_first_representative(business, citra):
    assert (business.kind, business.nib, business.npwp, business.regency_name) == (
        "business", NIB, "013121660091000", "Kota Serang",
    )
    assert business.created_by == citra
    (representative,) = business.representatives.all()
    assert (representative.user, representative.role, representative.until, representative.added_by) == (
        citra, "pengurus", None, citra,
    )
    assert selectors.is_representative(user=citra, entity=business)


def test_it_tells_every_mistake_at_once_and_saves_nothing(citra):
    errors = _refusal(actor=citra, name="  ", nib="12345", npwp="013121661091000", address="", regency_code="36")
    assert set(errors) == {"name", "nib", "npwp", "address", "regency_code"}
    assert "13 angka" in errors["nib"][0]
    assert "angka pemeriksanya" in errors["npwp"][0]
    assert not LegalEntity.objects.exists()


def test_a_business_needs_an_nib_and_an_organisation_has_none(citra):
    assert "oss.go.id" in _refusal(actor=citra, nib="")["nib"][0]
    assert "hanya untuk badan usaha" in _refusal(actor=citra, kind="organisation", name="Yayasan Peduli")["nib"][0]
    organisation = _register(actor=citra, kind="organisation", name="Yayasan Peduli", nib="", npwp="3173014509870001")
    assert (organisation.nib, organisation.npwp) == ("", "3173014509870001")


def test_a_registered_nib_is_refused_with_what_to_do_and_the_attempt_is_audited(business, hadi):
    errors = _refusal(actor=hadi, nib="912.000.123.4567", name="CV Lain")
    assert "minta salah satu wakilnya" in errors["nib"][0]
    assert LegalEntity.objects.count() == 1
    refusal = AuditEntry.objects.get(tenant=None, action="parties.entity_nib_refused")
    assert (refusal.actor_id, refusal.object_id) == (hadi.pk, str(business.pk))


def test_an_nib_cannot_be_changed_to_one_already_registered(business, hadi):
    other = _register(actor=hadi, nib="9120007654321", name="CV Hadi")
    with pytest.raises(ValidationError) as caught:
        services.entity_update(
            entity=other, name="CV Hadi", nib=NIB, npwp="", address="Jl. Lain", regency_code="36.72", actor=hadi
        )
    assert "sudah terdaftar" in caught.value.message_dict["nib"][0]
    other.refresh_from_db()
    assert other.nib == "9120007654321"


def test_a_representative_updates_the_entity_and_the_change_is_audited(business, citra):
    services.entity_update(
        entity=business, name="CV Maju Jaya Abadi", npwp="", address="Jl. Ahmad Yani No. 12", regency_code="36.72",
        actor=citra,
    )
    business.refresh_from_db()
    assert (business.name, business.nib, business.npwp, business.regency_code) == ("CV Maju Jaya Abadi", NIB, "", "36.72")
    entry = AuditEntry.objects.get(tenant=None, action="parties.entity_update")
    assert entry.data["changed"] == ["address", "name", "npwp", "regency_code"]


def test_it_adds_a_representative_by_email_or_phone(business, citra, hadi, world):
    added = services.representative_add(entity=business, contact=" HADI.SAPUTRA@contoh.id ", role="kuasa", actor=citra)
    assert (added.user, added.role, added.added_by) == (hadi, "kuasa", citra)
    assert list(selectors.entities_represented_by(user=hadi)) == [business]

    inspector = world.serang.people["inspector"]
    inspector.phone = "+6281298765432"
    inspector.save(update_fields=["phone"])
    by_phone = services.representative_add(entity=business, contact="0812-9876-5432", role="pengurus", actor=hadi)
    assert by_phone.user == inspector


def test_adding_refuses_an_unknown_account_and_a_current_representative(business, citra, hadi):
    for contact, expected in [("tidak.ada@contoh.id", "Tidak ada akun Balai"), ("0899", "Tidak ada akun Balai"),
                              (citra.email, "sudah menjadi wakil"), ("", "Tulis surel")]:
        with pytest.raises(ValidationError) as caught:
            services.representative_add(entity=business, contact=contact, role="kuasa", actor=citra)
        assert expected in caught.value.message_dict["contact"][0]
    with pytest.raises(ValidationError) as caught:
        services.representative_add(entity=business, contact=hadi.email, role="direktur", actor=citra)
    assert list(caught.value.message_dict) == ["role"]
    assert business.representatives.count() == 1


def test_someone_who_does_not_represent_the_entity_can_change_nothing(business, citra, hadi):
    with pytest.raises(PermissionDenied):
        services.representative_add(entity=business, contact=hadi.email, role="kuasa", actor=hadi)
    with pytest.raises(PermissionDenied):
        services.entity_update(entity=business, name="Milik Hadi", npwp="", address="x", regency_code="36.73", actor=hadi)
    (citra_representation,) = business.representatives.all()
    with pytest.raises(PermissionDenied):
        services.representative_end(representative=citra_representation, actor=hadi)
    business.refresh_from_db()
    assert business.name == "CV Maju Jaya"


def test_the_last_representative_cannot_be_removed(business, citra):
    (only,) = business.representatives.all()
    with pytest.raises(ValidationError) as caught:
        services.representative_end(representative=only, actor=citra)
    assert "satu-satunya wakil" in caught.value.messages[0]
    only.refresh_from_db()
    assert only.until is None


def test_an_ended_representation_stays_as_history_and_takes_access_away(business, citra, hadi):
    added = services.representative_add(entity=business, contact=hadi.email, role="kuasa", actor=citra)
    services.representative_end(representative=added, actor=citra)
    added.refresh_from_db()
    assert added.until is not None and added.ended_by == citra
    assert not selectors.is_representative(user=hadi, entity=business)
    assert list(selectors.entities_represented_by(user=hadi)) == []
    with pytest.raises(Http404):
        selectors.entity_for_representative(user=hadi, pk=business.pk)
    # Added again later: a new representation, the old one kept.
    services.representative_add(entity=business, contact=hadi.email, role="pengurus", actor=citra)
    assert business.representatives.filter(user=hadi).count() == 2


def test_a_representative_may_leave_when_another_one_stays(business, citra, hadi):
    services.representative_add(entity=business, contact=hadi.email, role="pengurus", actor=citra)
    mine = Representative.objects.get(entity=business, user=citra)
    services.representative_end(representative=mine, actor=citra)
    assert list(selectors.entities_represented_by(user=citra)) == []
    assert selectors.entity_for_representative(user=hadi, pk=business.pk) == business


def test_every_write_is_on_the_platform_audit_chain(business, citra, hadi):
    added = services.representative_add(entity=business, contact=hadi.email, role="kuasa", actor=citra)
    services.representative_end(representative=added, actor=hadi)
    entries = AuditEntry.objects.filter(tenant=None, action__startswith="parties.").order_by("seq")
    assert [(e.action, e.actor_id) for e in entries] == [
        ("parties.entity_register", citra.pk),
        ("parties.representative_add", citra.pk),
        ("parties.representative_end", hadi.pk),
    ]
    assert entries[0].object_id == str(business.pk) and entries[0].data["kind"] == "business"
    assert not AuditEntry.objects.filter(tenant__isnull=False, action__startswith="parties.").exists()
    assert verify_chain(None).ok


def test_entities_by_kind_for_the_permits_and_grants_modules(business, citra):
    organisation = _register(actor=citra, kind="organisation", name="Yayasan Peduli", nib="")
    assert list(selectors.entities_represented_by(user=citra)) == [business, organisation]
    assert list(selectors.entities_represented_by(user=citra, kind="business")) == [business]
    assert list(selectors.entities_represented_by(user=citra, kind="organisation")) == [organisation]


def test_two_registrations_of_one_nib_at_once_leave_one_and_a_clear_message(business, hadi, monkeypatch):
    # The second registration passed the check before the first committed: the unique constraint decides.
    monkeypatch.setattr(services, "_check_nib_free", lambda **kwargs: None)
    assert "sudah terdaftar" in _refusal(actor=hadi, name="CV Kembar")["nib"][0]
    assert LegalEntity.objects.count() == 1
