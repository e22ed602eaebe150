"""The isolation and role harness: every route, every persona, own tenant and the other one.

See balai/testing/routes.py for how routes declare their rules.
"""

import os

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from balai.core.documents.pdf import PdfEngineUnavailable
from balai.testing.clients import login
from balai.testing.personas import PERSONA_KINDS
from balai.testing.routes import REFUSED, builders, declared_rules, rule_owners, url_patterns

PATTERNS = {p.name: p for p in url_patterns()}
RULES = declared_rules()
OWNERS = rule_owners()


def test_every_route_declares_its_access_rules():
    undeclared = sorted(set(PATTERNS) - set(RULES))
    assert not undeclared, f"Routes without access rules (add them to the app's tests/routes.py): {undeclared}"


def test_no_rule_names_a_route_that_does_not_exist():
    assert not sorted(set(RULES) - set(PATTERNS))


@pytest.fixture
def harness_world(world):
    world.unbuildable = {}
    for owner, build in builders():
        try:
            build(world.serang)
            build(world.cilegon)
        except PdfEngineUnavailable as exc:
            # Only on a bare machine without Pango (never in CI): those routes' objects cannot exist.
            if os.environ.get("CI"):
                raise
            world.unbuildable[owner] = str(exc)
    return world


def _url(rule, pattern, tenant_world, objects_world):
    kwargs = dict(rule.kwargs(objects_world)) if rule.kwargs else {}
    if pattern.tenant_scoped:
        kwargs["tenant"] = tenant_world.tenant.slug
    return reverse(rule.name, kwargs=kwargs)


def _request(method, rule, world, kind, url, objects_world):
    client = Client()
    person = world.person("serang", kind)
    if person is not None:
        login(client, person)
    if method == "GET":
        return client.get(url)
    data = rule.post_data(objects_world) if rule.post_data else {}
    return client.post(url, data)


def _refused(response) -> bool:
    if response.status_code == 302:
        return response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    return response.status_code in REFUSED


@pytest.mark.parametrize("name", sorted(set(RULES) & set(PATTERNS)))
def test_route_access(harness_world, name):
    world = harness_world
    if OWNERS[name] in world.unbuildable:
        pytest.skip(f"objects of {OWNERS[name]} cannot be made here: {world.unbuildable[OWNERS[name]]}")
    rule, pattern = RULES[name], PATTERNS[name]
    serang, cilegon = world.serang, world.cilegon
    failures = []
    methods = ["GET"] + (["POST"] if rule.post is not None else [])
    for method in methods:
        for kind in PERSONA_KINDS:
            expected = rule.expected(method, kind)
            # 1. Own tenant, own objects.
            url = _url(rule, pattern, serang, serang)
            own = _request(method, rule, world, kind, url, serang)
            status = own.status_code
            if status not in expected:
                failures.append(f"{method} {url} as {kind}: {status}, expected {sorted(expected)}")
            if not pattern.tenant_scoped:
                continue
            # 2. Own tenant's address, the other tenant's objects: never let in.
            if rule.kwargs and rule.kwargs(serang) != rule.kwargs(cilegon):
                url = _url(rule, pattern, serang, cilegon)
                status = _request(method, rule, world, kind, url, cilegon).status_code
                # Refused before the lookup (to the login page, 403, 405) stays refused; let in, it is a 404.
                foreign_expected = frozenset({own.status_code}) if _refused(own) else frozenset({404})
                if status not in foreign_expected:
                    failures.append(f"{method} {url} (foreign object) as {kind}: {status}, expected {sorted(foreign_expected)}")
            # 3. The other tenant's address: the Serang persona holds no role there.
            url = _url(rule, pattern, cilegon, cilegon)
            as_outsider = rule.expected(method, "outsider" if kind != "anonymous" else "anonymous")
            status = _request(method, rule, world, kind, url, cilegon).status_code
            if status not in as_outsider:
                failures.append(f"{method} {url} (other tenant) as {kind}: {status}, expected {sorted(as_outsider)}")
    assert not failures, "\n".join(failures)
