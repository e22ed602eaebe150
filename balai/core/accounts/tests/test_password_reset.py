import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from balai.core.accounts.models import User
from balai.testing.personas import PASSWORD


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/sandi/atur/\S+)", message.body).group(1)


def test_it_resets_a_password_end_to_end_by_email(client, world):
    user = world.serang.people["citizen"]
    response = client.post(reverse("accounts:password_reset"), {"email": user.email.upper()})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    form_page = client.get(_link(mail.outbox[0]), follow=True)
    assert "Buat kata sandi baru" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "gunung-Karang-2026", "new_password2": "gunung-Karang-2026"}
    )
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("gunung-Karang-2026") and not user.check_password(PASSWORD)
    # The link is spent.
    again = client.get(_link(mail.outbox[0]), follow=True)
    assert "Tautan tidak berlaku" in again.content.decode()


def test_the_form_does_not_reveal_whether_an_account_exists(client, world):
    known = client.post(reverse("accounts:password_reset"), {"email": world.serang.people["citizen"].email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "tidak.ada@contoh.id"})
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert len(mail.outbox) == 1
    page = client.get(known.url).content.decode()
    assert "Jika alamat itu terdaftar" in page


def test_mismatched_new_passwords_are_refused_in_indonesian(client, world):
    user = world.serang.people["citizen"]
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    form_url = client.get(_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "gunung-Karang-2026", "new_password2": "gunung-Karang-2027"})
    assert "Kedua kata sandi tidak sama" in response.content.decode()


def test_a_reset_lifts_a_lockout_and_confirms_the_address(client, world):
    user = world.serang.people["citizen"]
    User.objects.filter(pk=user.pk).update(email_verified_at=None)
    login_url = reverse("accounts:login")
    for _attempt in range(5):
        client.post(login_url, {"username": user.email, "password": "salah"})
    assert client.post(login_url, {"username": user.email, "password": PASSWORD}).status_code == 429
    helper = Client()
    helper.post(reverse("accounts:password_reset"), {"email": user.email})
    form_url = helper.get(_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    helper.post(form_url, {"new_password1": "gunung-Karang-2026", "new_password2": "gunung-Karang-2026"})
    assert client.post(login_url, {"username": user.email, "password": "gunung-Karang-2026"}).status_code == 302
    user.refresh_from_db()
    assert user.email_verified
