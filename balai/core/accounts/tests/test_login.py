import importlib

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import Client
from django.urls import reverse

from balai.core.accounts.backends import axes_username
from balai.testing.personas import PASSWORD

LOGIN = reverse("accounts:login")


@pytest.fixture
def citizen(world):
    user = world.serang.people["citizen"]
    user.phone = "+6281298765432"
    user.save(update_fields=["phone"])
    return user


@pytest.mark.parametrize("identifier", ["citra.dewi@contoh.id", "CITRA.DEWI@contoh.id", "081298765432", "+6281298765432", "0812-9876-5432"])
def test_it_logs_in_by_email_or_phone(client, citizen, identifier):
    response = client.post(LOGIN, {"username": identifier, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_a_wrong_password_gets_a_message_that_says_what_to_do(client, citizen):
    response = client.post(LOGIN, {"username": "081298765432", "password": "salah"})
    assert response.status_code == 200
    assert "Lupa kata sandi" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_with_a_clear_message(client, citizen):
    for _attempt in range(5):
        client.post(LOGIN, {"username": citizen.email, "password": "salah-lagi"})
    response = client.post(LOGIN, {"username": citizen.email, "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Akun dikunci sementara" in page and "coba lagi setelah 30 menit" in page
    assert "_auth_user_id" not in client.session
    # Another address is not locked out of its own account.
    assert Client(REMOTE_ADDR="10.0.0.9").post(LOGIN, {"username": citizen.email, "password": PASSWORD}).status_code == 302


def test_four_failures_do_not_lock(client, citizen):
    for _attempt in range(4):
        client.post(LOGIN, {"username": citizen.email, "password": "salah-lagi"})
    assert client.post(LOGIN, {"username": citizen.email, "password": PASSWORD}).status_code == 302


def test_axes_counts_every_spelling_of_one_account_under_its_email(citizen):
    for spelling in ["081298765432", "+6281298765432", "6281298765432", " Citra.Dewi@contoh.id "]:
        assert axes_username(None, {"username": spelling}) == "citra.dewi@contoh.id"
    assert axes_username(None, {"username": "081200000000"}) == "+6281200000000"  # no account: still one key


def test_the_real_settings_hash_passwords_with_argon2(settings):
    real = importlib.import_module("balai.settings")
    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = real.PASSWORD_HASHERS  # the test settings use a fast hasher instead
    encoded = make_password("rahasia-sekali")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password("rahasia-sekali", encoded)
