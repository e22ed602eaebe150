"""notify(): the outbox is written with the event, rendered for each person, sent after commit."""

import pytest
from django.core import mail
from django.db import transaction

from balai.core.notifications.models import NotificationTemplate, OutboxMessage
from balai.core.notifications.services import notify

TRANSITION = {
    "reference": "PBG/2026/000123",
    "case_title": "Persetujuan Bangunan Gedung",
    "state_from": "Verifikasi berkas",
    "state_to": "Survei lapangan",
    "comment": "Survei Senin pagi.",
    "link": "/kota-serang/izin/123/",
}


def _notify(world, user, **kwargs):
    kwargs.setdefault("template", "workflow.transition")
    kwargs.setdefault("context", TRANSITION)
    return notify(tenant=world.serang.tenant, recipients=[user], **kwargs)


def test_it_writes_nothing_when_the_event_rolls_back(world):
    citizen = world.serang.people["citizen"]
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(world, citizen)
        assert OutboxMessage.objects.count() == 2
        raise RuntimeError("the transition failed after notifying")
    assert OutboxMessage.objects.count() == 0


def test_it_sends_only_after_the_event_commits(world, django_capture_on_commit_callbacks):
    citizen = world.serang.people["citizen"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(world, citizen)
    assert mail.outbox == []
    assert OutboxMessage.objects.get(channel="email").status == "pending"
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [citizen.email]
    assert OutboxMessage.objects.get(channel="email").status == "sent"


def test_it_reaches_each_person_on_the_channels_they_have(world, django_capture_on_commit_callbacks):
    citizen, officer = world.serang.people["citizen"], world.serang.people["officer"]
    citizen.phone = "+6281234567890"
    citizen.save(update_fields=["phone"])
    officer.email_verified_at = None
    officer.save(update_fields=["email_verified_at"])
    with django_capture_on_commit_callbacks(execute=True):
        messages = notify(tenant=world.serang.tenant, recipients=[citizen, officer, citizen], template="generic",
                          context={"subject": "Uji", "message": "Halo"})
    by_person = {(m.recipient_id, m.channel) for m in messages}
    assert by_person == {(citizen.pk, "inapp"), (citizen.pk, "email"), (citizen.pk, "sms"), (officer.pk, "inapp")}
    assert OutboxMessage.objects.get(recipient=citizen, channel="sms").address == "+6281234567890"


def test_it_writes_indonesian_or_english_by_the_persons_preference(world):
    citizen, outsider = world.serang.people["citizen"], world.outsider
    outsider.preferred_language = "en"
    outsider.save(update_fields=["preferred_language"])
    notify(tenant=world.serang.tenant, recipients=[citizen, outsider], template="workflow.transition",
           context=TRANSITION, channels=["email"])
    indonesian = OutboxMessage.objects.get(recipient=citizen)
    english = OutboxMessage.objects.get(recipient=outsider)
    assert indonesian.language == "id"
    assert indonesian.subject == "PBG/2026/000123: status berubah menjadi Survei lapangan"
    assert "Yth. Citra Dewi" in indonesian.body
    assert "Catatan petugas: Survei Senin pagi." in indonesian.body
    assert "http://127.0.0.1:8000/kota-serang/izin/123/" in indonesian.body
    assert english.language == "en"
    assert english.subject == "PBG/2026/000123: status changed to Survei lapangan"
    assert english.body.startswith("Dear Gilang Ramadhan,")


def test_a_queued_message_keeps_its_text_when_the_template_changes_later(world):
    citizen = world.serang.people["citizen"]
    [message] = _notify(world, citizen, channels=["email"])
    NotificationTemplate.objects.create(tenant=world.serang.tenant, code="workflow.transition", language="id",
                                        subject="Baru", body="Teks baru")
    message.refresh_from_db()
    assert message.subject.startswith("PBG/2026/000123")


def test_it_refuses_an_unknown_template_or_channel(world):
    citizen = world.serang.people["citizen"]
    with pytest.raises(LookupError):
        _notify(world, citizen, template="nothing.here")
    with pytest.raises(ValueError):
        _notify(world, citizen, channels=["pigeon"])


def test_a_subject_given_by_the_caller_replaces_the_templates(world):
    [message] = _notify(world, world.serang.people["citizen"], channels=["inapp"], subject="Berkas Anda bergerak")
    assert message.subject == "Berkas Anda bergerak"
    assert message.status == "sent"  # in-app notifications are delivered as they commit
