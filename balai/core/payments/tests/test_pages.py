"""The simulator's payment page, the payer's bills and the officers' pages."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from balai.core.payments.models import Bill, Payment, SimulatedTransaction
from balai.testing.clients import login


def test_the_simulator_page_shows_the_bill_as_a_bank_would(world, make_bill):
    bill = make_bill(amount=1_250_000)
    html = Client().get(f"/pay/simulator/{bill.code}/").content.decode()
    assert "Kota Serang" in html
    assert "Retribusi Persetujuan Bangunan Gedung" in html
    assert "Rp 1.250.000" in html
    assert "3673********0002" in html and "3673015708900002" not in html
    assert "Bayar (simulasi)" in html and "Batalkan" in html


def test_paying_on_the_simulator_page_pays_the_bill_and_returns_to_balai(world, make_bill, django_capture_on_commit_callbacks):
    bill = make_bill()
    citizen = world.serang.people["citizen"]
    client = login(Client(), citizen)
    mine = f"/{world.serang.tenant.slug}/pembayaran/saya/{bill.code}/"
    page = client.get(mine).content.decode()
    pay_url = f"/pay/simulator/{bill.code}/?kembali={mine.replace('/', '%2F')}"
    assert pay_url in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/pay/simulator/{bill.code}/", {"action": "pay", "kembali": mine})
    assert response.status_code == 302 and response["Location"] == mine
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID
    # The gateway's ledger and our record are two separate rows, with the same reference.
    assert SimulatedTransaction.objects.get().reference == Payment.objects.get().gateway_reference
    page = client.get(mine).content.decode()
    assert "Pembayaran diterima" in page and "Lunas" in page
    # Pressing Bayar again (back button) takes no second payment.
    client.post(f"/pay/simulator/{bill.code}/", {"action": "pay", "kembali": mine})
    assert Payment.objects.count() == 1 and SimulatedTransaction.objects.count() == 1


def test_cancelling_on_the_simulator_page_leaves_the_bill_unpaid(world, make_bill):
    bill = make_bill()
    response = Client().post(f"/pay/simulator/{bill.code}/", {"action": "cancel"})
    assert response.status_code == 302
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID and not SimulatedTransaction.objects.exists()


def test_the_simulator_returns_only_to_our_own_site(world, make_bill):
    bill = make_bill()
    response = Client().post(f"/pay/simulator/{bill.code}/", {"action": "cancel", "kembali": "https://jahat.example/"})
    assert response["Location"] == f"/pay/simulator/{bill.code}/"
    html = Client().get(f"/pay/simulator/{bill.code}/?kembali=javascript:alert(1)").content.decode()
    assert "href=\"javascript:" not in html and "Kembali ke Balai" not in html


def test_an_overdue_or_unknown_bill_cannot_be_paid(world, make_bill):
    bill = make_bill(due_at=timezone.now() + timedelta(seconds=1))
    Bill.objects.filter(pk=bill.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    Client().post(f"/pay/simulator/{bill.code}/", {"action": "pay"})
    assert not Payment.objects.exists()
    assert Client().get("/pay/simulator/367300000000000000/").status_code == 404


def test_officers_find_a_bill_and_see_its_payments(world, make_bill):
    bill = make_bill()
    Client().post(f"/pay/simulator/{bill.code}/", {"action": "pay"})
    client = login(Client(), world.serang.people["officer"])
    slug = world.serang.tenant.slug
    html = client.get(f"/{slug}/pembayaran/?q={bill.code[-6:]}").content.decode()
    assert bill.code in html
    html = client.get(f"/{slug}/pembayaran/?status=unpaid").content.decode()
    assert bill.code not in html
    html = client.get(f"/{slug}/pembayaran/tagihan/{bill.code}/").content.decode()
    assert "Rp 1.250.000" in html and "Dicatat lunas" in html
    # Viewing is not changing: an officer gets no refund or cancel buttons.
    assert "Catat pengembalian" not in html


def test_an_administrator_issues_a_bill_to_a_citizens_account(world):
    admin, citizen = world.serang.people["admin"], world.serang.people["citizen"]
    client = login(Client(), admin)
    slug = world.serang.tenant.slug
    response = client.post(
        f"/{slug}/pembayaran/baru/",
        {"payer_name": citizen.full_name, "payer_email": citizen.email, "amount": "Rp 75.000",
         "description": "Retribusi pemakaian aula", "due_days": "3"},
    )
    bill = Bill.objects.get()
    assert response.status_code == 302 and bill.amount == 75_000 and bill.payer_user == citizen
    html = login(Client(), citizen).get(f"/{slug}/pembayaran/saya/").content.decode()
    assert "Retribusi pemakaian aula" in html and "Rp 75.000" in html
    response = client.post(
        f"/{slug}/pembayaran/baru/",
        {"payer_name": "X", "payer_email": "tidak.ada@contoh.id", "amount": "0", "description": "Y", "due_days": "3"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "lebih dari Rp 0" in html and "Tidak ada akun dengan surel ini" in html


def test_an_administrator_cancels_an_unpaid_bill_with_a_reason(world, make_bill):
    bill = make_bill()
    client = login(Client(), world.serang.people["admin"])
    url = f"/{world.serang.tenant.slug}/pembayaran/tagihan/{bill.code}/batalkan/"
    client.post(url, {"reason": ""})
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID
    client.post(url, {"reason": "Permohonan ditarik"})
    bill.refresh_from_db()
    assert bill.status == Bill.Status.CANCELLED
