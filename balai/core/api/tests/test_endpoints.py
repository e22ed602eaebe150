from django.urls import reverse

from balai.core.tenants.services import tenant_create

from .conftest import bearer, make_token


def test_the_index_links_to_everything(world, api):
    body = api.get(reverse("api:index")).json()
    assert body["version"] == "1.0"
    assert body["tenants"].endswith("/api/v1/tenants/") and body["docs"].endswith("/api/v1/docs/")


def test_the_pemda_list_is_public(world, api):
    banten = tenant_create(code="36")
    rows = api.get(reverse("api:tenant_list")).json()
    assert [r["code"] for r in rows] == ["36", "36.72", "36.73"]
    assert rows[0] == {"code": "36", "name": banten.name, "slug": banten.slug, "kind": "province", "parent": None, "timezone": "Asia/Jakarta"}


def test_a_pemdas_information_is_public_and_lists_its_services(world, api):
    body = api.get(reverse("api:tenant_detail", kwargs={"tenant": world.serang.tenant.slug})).json()
    assert body["slug"] == world.serang.tenant.slug and body["services"] == []
    # Its own token is welcome there too.
    raw = make_token(world.serang)
    assert api.get(reverse("api:tenant_detail", kwargs={"tenant": world.serang.tenant.slug}), **bearer(raw)).status_code == 200
