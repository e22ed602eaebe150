import pytest
from django.core.exceptions import ValidationError

from balai.core.documents import sandbox
from balai.core.documents.models import DocumentTemplate
from balai.core.documents.services import letterhead_save, template_save


@pytest.mark.parametrize(
    "source",
    [
        "{% load static %}{% static 'x.css' %}",
        "{% include 'base.html' %}",
        "{% extends 'base.html' %}",
        "{{ name|safe }}",
        "{% autoescape off %}{{ name }}{% endautoescape %}",
        "{% debug %}",
        "{% url 'verify:lookup' %}",
        "{% if x %}unclosed",
    ],
)
def test_it_refuses_tags_and_filters_outside_the_safe_subset(source):
    with pytest.raises(ValidationError):
        sandbox.compile_template(source)


def test_it_renders_the_allowed_subset_and_escapes_applicant_data():
    html = sandbox.render(
        "{% for n in names %}<b>{{ n|upper }}</b>{% endfor %} {{ fee|rupiah }}",
        {"names": ["<script>alert(1)</script>"], "fee": 1250000},
    )
    assert "&lt;SCRIPT&gt;" in html
    assert "<script>" not in html.lower()
    assert "Rp 1.250.000" in html


def test_it_refuses_objects_whose_methods_a_template_could_call(world):
    with pytest.raises(TypeError, match="plain data"):
        sandbox.render("{{ user.delete }}", {"user": world.serang.people["admin"]})


@pytest.mark.django_db
def test_saving_a_template_checks_it_compiles_and_keeps_every_version(world):
    tenant, admin = world.serang.tenant, world.serang.people["admin"]
    with pytest.raises(ValidationError) as info:
        template_save(tenant=tenant, kind="permits.permit", name="Izin", body="{% include '/etc/passwd' %}", actor=admin)
    assert "body" in info.value.message_dict
    first = template_save(tenant=tenant, kind="permits.permit", name="Izin", body="<p>{{ number }}</p>", actor=admin)
    same = template_save(tenant=tenant, kind="permits.permit", name="Izin", body="<p>{{ number }}</p>", actor=admin)
    second = template_save(tenant=tenant, kind="permits.permit", name="Izin", body="<h1>{{ number }}</h1>", actor=admin)
    assert (first.version, same.pk, second.version) == (1, first.pk, 2)
    assert DocumentTemplate.objects.filter(tenant=tenant, kind="permits.permit").count() == 2


@pytest.mark.django_db
def test_a_letterhead_that_does_not_compile_is_refused(world):
    with pytest.raises(ValidationError) as info:
        letterhead_save(tenant=world.serang.tenant, html="{% load i18n %}", css="", actor=world.serang.people["admin"])
    assert "html" in info.value.message_dict
