"""The in-app inbox: a person's own notifications in this tenant, marked as read, counted in the navigation."""

from django.urls import reverse

from balai.core.notifications.services import notify
from balai.testing.clients import login


def _notify(tw, person, text, link=""):
    [message] = notify(tenant=tw.tenant, recipients=[person], template="generic",
                       context={"subject": text, "message": f"Isi {text}", "link": link}, channels=["inapp"])
    return message


def _url(tw, name, **kwargs):
    return reverse(f"notifications:{name}", kwargs={"tenant": tw.tenant.slug, **kwargs})


def test_the_inbox_lists_only_my_notifications_of_this_tenant(client, world):
    serang, cilegon = world.serang, world.cilegon
    citizen = serang.people["citizen"]
    _notify(serang, citizen, "Berkas diterima")
    _notify(serang, serang.people["officer"], "Untuk petugas")
    _notify(cilegon, citizen, "Dari Cilegon")
    login(client, citizen)

    page = client.get(_url(serang, "inbox"))

    assert page.status_code == 200
    assert "Berkas diterima" in page.text and "Isi Berkas diterima" in page.text
    assert "Untuk petugas" not in page.text and "Dari Cilegon" not in page.text
    assert "1 notifikasi belum dibaca" in page.text


def test_marking_as_read_clears_the_badge(client, world):
    serang = world.serang
    citizen = serang.people["citizen"]
    first = _notify(serang, citizen, "Satu")
    _notify(serang, citizen, "Dua")
    login(client, citizen)
    assert ">2</span>" in client.get(_url(serang, "badge")).text

    response = client.post(_url(serang, "mark_read", pk=first.pk))

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert ">1</span>" in client.get(_url(serang, "badge")).text
    client.post(_url(serang, "mark_all_read"))
    badge = client.get(_url(serang, "badge")).text
    assert "badge" not in badge and "Notifikasi" in badge


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, world):
    serang = world.serang
    citizen = serang.people["citizen"]
    message = _notify(serang, citizen, "Tagihan terbit", link=f"/{serang.tenant.slug}/pembayaran/")
    login(client, citizen)
    response = client.post(_url(serang, "mark_read", pk=message.pk), {"buka": "1"})
    assert response.status_code == 302 and response["Location"] == f"/{serang.tenant.slug}/pembayaran/"


def test_someone_elses_or_another_tenants_notification_is_not_found(client, world):
    serang, cilegon = world.serang, world.cilegon
    citizen = serang.people["citizen"]
    officers = _notify(serang, serang.people["officer"], "Untuk petugas")
    mine_in_cilegon = _notify(cilegon, citizen, "Dari Cilegon")
    login(client, citizen)

    assert client.post(_url(serang, "mark_read", pk=officers.pk)).status_code == 404
    assert client.post(_url(serang, "mark_read", pk=mine_in_cilegon.pk)).status_code == 404
    officers.refresh_from_db()
    mine_in_cilegon.refresh_from_db()
    assert officers.read_at is None and mine_in_cilegon.read_at is None


def test_the_nav_item_falls_back_to_a_plain_link_and_asks_htmx_for_the_count(client, world):
    from django.template.loader import render_to_string

    html = render_to_string("notifications/nav_item.html", {"tenant": world.serang.tenant})
    assert f'hx-get="/{world.serang.tenant.slug}/notifikasi/lencana/"' in html
    assert f'href="/{world.serang.tenant.slug}/notifikasi/"' in html
