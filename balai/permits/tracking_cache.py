"""A short-lived cache of public tracking answers, so that people re-checking their file cost about
as much as a bare view.

Two kinds of answer are kept, each per tenant, registration number and language: the API's JSON
(`track/<number>/`) and the public page as a visitor without a session receives it (no CSRF token,
no name, no message in it: see `page_cacheable`). An answer is for the tenant's day (the SLA counts
change with the date) and lives at most `SECONDS`. Every transition of the file deletes its answers
inside its transaction and when it commits (`forget_on_commit`, from the workflow engine's on_change). With a
per-process cache (locmem, several workers) another worker may answer from its own copy until it
expires: public tracking is then at most `SECONDS` behind. Misses (unknown numbers) are not kept.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

SECONDS = 60
PREFIX = "permits:track"
KINDS = ("api", "page")


def normalise(number: str) -> str:
    return "".join((number or "").split()).upper()


def key(tenant_id: int, number: str, kind: str, language: str) -> str:
    return f"{PREFIX}:{tenant_id}:{normalise(number)}:{kind}:{language}"


def get(tenant_id: int, number: str, day: str, *, kind: str, language: str) -> bytes | None:
    found = cache.get(key(tenant_id, number, kind, language))
    if found and found.get("day") == day:
        return found["body"]
    return None


def put(tenant_id: int, number: str, day: str, body: bytes, *, kind: str, language: str) -> None:
    cache.set(key(tenant_id, number, kind, language), {"day": day, "body": body}, SECONDS)


def forget(*, tenant_id: int, number: str) -> None:
    cache.delete_many(
        [key(tenant_id, number, kind, language) for kind in KINDS for language, _name in settings.LANGUAGES]
    )


def forget_on_commit(*, tenant_id: int, number: str) -> None:
    """Forget the file's answers now and again when the transaction commits (a look-up in between
    may have kept the answer from before the change)."""
    if number:
        forget(tenant_id=tenant_id, number=number)
        transaction.on_commit(lambda: forget(tenant_id=tenant_id, number=number))


def page_cacheable(request) -> bool:
    """Whether the public page for this request is the same for everyone of its language: a visitor
    with no session (not signed in) and no message waiting. Pages for anonymous visitors carry no CSRF
    token (see base.html), and the language is part of the key."""
    cookies = request.COOKIES
    return request.method == "GET" and settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies
