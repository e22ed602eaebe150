"""Per-tenant templates: sandboxed, previewed, used for that tenant only, audited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from balai.core.audit.models import AuditEntry
from balai.core.notifications.models import NotificationTemplate, OutboxMessage
from balai.core.notifications.services import notify, template_reset, template_save
from balai.testing.clients import login

GENERIC = {"subject": "Jadwal survei", "message": "Survei Senin."}


def _edit_url(world, code="generic", language="id"):
    return reverse("notifications:template_edit", kwargs={"tenant": world.serang.tenant.slug, "code": code, "language": language})


@pytest.mark.parametrize(
    "source",
    [
        "{% load static %}{% static 'x' %}",
        "{% include 'base.html' %}",
        "{% extends 'base.html' %}",
        "{{ message|safe }}",
        "{% url 'accounts:login' %}",
        "{% if %}",
    ],
)
def test_the_sandbox_refuses_what_a_tenant_template_must_not_do(world, source):
    with pytest.raises(ValidationError) as caught:
        template_save(tenant=world.serang.tenant, code="generic", language="id", subject="{{ subject }}", body=source,
                      actor=world.serang.people["admin"])
    assert "body" in caught.value.message_dict
    assert not NotificationTemplate.objects.exists()


def test_a_tenants_template_is_used_for_that_tenant_only(world):
    template_save(tenant=world.serang.tenant, code="generic", language="id", subject="[Serang] {{ subject }}",
                  body="Halo {{ recipient_name }}: {{ message|upper }}", actor=world.serang.people["admin"])
    notify(tenant=world.serang.tenant, recipients=[world.serang.people["citizen"]], template="generic", context=GENERIC,
           channels=["inapp", "email"])
    notify(tenant=world.cilegon.tenant, recipients=[world.cilegon.people["citizen"]], template="generic", context=GENERIC,
           channels=["inapp"])

    serang = OutboxMessage.objects.filter(tenant=world.serang.tenant)
    assert {(m.subject, m.body) for m in serang} == {("[Serang] Jadwal survei", "Halo Citra Dewi: SURVEI SENIN.")}
    cilegon = OutboxMessage.objects.get(tenant=world.cilegon.tenant)
    assert cilegon.subject == "Jadwal survei"
    assert cilegon.body.startswith("Yth. Fajar Nugroho,")


def test_an_english_reader_keeps_the_english_default_when_only_indonesian_was_changed(world):
    template_save(tenant=world.serang.tenant, code="generic", language="id", subject="[Serang] {{ subject }}",
                  body="Halo", actor=world.serang.people["admin"])
    outsider = world.outsider
    outsider.preferred_language = "en"
    outsider.save(update_fields=["preferred_language"])
    [message] = notify(tenant=world.serang.tenant, recipients=[outsider], template="generic", context=GENERIC, channels=["inapp"])
    assert message.body.startswith("Dear Gilang Ramadhan,")


def test_saving_makes_a_new_version_on_the_audit_chain_and_reset_brings_the_default_back(world):
    admin = world.serang.people["admin"]
    first = template_save(tenant=world.serang.tenant, code="generic", language="id", subject="A", body="B", actor=admin)
    second = template_save(tenant=world.serang.tenant, code="generic", language="id", subject="A", body="C", actor=admin)
    assert (first.pk, second.version) == (second.pk, 2)
    actions = list(AuditEntry.objects.filter(tenant=world.serang.tenant, action__startswith="notifications.").values_list("action", "data__version"))
    assert actions == [("notifications.template_save", 1), ("notifications.template_save", 2)]

    assert template_reset(tenant=world.serang.tenant, code="generic", language="id", actor=admin) is True
    assert not NotificationTemplate.objects.exists()
    assert AuditEntry.objects.filter(action="notifications.template_reset").count() == 1


def test_the_administrator_previews_a_change_before_saving_it(client, world):
    login(client, world.serang.people["admin"])
    response = client.post(_edit_url(world), {"subject": "Info: {{ subject }}", "body": "Untuk {{ recipient_name }}: {{ message }}",
                                              "action": "preview"})
    assert response.status_code == 200
    assert "Info: Pemeliharaan sistem" in response.text
    assert "Untuk Citra Dewi: Layanan tidak tersedia" in response.text
    assert not NotificationTemplate.objects.exists()


def test_the_administrator_saves_a_template_and_sees_it_in_use(client, world):
    login(client, world.serang.people["admin"])
    response = client.post(_edit_url(world, language="en"), {"subject": "Notice: {{ subject }}", "body": "Hello", "action": "save"})
    assert response.status_code == 302
    row = NotificationTemplate.objects.get()
    assert (row.tenant, row.language, row.subject) == (world.serang.tenant, "en", "Notice: {{ subject }}")
    page = client.get(reverse("notifications:template_list", kwargs={"tenant": world.serang.tenant.slug}))
    assert "Diubah Pemda (versi 1)" in page.text


def test_a_template_with_a_load_tag_is_refused_on_the_page_with_what_to_do(client, world):
    login(client, world.serang.people["admin"])
    response = client.post(_edit_url(world), {"subject": "{{ subject }}", "body": "{% load static %}", "action": "save"})
    assert response.status_code == 400
    assert "{% load %}, {% include %} dan |safe tidak boleh dipakai" in response.content.decode().replace("&#x27;", "'")
    assert not NotificationTemplate.objects.exists()


def test_an_unknown_template_or_language_is_not_found(client, world):
    login(client, world.serang.people["admin"])
    assert client.get(_edit_url(world, code="nothing.here")).status_code == 404
    assert client.get(_edit_url(world, language="fr")).status_code == 404
