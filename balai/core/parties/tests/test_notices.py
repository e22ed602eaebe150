"""A person is told, in-app and by e-mail, when someone makes them a representative of a business or ends
their representation; the message lands in the Pemda they use (the business's own when they are a member
there)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from balai.core.accounts.models import Membership
from balai.core.notifications.models import OutboxMessage
from balai.core.parties import services
from balai.core.parties.notices import ADDED, ENDED

pytestmark = pytest.mark.django_db


def messages_to(person, template):
    return OutboxMessage.objects.filter(recipient=person, template_code=template)


@pytest.fixture
def hadi_in_serang(hadi, world):
    Membership.objects.create(user=hadi, tenant=world.serang.tenant, roles=["core.citizen"])
    return hadi


def test_a_person_added_as_representative_is_told_in_app_and_by_email(business, citra, hadi_in_serang, world):
    services.representative_add(entity=business, contact=hadi_in_serang.email, role="kuasa", actor=citra)
    sent = messages_to(hadi_in_serang, ADDED)
    assert {m.channel for m in sent} >= {"inapp", "email"}
    assert {m.tenant_id for m in sent} == {world.serang.tenant.pk}
    inapp = sent.get(channel="inapp")
    assert inapp.subject == "Anda kini wakil CV Maju Jaya"
    assert "Citra Dewi menambahkan Anda sebagai wakil (Kuasa) CV Maju Jaya" in inapp.body
    assert inapp.link == f"/accounts/badan/{business.pk}/"


def test_an_ended_representation_is_told_to_the_person_but_not_to_one_who_ended_their_own(
    business, citra, hadi_in_serang
):
    services.representative_add(entity=business, contact=hadi_in_serang.email, role="kuasa", actor=citra)
    hadi_rep = business.representatives.get(user=hadi_in_serang, until__isnull=True)
    services.representative_end(representative=hadi_rep, actor=citra)
    ended = messages_to(hadi_in_serang, ENDED).get(channel="inapp")
    assert "Citra Dewi mengakhiri perwakilan Anda (Kuasa) untuk CV Maju Jaya" in ended.body

    services.representative_add(entity=business, contact=hadi_in_serang.email, role="pengurus", actor=citra)
    citra_rep = business.representatives.get(user=citra, until__isnull=True)
    services.representative_end(representative=citra_rep, actor=citra)
    assert not messages_to(citra, ENDED).exists()


def test_a_refused_addition_tells_nobody(business, citra, hadi_in_serang):
    with pytest.raises(ValidationError), transaction.atomic():
        services.representative_add(
            entity=business, contact=hadi_in_serang.email, role="direktur", actor=citra
        )
    assert not messages_to(hadi_in_serang, ADDED).exists()


def test_the_message_goes_to_the_business_pemda_when_the_person_is_a_member_there(
    business, citra, hadi, world
):
    Membership.objects.create(user=hadi, tenant=world.cilegon.tenant, roles=["core.citizen"])
    Membership.objects.create(user=hadi, tenant=world.serang.tenant, roles=["core.citizen"])
    services.representative_add(entity=business, contact=hadi.email, role="kuasa", actor=citra)
    assert {m.tenant_id for m in messages_to(hadi, ADDED)} == {
        world.serang.tenant.pk
    }  # CV Maju Jaya is in 36.73


def test_a_person_of_no_pemda_is_still_added(business, citra, hadi):
    representative = services.representative_add(
        entity=business, contact=hadi.email, role="kuasa", actor=citra
    )
    assert representative.is_current
    assert not messages_to(hadi, ADDED).exists()


def test_the_other_representatives_are_told_who_was_added(business, citra, hadi_in_serang, world):
    """A take-over does not go unnoticed: when Hadi adds a third person, Citra hears of it; Hadi, who
    added, and the new representative get no colleague's notice."""
    from balai.core.parties.notices import COLLEAGUE_ADDED
    from balai.testing.personas import make_person

    services.representative_add(entity=business, contact=hadi_in_serang.email, role="pengurus", actor=citra)
    assert not messages_to(citra, COLLEAGUE_ADDED).exists()  # Citra added Hadi herself

    newcomer = make_person("Rina Wulandari")
    Membership.objects.create(user=newcomer, tenant=world.serang.tenant, roles=["core.citizen"])
    services.representative_add(entity=business, contact=newcomer.email, role="kuasa", actor=hadi_in_serang)

    told = messages_to(citra, COLLEAGUE_ADDED).get(channel="inapp")
    assert told.subject == "Wakil baru untuk CV Maju Jaya: Rina Wulandari"
    assert "Hadi Saputra menambahkan Rina Wulandari sebagai wakil (Kuasa) CV Maju Jaya" in told.body
    assert told.link == f"/accounts/badan/{business.pk}/"
    assert not messages_to(hadi_in_serang, COLLEAGUE_ADDED).exists()
    assert not messages_to(newcomer, COLLEAGUE_ADDED).exists()
