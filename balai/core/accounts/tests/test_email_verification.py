import datetime

from django.core import mail, signing
from django.urls import reverse

from balai.core.accounts.models import User
from balai.core.accounts.services import EMAIL_VERIFY_SALT, email_verify_token
from balai.testing.clients import login


def _unverified(world):
    user = world.serang.people["citizen"]
    User.objects.filter(pk=user.pk).update(email_verified_at=None)
    user.refresh_from_db()
    return user


def _link(token):
    return reverse("accounts:verify_email", kwargs={"token": token})


def test_a_valid_link_confirms_the_address(client, world):
    user = _unverified(world)
    response = client.get(_link(email_verify_token(user=user)))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified


def test_an_expired_link_says_so_and_confirms_nothing(client, world, monkeypatch):
    user = _unverified(world)
    token = email_verify_token(user=user)
    later = signing.time.time() + datetime.timedelta(days=3, minutes=1).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(_link(token))
    assert response.status_code == 400
    assert "sudah kedaluwarsa" in response.content.decode()
    user.refresh_from_db()
    assert not user.email_verified


def test_a_link_still_works_on_the_third_day(client, world, monkeypatch):
    user = _unverified(world)
    token = email_verify_token(user=user)
    later = signing.time.time() + datetime.timedelta(days=2, hours=23).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.get(_link(token)).status_code == 302


def test_a_tampered_link_is_refused(client, world):
    user = _unverified(world)
    token = email_verify_token(user=user)
    other = world.cilegon.people["citizen"]
    forged = signing.TimestampSigner(salt="another-salt").sign_object({"u": other.pk, "e": other.email})
    for bad in [token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "abc"]:
        response = client.get(_link(bad))
        assert response.status_code == 400
        assert "tidak sah" in response.content.decode()
    user.refresh_from_db()
    assert not user.email_verified


def test_a_link_for_an_address_that_has_since_changed_is_refused(client, world):
    user = _unverified(world)
    token = signing.TimestampSigner(salt=EMAIL_VERIFY_SALT).sign_object({"u": user.pk, "e": "lama@contoh.id"})
    assert client.get(_link(token)).status_code == 400


def test_a_logged_in_person_can_ask_for_a_new_link_once_a_minute(client, world, django_capture_on_commit_callbacks):
    user = _unverified(world)
    login(client, user)
    url = reverse("accounts:verify_email_resend")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    assert len(mail.outbox) == 1
    token = mail.outbox[0].body.split("/accounts/surel/konfirmasi/")[1].split("/")[0]
    client.get(_link(token))
    user.refresh_from_db()
    assert user.email_verified


def test_the_account_page_shows_the_verification_status(client, world):
    user = _unverified(world)
    login(client, user)
    page = client.get(reverse("accounts:home")).content.decode()
    assert "belum dikonfirmasi" in page and "Kirim ulang tautan konfirmasi" in page
