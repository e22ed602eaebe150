from django.test import Client
from django.urls import reverse

from balai.core.parties.models import LegalEntity, Representative
from balai.testing.clients import login

from .conftest import NIB


def _client(user) -> Client:
    return login(Client(), user)


def _business_form(**overrides):
    data = {
        "name": "CV Maju Jaya", "nib": "9120 0012 34567", "npwp": "01.312.166.0-091.000",
        "address": "Jl. Ahmad Yani No. 10, Cipare", "regency_code": "36.73", "role": "pengurus",
    }
    data.update(overrides)
    return data


def test_the_account_page_links_to_ones_businesses_and_organisations(citra):
    page = _client(citra).get(reverse("accounts:home"))
    assert reverse("parties:entity_list") in page.content.decode()


def test_a_citizen_registers_a_business_and_adds_a_colleague_who_then_sees_it(citra, hadi):
    client = _client(citra)
    form = client.get(reverse("parties:entity_register", kwargs={"kind": "usaha"}))
    assert form.status_code == 200
    # Citra's NIK names no regency here, so nothing is preselected; the list holds every regency and city.
    assert 'value="36.73"' in form.content.decode() and 'value="91.71"' in form.content.decode()

    done = client.post(reverse("parties:entity_register", kwargs={"kind": "usaha"}), _business_form(), follow=True)
    entity = LegalEntity.objects.get()
    assert done.redirect_chain[-1][0] == reverse("parties:entity_detail", kwargs={"pk": entity.pk})
    page = done.content.decode()
    assert "CV Maju Jaya" in page and NIB in page and "01.312.166.0-091.000" in page and "Kota Serang" in page

    added = client.post(
        reverse("parties:representative_add", kwargs={"pk": entity.pk}), {"contact": "0812 3456 7890", "role": "kuasa"},
        follow=True,
    )
    assert "Hadi Saputra sekarang wakil CV Maju Jaya" in added.content.decode()

    colleague = _client(hadi)
    mine = colleague.get(reverse("parties:entity_list"))
    assert "CV Maju Jaya" in mine.content.decode()
    assert colleague.get(reverse("parties:entity_detail", kwargs={"pk": entity.pk})).status_code == 200


def test_a_mistake_shows_the_error_summary_and_the_message_beside_the_field(citra):
    response = _client(citra).post(
        reverse("parties:entity_register", kwargs={"kind": "usaha"}), _business_form(name="", nib="123", npwp="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary' in page and 'href="#id_name"' in page and 'href="#id_nib"' in page
    assert 'id="id_nib-error"' in page and "NIB terdiri atas 13 angka" in page
    assert not LegalEntity.objects.exists()


def test_a_second_registration_of_an_nib_says_to_ask_a_representative(business, hadi):
    response = _client(hadi).post(
        reverse("parties:entity_register", kwargs={"kind": "usaha"}), _business_form(name="CV Maju")
    )
    assert response.status_code == 400
    assert "minta salah satu wakilnya yang sudah terdaftar menambahkan Anda" in response.content.decode()
    assert LegalEntity.objects.count() == 1


def test_an_organisation_is_registered_without_an_nib(citra):
    url = reverse("parties:entity_register", kwargs={"kind": "organisasi"})
    assert 'name="nib"' not in _client(citra).get(url).content.decode()
    response = _client(citra).post(
        url, {"name": "Yayasan Peduli Sesama", "npwp": "", "address": "Jl. Masjid 1", "regency_code": "36.72", "role": "pengurus"}
    )
    assert response.status_code == 302
    assert LegalEntity.objects.get().kind == "organisation"


def test_an_unknown_kind_of_entity_is_not_found(citra):
    assert _client(citra).get(reverse("parties:entity_register", kwargs={"kind": "koperasi"})).status_code == 404


def test_an_outsider_gets_404_on_every_page_of_the_entity(business, citra, hadi, world):
    representation = business.representatives.get()
    urls = [
        reverse("parties:entity_detail", kwargs={"pk": business.pk}),
        reverse("parties:entity_update", kwargs={"pk": business.pk}),
        reverse("parties:representative_add", kwargs={"pk": business.pk}),
        reverse("parties:representative_end", kwargs={"pk": business.pk, "representative_pk": representation.pk}),
    ]
    for person in (hadi, world.serang.people["officer"], world.cilegon.people["citizen"]):
        client = _client(person)
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"contact": person.email, "role": "pengurus"}).status_code == 404, url
        assert "CV Maju Jaya" not in client.get(reverse("parties:entity_list")).content.decode()
    assert business.representatives.count() == 1
    assert Client().get(urls[0]).status_code == 302


def test_ending_a_representation_asks_first_and_the_last_one_cannot_be_ended(business, citra, hadi):
    client = _client(citra)
    mine = business.representatives.get()
    end_mine = reverse("parties:representative_end", kwargs={"pk": business.pk, "representative_pk": mine.pk})
    alone = client.get(end_mine).content.decode()
    assert "satu-satunya wakil" in alone and 'method="post"' not in alone.split("<main", 1)[1]
    refused = client.post(end_mine, follow=True)
    assert "satu-satunya wakil" in refused.content.decode()

    client.post(reverse("parties:representative_add", kwargs={"pk": business.pk}), {"contact": hadi.email, "role": "kuasa"})
    his = Representative.objects.get(entity=business, user=hadi)
    end_his = reverse("parties:representative_end", kwargs={"pk": business.pk, "representative_pk": his.pk})
    assert "Ya, akhiri perwakilan Hadi Saputra" in client.get(end_his).content.decode()
    done = client.post(end_his, follow=True)
    assert "Hadi Saputra tidak lagi mewakili CV Maju Jaya" in done.content.decode()
    assert "Riwayat wakil" in done.content.decode()
    assert _client(hadi).get(reverse("parties:entity_detail", kwargs={"pk": business.pk})).status_code == 404


def test_a_representative_corrects_the_address(business, citra):
    url = reverse("parties:entity_update", kwargs={"pk": business.pk})
    client = _client(citra)
    assert "Jl. Ahmad Yani No. 10" in client.get(url).content.decode()
    response = client.post(url, _business_form(nib=NIB, address="Jl. Ahmad Yani No. 12"))
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.address == "Jl. Ahmad Yani No. 12"


def test_adding_representatives_is_limited_to_a_few_attempts_a_minute(business, citra):
    client, url = _client(citra), reverse("parties:representative_add", kwargs={"pk": business.pk})
    statuses = [client.post(url, {"contact": f"orang{i}@contoh.id", "role": "kuasa"}).status_code for i in range(11)]
    assert statuses == [400] * 10 + [429]
    assert "Tunggu satu menit" in client.post(url, {"contact": "lagi@contoh.id", "role": "kuasa"}).content.decode()
