"""Reads on notifications: which template text applies, and a person's in-app inbox."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from balai.core.tenants.models import Tenant

from . import defaults
from .models import Channel, NotificationTemplate, OutboxMessage


@dataclass(frozen=True)
class ResolvedTemplate:
    code: str
    channel: str
    language: str
    subject: str
    body: str
    # "tenant", "platform" or "default": whose text this is
    origin: str
    row: NotificationTemplate | None = None


def template_resolve(*, tenant: Tenant | None, code: str, channel: str, language: str) -> ResolvedTemplate:
    """The text that `code` uses for `channel` in `language`: the tenant's own, else the platform's, else shipped.

    LookupError for a code nobody registered (see defaults.register).
    """
    spec = defaults.spec(code)
    if spec is None:
        raise LookupError(f"Unknown notification template {code!r}; register it in balai.core.notifications.defaults.")
    chain = defaults.CHANNEL_FALLBACK.get(channel, [channel, ""])
    rows = NotificationTemplate.objects.filter(code=code, language=language, channel__in=chain)
    rows = rows.filter(tenant=tenant) if tenant is not None else rows.none()
    platform = NotificationTemplate.objects.filter(tenant__isnull=True, code=code, language=language, channel__in=chain)
    for origin, found in (("tenant", list(rows)), ("platform", list(platform))):
        by_channel = {r.channel: r for r in found}
        for candidate in chain:
            if candidate in by_channel:
                row = by_channel[candidate]
                return ResolvedTemplate(code, channel, language, row.subject, row.body, origin, row)
    subject, body = spec.text(channel=channel, language=language)
    return ResolvedTemplate(code, channel, language, subject, body, "default")


def template_overrides(*, tenant: Tenant) -> dict[tuple[str, str], NotificationTemplate]:
    """The tenant's own all-channel templates by (code, language)."""
    rows = NotificationTemplate.objects.filter(tenant=tenant, channel="").select_related("updated_by")
    return {(r.code, r.language): r for r in rows}


def inbox(*, tenant: Tenant, user) -> QuerySet[OutboxMessage]:
    """The person's in-app notifications in this tenant, newest first."""
    return OutboxMessage.objects.filter(tenant=tenant, recipient=user, channel=Channel.INAPP).order_by("-created_at", "-pk")


def unread_count(*, tenant: Tenant, user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return inbox(tenant=tenant, user=user).filter(read_at__isnull=True).count()


def inbox_message_get(*, tenant: Tenant, user, pk: int) -> OutboxMessage:
    """One of the person's own in-app notifications in this tenant; 404 for anyone else's."""
    message = inbox(tenant=tenant, user=user).filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


def outbox_counts(*, tenant: Tenant) -> dict[str, int]:
    """How many of the tenant's outgoing messages are in each status (for the administrator)."""
    rows = OutboxMessage.objects.filter(tenant=tenant).exclude(channel=Channel.INAPP).values("status").annotate(n=Count("pk"))
    counts = {s: 0 for s, _ in OutboxMessage.Status.choices}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts
