from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.testing.clients import login

TWO_FACTOR = reverse("accounts:two_factor")


def _dashboard(world):
    return reverse("tenant:dashboard", kwargs={"tenant": world.serang.tenant.slug})


def _code(device, offset=0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def test_an_officer_without_the_second_factor_is_sent_to_the_step(client, world):
    login(client, world.serang.people["officer"], verified=False)
    response = client.get(_dashboard(world))
    assert response.status_code == 302
    assert response.url == f"{TWO_FACTOR}?next=%2Fkota-serang%2Fdasbor%2F"


def test_setting_up_totp_shows_a_qr_and_the_secret_and_a_right_code_lets_the_officer_in(client, world):
    officer = world.serang.people["officer"]
    login(client, officer, verified=False)
    page = client.get(TWO_FACTOR, {"next": _dashboard(world)})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in html and "<script" not in html.split("<main", 1)[1]
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    assert 'id="totp-secret"' in html
    # Reloading the page shows the same device (the person may already have scanned it).
    client.get(TWO_FACTOR)
    assert TOTPDevice.objects.filter(user=officer).count() == 1
    response = client.post(TWO_FACTOR, {"code": _code(device), "next": _dashboard(world)})
    assert response.status_code == 302 and response.url == _dashboard(world)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(_dashboard(world)).status_code == 200


def test_a_wrong_code_is_refused_and_confirms_nothing(client, world):
    officer = world.serang.people["officer"]
    login(client, officer, verified=False)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=officer)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(TWO_FACTOR, {"code": wrong, "next": _dashboard(world)})
    assert response.status_code == 400
    assert "Kode salah atau sudah kedaluwarsa" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(_dashboard(world)).status_code == 302


def test_repeated_wrong_codes_are_throttled_even_for_the_right_one(client, world):
    officer = world.serang.people["officer"]
    login(client, officer, verified=False)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=officer)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    client.post(TWO_FACTOR, {"code": wrong})
    response = client.post(TWO_FACTOR, {"code": _code(device)})
    assert response.status_code == 429
    assert "Terlalu banyak kode yang salah" in response.content.decode()


def test_a_code_that_is_not_six_digits_is_explained(client, world):
    login(client, world.serang.people["officer"], verified=False)
    response = client.post(TWO_FACTOR, {"code": "12ab"})
    assert response.status_code == 400
    assert "Kode terdiri dari 6 angka" in response.content.decode()


def test_an_officer_with_a_device_is_asked_only_for_the_code(client, world):
    officer = world.serang.people["officer"]
    device = TOTPDevice.objects.create(user=officer, name="ponsel", confirmed=True)
    login(client, officer, verified=False)
    page = client.get(TWO_FACTOR).content.decode()
    assert "data:image/svg+xml" not in page and "Tulis kode 6 angka" in page
    response = client.post(TWO_FACTOR, {"code": _code(device), "next": _dashboard(world)})
    assert response.status_code == 302 and response.url == _dashboard(world)
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_next_must_stay_on_this_site(client, world):
    officer = world.serang.people["officer"]
    device = TOTPDevice.objects.create(user=officer, name="ponsel", confirmed=True)
    login(client, officer, verified=False)
    response = client.post(TWO_FACTOR, {"code": _code(device), "next": "https://jahat.example/"})
    assert response.url == reverse("accounts:home")


def test_the_waiver_applies_only_when_the_setting_says_so(client, world, settings):
    login(client, world.serang.people["officer"], verified=False)
    settings.WAIVE_OFFICER_2FA = False
    assert client.get(_dashboard(world)).status_code == 302
    settings.WAIVE_OFFICER_2FA = True
    assert client.get(_dashboard(world)).status_code == 200


def test_the_demo_banner_says_when_the_second_factor_is_waived(client, world, settings):
    settings.DEMO = True
    settings.WAIVE_OFFICER_2FA = True
    page = client.get(reverse("tenant:home", kwargs={"tenant": "kota-serang"})).content.decode()
    assert "Verifikasi dua langkah untuk petugas dinonaktifkan di demo" in page


def test_anonymous_people_are_sent_to_log_in_first(client):
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_account_page_shows_the_second_factor_status(client, world):
    officer = world.serang.people["officer"]
    login(client, officer, verified=False)
    page = client.get(reverse("accounts:home")).content.decode()
    assert "belum aktif" in page and "Wajib untuk petugas" in page
    login(client, officer)
    assert "belum aktif" not in client.get(reverse("accounts:home")).content.decode()
