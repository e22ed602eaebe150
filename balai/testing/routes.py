"""Access rules of every route, declared by the app that owns it, read by the isolation harness.

Each app keeps a `tests/routes.py` (or one `tests/routes_<area>.py` per area) with `RULES`, a list of `Route`, and optionally `build(tw)`, which
creates in one tenant (a `TenantWorld`) the objects its routes point at. The harness visits every
route as every persona kind:

- on its own tenant's objects, expecting the declared status;
- on another tenant's objects under its own tenant's address: 404 wherever it would have been let in
  (refused the same way where it was refused before any lookup: to the login page, 403, 405);
- on the other tenant's own address: the status declared for `outsider`, since it holds no role there.

A route named in the URL configuration but declared nowhere fails the suite.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

import balai

# Statuses that refuse before any object is looked up (besides a redirect to the login page).
REFUSED = frozenset({403, 405})


@dataclass(frozen=True)
class Route:
    name: str
    # Expected status by persona kind for GET; a kind left out expects `default`.
    get: dict[str, int | frozenset[int]] = field(default_factory=dict)
    default: int | frozenset[int] = 200
    # Expected status by persona kind for a POST with `post_data`; None when the route takes no POST.
    post: dict[str, int | frozenset[int]] | None = None
    post_default: int | frozenset[int] = 405
    post_data: Callable[[Any], dict] | None = None
    # The route's arguments other than `tenant`, from a TenantWorld.
    kwargs: Callable[[Any], dict] | None = None

    def expected(self, method: str, kind: str) -> frozenset[int]:
        table, default = (self.get, self.default) if method == "GET" else (self.post or {}, self.post_default)
        value = table.get(kind, default)
        return value if isinstance(value, frozenset) else frozenset({value})


def route_modules() -> list[Any]:
    found = []
    for info in pkgutil.walk_packages(balai.__path__, prefix="balai."):
        # An app declares its rules in tests/routes.py, or per area in tests/routes_<area>.py.
        if info.name.endswith(".tests.routes") or ".tests.routes_" in info.name:
            found.append(importlib.import_module(info.name))
    return found


def declared_rules() -> dict[str, Route]:
    rules: dict[str, Route] = {}
    for module in route_modules():
        for rule in module.RULES:
            if rule.name in rules:
                raise AssertionError(f"Route {rule.name} is declared twice.")
            rules[rule.name] = rule
    return rules


def rule_owners() -> dict[str, str]:
    """Which routes module declared each route, by route name."""
    return {rule.name: module.__name__ for module in route_modules() for rule in module.RULES}


def builders() -> list[tuple[str, Callable[[Any], None]]]:
    return [(m.__name__, m.build) for m in route_modules() if hasattr(m, "build")]


@dataclass(frozen=True)
class Pattern:
    name: str
    tenant_scoped: bool
    arguments: frozenset[str]


def url_patterns() -> list[Pattern]:
    """Every named route of the project, with whether it sits under `/<tenant>/`."""
    found: list[Pattern] = []

    def walk(patterns, namespace: str, args: frozenset[str]) -> None:
        for p in patterns:
            pattern_args = frozenset(p.pattern.regex.groupindex) | args
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns, pattern_args)
            elif isinstance(p, URLPattern):
                name = f"{namespace}{p.name}" if p.name else f"<unnamed {p.pattern}>"
                found.append(Pattern(name, "tenant" in pattern_args, pattern_args - {"tenant"}))

    walk(get_resolver().url_patterns, "", frozenset())
    return found
