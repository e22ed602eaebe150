import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from balai.core.accounts.models import Membership, User
from balai.core.accounts.services import membership_deactivate, membership_set_roles, officer_create
from balai.testing.clients import login


def _url(name, world, key="serang", **kwargs):
    return reverse(f"tenant_accounts:{name}", kwargs={"tenant": world.tenant(key).tenant.slug, **kwargs})


def _membership(world, kind, key="serang"):
    tw = world.tenant(key)
    return Membership.objects.get(tenant=tw.tenant, user=tw.people[kind])


@pytest.fixture
def admin_client(client, world):
    return login(client, world.serang.people["admin"])


def test_the_form_offers_only_officer_roles_grouped_by_module(admin_client, world):
    page = admin_client.get(_url("officer_create", world)).content.decode()
    for text in ["Nama lengkap", "Surel", "Nomor ponsel", "Tambah petugas", "Platform", "Administrator Pemda", "Inspektorat"]:
        assert text in page
    assert "Warga / pemohon" not in page


def test_an_admin_adds_a_new_officer_who_sets_a_password_from_the_email(admin_client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            _url("officer_create", world),
            {"full_name": "Joko Susilo", "email": "Joko.Susilo@contoh.id", "phone": "0813 1111 2222", "roles": ["core.officer"]},
        )
    assert response.status_code == 302 and response.url == _url("officer_list", world)
    user = User.objects.get(email="joko.susilo@contoh.id")
    assert not user.has_usable_password() and user.phone == "+6281311112222"
    membership = Membership.objects.get(user=user, tenant=world.serang.tenant)
    assert membership.roles == ["core.officer"] and membership.created_by == world.serang.people["admin"]
    assert len(mail.outbox) == 1 and "Kota Serang" in mail.outbox[0].subject
    link = re.search(r"https?://[^/\s]+(/accounts/sandi/atur/\S+)", mail.outbox[0].body).group(1)
    joko = Client()
    form_url = joko.get(link, follow=True).redirect_chain[-1][0]
    joko.post(form_url, {"new_password1": "kopi-Pandeglang-9", "new_password2": "kopi-Pandeglang-9"})
    assert joko.post(reverse("accounts:login"), {"username": "joko.susilo@contoh.id", "password": "kopi-Pandeglang-9"}).status_code == 302
    # Officers still have to pass the second factor before they reach officer pages.
    assert joko.get(reverse("tenant:dashboard", kwargs={"tenant": "kota-serang"})).status_code == 302
    assert "Joko Susilo" in admin_client.get(_url("officer_list", world)).content.decode()


def test_an_existing_account_is_reused_and_keeps_its_citizen_role(world, django_capture_on_commit_callbacks):
    person = world.serang.people["citizen"]
    with django_capture_on_commit_callbacks(execute=True):
        membership = officer_create(
            tenant=world.serang.tenant,
            email=person.email.upper(),
            full_name="Nama Lain",
            roles=["core.officer"],
            actor=world.serang.people["admin"],
        )
    assert membership.user == person and User.objects.filter(email=person.email).count() == 1
    assert membership.roles == ["core.citizen", "core.officer"]
    person.refresh_from_db()
    assert person.full_name == "Citra Dewi" and person.has_usable_password()
    assert "/accounts/masuk/" in mail.outbox[0].body


def test_a_citizen_role_cannot_be_slipped_into_the_officer_form(admin_client, world):
    response = admin_client.post(
        _url("officer_create", world), {"full_name": "X Y", "email": "xy@contoh.id", "roles": ["core.citizen"]}
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="xy@contoh.id").exists()


def test_missing_fields_are_named(admin_client, world):
    response = admin_client.post(_url("officer_create", world), {"full_name": "", "email": "", "roles": []})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tulis nama lengkap petugas" in page and "Tulis alamat surel petugas" in page and "Pilih paling sedikit satu peran" in page


@pytest.mark.parametrize("kind", ["officer", "inspector", "citizen"])
def test_people_without_the_permission_get_403(client, world, kind):
    login(client, world.serang.people[kind])
    assert client.get(_url("officer_create", world)).status_code == 403
    response = client.post(_url("officer_create", world), {"full_name": "A B", "email": "ab@contoh.id", "roles": ["core.officer"]})
    assert response.status_code == 403
    assert not User.objects.filter(email="ab@contoh.id").exists()


def test_the_service_refuses_an_actor_without_the_permission(world):
    with pytest.raises(PermissionDenied):
        officer_create(
            tenant=world.serang.tenant, email="ab@contoh.id", full_name="A B", roles=["core.officer"],
            actor=world.serang.people["officer"],
        )
    with pytest.raises(PermissionDenied):  # an admin elsewhere is nobody here
        membership_set_roles(
            tenant=world.serang.tenant, user=world.serang.people["officer"], roles=[], actor=world.cilegon.people["admin"]
        )


def test_an_admin_changes_roles_and_keeps_the_citizen_role(admin_client, world):
    membership = _membership(world, "officer")
    membership.roles = ["core.officer", "core.citizen"]
    membership.save(update_fields=["roles"])
    response = admin_client.post(_url("officer_edit", world, membership_id=membership.pk), {"roles": ["core.inspector"]})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.roles == ["core.citizen", "core.inspector"]


def test_another_tenants_membership_is_404(admin_client, world):
    foreign = _membership(world, "officer", "cilegon")
    assert admin_client.get(_url("officer_edit", world, membership_id=foreign.pk)).status_code == 404
    assert admin_client.post(_url("officer_edit", world, membership_id=foreign.pk), {"roles": ["core.officer"]}).status_code == 404
    assert admin_client.post(_url("officer_deactivate", world, membership_id=foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active and foreign.roles == ["core.officer"]


def test_a_citizen_only_membership_is_not_an_officer_page(admin_client, world):
    citizen = _membership(world, "citizen")
    assert admin_client.get(_url("officer_edit", world, membership_id=citizen.pk)).status_code == 404


def test_the_last_admin_cannot_remove_their_own_admin_role(admin_client, world):
    own = _membership(world, "admin")
    response = admin_client.post(_url("officer_edit", world, membership_id=own.pk), {"roles": ["core.officer"]})
    assert response.status_code == 400
    assert "satu-satunya Administrator Pemda" in response.content.decode()
    own.refresh_from_db()
    assert "core.tenant_admin" in own.roles


def test_an_admin_may_step_down_when_another_admin_remains(world):
    admin = world.serang.people["admin"]
    membership_set_roles(
        tenant=world.serang.tenant, user=world.serang.people["officer"], roles=["core.officer", "core.tenant_admin"], actor=admin
    )
    membership = membership_set_roles(tenant=world.serang.tenant, user=admin, roles=["core.officer"], actor=admin)
    assert membership.roles == ["core.officer"]


def test_the_last_admin_cannot_deactivate_themselves(admin_client, world):
    own = _membership(world, "admin")
    response = admin_client.post(_url("officer_deactivate", world, membership_id=own.pk), follow=True)
    assert "satu-satunya Administrator Pemda" in response.content.decode()
    own.refresh_from_db()
    assert own.is_active
    with pytest.raises(ValidationError):
        membership_deactivate(tenant=world.serang.tenant, user=world.serang.people["admin"], actor=world.serang.people["admin"])


def test_a_deactivated_officer_loses_access_at_once(admin_client, world):
    officer = world.serang.people["officer"]
    membership = _membership(world, "officer")
    assert admin_client.post(_url("officer_deactivate", world, membership_id=membership.pk)).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    officer_client = login(Client(), officer)
    assert officer_client.get(reverse("tenant:dashboard", kwargs={"tenant": "kota-serang"})).status_code == 403
    page = admin_client.get(_url("officer_list", world)).content.decode()
    assert "Nonaktif" in page
    # Adding the same person again brings them back.
    officer_create(tenant=world.serang.tenant, email=officer.email, full_name="", roles=["core.officer"], actor=world.serang.people["admin"])
    membership.refresh_from_db()
    assert membership.is_active and membership.roles == ["core.officer"]


def test_unknown_roles_are_refused_by_the_service(world):
    with pytest.raises(ValidationError) as caught:
        membership_set_roles(
            tenant=world.serang.tenant, user=world.serang.people["officer"], roles=["core.raja"], actor=world.serang.people["admin"]
        )
    assert "Peran tidak dikenal: core.raja" in caught.value.message_dict["roles"][0]


def test_the_list_shows_each_officer_with_roles(admin_client, world):
    page = admin_client.get(_url("officer_list", world)).content.decode()
    assert "Budi Santoso" in page and "Petugas (ASN)" in page
    assert "Eko Prasetyo" not in page  # Cilegon's officer
    assert "Citra Dewi" not in page  # a citizen is not an officer


def test_role_changes_are_written_to_the_tenants_audit_chain(world):
    from balai.core.audit.models import AuditEntry

    admin = world.serang.people["admin"]
    officer = world.serang.people["officer"]
    membership_set_roles(tenant=world.serang.tenant, user=officer, roles=["core.inspector"], actor=admin)
    membership_deactivate(tenant=world.serang.tenant, user=officer, actor=admin)
    entries = list(AuditEntry.objects.filter(tenant=world.serang.tenant, action__startswith="accounts.").order_by("seq"))
    assert [e.action for e in entries] == ["accounts.membership_set_roles", "accounts.membership_deactivate"]
    assert entries[0].actor_id == admin.pk and entries[0].data["to"] == ["core.inspector"]
