"""Who is asking, and whether they asked too often: one place for the client address and the
per-minute counters that public look-ups (document verification, permit tracking) share."""

import time

from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address as django-axes reads it (trusting the configured proxies), or ""."""
    if request is None:
        return ""
    try:
        from axes.helpers import get_client_ip_address

        ip = get_client_ip_address(request)
    except Exception:  # noqa: BLE001 - a malformed proxy header must not break the page
        ip = request.META.get("REMOTE_ADDR")
    return (ip or "")[:45]


def per_minute_exceeded(*, scope: str, key: str, limit: int) -> bool:
    """Count one more request of `key` in this minute under `scope`; True once it exceeds `limit`."""
    counter = f"ratelimit:{scope}:{key}:{int(time.time() // 60)}"
    cache.add(counter, 0, 120)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.set(counter, 1, 120)
        count = 1
    return count > limit
