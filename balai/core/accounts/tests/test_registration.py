import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from balai.core.accounts.models import Membership, User
from balai.core.accounts.services import citizen_register, membership_join
from balai.testing.clients import login

VALID = {
    "full_name": "Rina  Marlina",
    "nik": "3673015708900001",  # Kec. Serang, a woman born 17-08-1990
    "birth_date": "1990-08-17",
    "email": "Rina.Marlina@Contoh.id",
    "phone": "0812 3456 7890",
    "password1": "sapu-lidi-Banten-7",
    "password2": "sapu-lidi-Banten-7",
    "consent": "on",
}


def _url(world, key="serang"):
    return reverse("tenant_accounts:register", kwargs={"tenant": world.tenant(key).tenant.slug})


def _post(client, world, **changes):
    return client.post(_url(world), {**VALID, **changes})


def test_it_shows_the_form_with_stable_labels(client, world):
    page = client.get(_url(world)).content.decode()
    for label in ["Nama lengkap", "NIK", "Tanggal lahir", "Surel", "Nomor ponsel", "Kata sandi", "Ulangi kata sandi", "Daftar"]:
        assert label in page
    assert "UU No. 27 Tahun 2022" in page
    assert 'name="viewport"' in page  # the layout is the mobile-first base


def test_it_registers_a_citizen_logs_them_in_and_sends_the_verification_link(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, world)
    assert response.status_code == 302
    assert response.url == reverse("tenant_accounts:register_done", kwargs={"tenant": "kota-serang"})
    user = User.objects.get(email="rina.marlina@contoh.id")
    assert user.full_name == "Rina Marlina"
    assert user.phone == "+6281234567890"
    assert user.nik == "3673015708900001"
    assert str(user.birth_date) == "1990-08-17"
    assert not user.email_verified
    assert user.check_password("sapu-lidi-Banten-7")
    membership = Membership.objects.get(user=user)
    assert membership.tenant == world.serang.tenant
    assert membership.roles == ["core.citizen"]
    assert membership.data_consent_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rina.marlina@contoh.id"]
    assert "/accounts/surel/konfirmasi/" in mail.outbox[0].body
    done = client.get(response.url).content.decode()
    assert "Periksa surel Anda" in done and "rina.marlina@contoh.id" in done


def _refused(client, world, **changes):
    response = _post(client, world, **changes)
    assert response.status_code == 400
    assert User.objects.filter(email="rina.marlina@contoh.id").count() == 0
    assert not mail.outbox
    page = response.content.decode()
    assert "Ada yang perlu diperbaiki" in page  # the error summary at the top
    return page


@pytest.mark.parametrize(
    ("nik", "birth_date", "message"),
    [
        ("367301570890001", "1990-08-17", "NIK harus 16 angka; yang Anda tulis 15 angka"),
        ("36730157089000011", "1990-08-17", "NIK harus 16 angka; yang Anda tulis 17 angka"),
        ("36730157O8900001", "1990-08-17", "NIK hanya berisi angka 0–9; yang Anda tulis memuat “O”"),
        ("3673995708900001", "1990-08-17", "kode kecamatan 36.73.99, yang tidak ada dalam daftar wilayah Kemendagri"),
        ("3673013202900001", "1990-02-32", None),  # the date field itself refuses 32 February
        ("3673017102900001", "1990-08-17", "tanggal 31 tidak ada pada bulan 02"),
        ("3673011713900001", "1990-08-17", "bulan 13 tidak ada"),
        ("3673015708900001", "1990-08-18", "tidak sama dengan tanggal lahir yang Anda isi (18 Agustus 1990)"),
        ("3673015708900000", "1990-08-17", "nomor urut dan tidak pernah 0000"),
        ("", "1990-08-17", "Tulis NIK Anda: 16 angka"),
    ],
)
def test_it_refuses_an_invalid_nik_with_a_message_that_says_what_is_wrong(client, world, nik, birth_date, message):
    page = _refused(client, world, nik=nik, birth_date=birth_date)
    if message:
        assert message in page
        assert page.count(message) == 2  # in the summary at the top and beside the field
    else:
        assert "Tulis tanggal lahir lengkap" in page


def test_it_refuses_a_birth_date_in_the_future(client, world):
    page = _refused(client, world, nik="3673015708300001", birth_date="2030-08-17")
    assert "Tanggal lahir tidak boleh di masa depan" in page


def test_it_refuses_a_nik_already_registered(client, world):
    citizen = world.serang.people["citizen"]
    citizen.nik = "3673015708900001"
    citizen.save(update_fields=["nik"])
    page = _refused(client, world)
    assert "NIK ini sudah terdaftar pada akun lain" in page


def test_an_existing_email_is_told_to_log_in_and_join_instead(client, world):
    email = world.cilegon.people["citizen"].email
    response = _post(client, world, email=email.upper())
    assert response.status_code == 400
    page = response.content.decode()
    assert "Surel ini sudah punya akun Balai. Masuk dengan surel itu" in page
    assert "Bergabung sebagai warga" in page
    assert not Membership.objects.filter(user__email=email, tenant=world.serang.tenant).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password2": "lain-sekali-123"}, "Kedua kata sandi tidak sama"),
        ({"consent": ""}, "Centang persetujuan pemrosesan data pribadi"),
        ({"phone": "021 555 1234"}, "Tulis nomor ponsel Indonesia"),
        ({"password1": "12345678901", "password2": "12345678901"}, "id=\"id_password1-error\""),
        ({"email": "bukan-surel"}, "Tulis alamat surel yang benar"),
    ],
)
def test_it_refuses_other_mistakes_and_saves_nothing(client, world, changes, message):
    page = _refused(client, world, **changes)
    assert message in page


def test_a_phone_number_already_in_use_is_refused(client, world):
    other = world.cilegon.people["citizen"]
    other.phone = "+6281234567890"
    other.save(update_fields=["phone"])
    page = _refused(client, world)
    assert "Nomor ponsel ini sudah dipakai akun lain" in page


def test_a_logged_in_person_sees_join_instead_of_the_form_and_joins(client, world):
    officer = world.serang.people["officer"]
    login(client, officer)
    page = client.get(_url(world)).content.decode()
    assert "Bergabung sebagai warga" in page and 'name="nik"' not in page
    join = reverse("tenant_accounts:join", kwargs={"tenant": "kota-serang"})
    assert client.post(join, {}).status_code == 400  # consent is required
    assert client.post(join, {"consent": "on"}).status_code == 302
    membership = Membership.objects.get(user=officer, tenant=world.serang.tenant)
    assert membership.roles == ["core.officer", "core.citizen"]
    assert membership.data_consent_at is not None


def test_a_citizen_of_one_pemda_joins_another_with_the_same_account(client, world):
    citizen = world.serang.people["citizen"]
    login(client, citizen)
    response = client.post(reverse("tenant_accounts:join", kwargs={"tenant": "kota-cilegon"}), {"consent": "on"})
    assert response.status_code == 302
    assert Membership.objects.get(user=citizen, tenant=world.cilegon.tenant).roles == ["core.citizen"]
    assert client.get(_url(world, "cilegon")).status_code == 302  # already a citizen there now


def test_joining_again_after_deactivation_brings_back_only_the_citizen_role(world):
    officer = world.serang.people["officer"]
    Membership.objects.filter(user=officer, tenant=world.serang.tenant).update(is_active=False)
    membership = membership_join(user=officer, tenant=world.serang.tenant)
    assert membership.is_active and membership.roles == ["core.citizen"]


def test_a_registered_person_can_log_in_with_the_new_password(client, world):
    _post(client, world)
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "0812-3456-7890", "password": VALID["password1"]})
    assert response.status_code == 302


def test_the_service_itself_applies_the_password_rules(world):
    with pytest.raises(ValidationError) as caught:
        citizen_register(
            tenant=world.serang.tenant,
            full_name="Rina Marlina",
            email="rina@contoh.id",
            phone=None,
            nik="3673015708900001",
            birth_date=datetime.date(1990, 8, 17),
            password="rina",
        )
    assert "password" in caught.value.message_dict
    assert not User.objects.filter(email="rina@contoh.id").exists()


def test_a_nik_mistake_is_shown_together_with_the_other_mistakes(client, world):
    page = _refused(client, world, full_name="", nik="367301570890001")
    assert "Tulis nama lengkap Anda seperti di KTP" in page
    assert "NIK harus 16 angka; yang Anda tulis 15 angka" in page
