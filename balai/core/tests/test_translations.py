"""The English interface is complete and its compiled catalogue is the one the .po file says."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted(ROOT.glob("balai/**/locale/en/LC_MESSAGES/django.po"))




@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed (apt-get install gettext)")
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_an_english_translation_and_the_mo_is_current(po, tmp_path):
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", "--no-fuzzy", str(po)], capture_output=True, text=True, check=True
    ).stdout
    assert "msgid" not in untranslated.split("\n\n", 1)[-1], f"untranslated messages in {po}:\n{untranslated[:2000]}"
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)], capture_output=True, text=True, check=True).stdout
    assert "msgid" not in fuzzy, f"fuzzy (unchecked) translations in {po}:\n{fuzzy[:2000]}"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
    with fresh.open("rb") as a, po.with_suffix(".mo").open("rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog, (
            f"{po.with_suffix('.mo')} is stale: run `manage.py compilemessages -l en`"
        )


@pytest.mark.django_db
def test_a_tenant_page_reads_in_english_after_the_switch(world):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/kota-serang/"})
    page = client.get("/kota-serang/").content.decode()
    assert 'lang="en"' in page
    assert "Online services available from this regional government." in page
    assert "Layanan daring" not in page
    with translation.override("id"):
        assert "Layanan daring yang tersedia di Pemda ini." in Client().get("/kota-serang/").content.decode()


@pytest.mark.django_db
def test_pages_stay_indonesian_for_a_phone_set_to_english_until_the_switch_is_used(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = client.get("/kota-serang/").content.decode()
    assert 'lang="id"' in page and "Layanan daring yang tersedia di Pemda ini." in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/kota-serang/"})
    assert 'lang="en"' in client.get("/kota-serang/").content.decode()


@pytest.mark.django_db
def test_the_api_answers_in_the_clients_language(world):
    body = Client().get("/api/v1/kota-tidak-ada/", HTTP_ACCEPT_LANGUAGE="en").json()
    english = body["error"]["message"]
    indonesian = Client().get("/api/v1/kota-tidak-ada/").json()["error"]["message"]
    assert english != indonesian
