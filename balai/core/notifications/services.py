"""Writes on notifications: queue messages with the event, send them, keep templates, mark as read.

The contract other services rely on:

    with transaction.atomic():
        ...the event...
        notify(tenant=tenant, recipients=[applicant], template="workflow.transition",
               context={"reference": ..., "state_to": ..., "link": "/kota-serang/..."})

`notify` writes one outbox row per recipient and channel inside the caller's transaction (a rolled-back
event leaves no message) and, after commit, queues the `dispatch` task for them. `dispatch` is also run
every minute by Celery beat, which picks up messages whose after-commit queueing was lost and retries.
Delivery is at least once: a message is sent again only if a worker dies between handing it to the
SMTP server or provider and recording it as sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from balai.core.audit.services import audit_record
from balai.core.tenants.models import Tenant

from . import defaults, sandbox, selectors
from .channels import PermanentFailure, channel
from .models import Channel, Language, NotificationTemplate, OutboxMessage

logger = logging.getLogger("balai.notifications")

# Channels used when the caller names none; each is skipped for a person it cannot reach
# (e-mail needs a verified address, SMS a phone number). WhatsApp only when asked for.
DEFAULT_CHANNELS = (Channel.INAPP, Channel.EMAIL, Channel.SMS)
# A claimed message not recorded as sent or failed within this time is claimed again.
CLAIM_SECONDS = 300
BATCH = 100
MAX_BACKOFF = timedelta(hours=24)


def _language(user) -> str:
    language = (getattr(user, "preferred_language", "") or "").lower()[:2]
    return language if language in Language.values else Language.INDONESIAN


def _absolute(link: str) -> str:
    if not link:
        return ""
    if link.startswith(("http://", "https://")):
        return link
    return f"{settings.BALAI_SITE_URL}{link if link.startswith('/') else '/' + link}"


def _render(*, tenant: Tenant, code: str, channel_code: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    resolved = selectors.template_resolve(tenant=tenant, code=code, channel=channel_code, language=language)
    subject = sandbox.render_subject(resolved.subject, context, language=language) if resolved.subject else ""
    return subject, sandbox.render(resolved.body, context, language=language)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 5, 25, 125 ... minutes, at most a day."""
    return min(timedelta(minutes=5 ** max(attempts - 1, 0)), MAX_BACKOFF)


def notify(
    *,
    tenant: Tenant,
    recipients: Iterable,
    template: str,
    context: dict[str, Any],
    channels: Sequence[str] | None = None,
    actor=None,
    subject: str | None = None,
) -> list[OutboxMessage]:
    """Queue the notification `template` to each recipient on each channel that reaches them.

    Guarantees: the rows are written in the caller's transaction, rendered now in each recipient's
    preferred language (a later template edit does not change them); in-app rows are delivered as they
    commit; the others are handed to the dispatch task only after commit. Inactive accounts and
    channels a person cannot be reached on are skipped. `subject` replaces the template's subject.
    LookupError for an unknown template, TypeError for a context that is not plain JSON-like data.
    """
    wanted = list(channels) if channels is not None else list(DEFAULT_CHANNELS)
    unknown = set(wanted) - set(Channel.values)
    if unknown:
        raise ValueError(f"Unknown notification channels: {sorted(unknown)}")
    link = str(context.get("link") or "")
    now = timezone.now()
    created: list[OutboxMessage] = []
    seen: set[int] = set()
    with transaction.atomic():
        for user in recipients:
            if user is None or user.pk in seen or not user.is_active:
                continue
            seen.add(user.pk)
            language = _language(user)
            full_context = {
                **context,
                "recipient_name": user.full_name or user.email,
                "tenant_name": tenant.name,
                "url": _absolute(link),
            }
            for code in wanted:
                address = channel(code).address_for(user)
                if address is None:
                    continue
                rendered_subject, body = _render(
                    tenant=tenant, code=template, channel_code=code, language=language, context=full_context
                )
                inapp = code == Channel.INAPP
                created.append(
                    OutboxMessage(
                        tenant=tenant,
                        recipient=user,
                        address=address,
                        channel=code,
                        template_code=template,
                        language=language,
                        subject=(subject if subject is not None else rendered_subject)[:300],
                        body=body,
                        link=link[:500],
                        status=OutboxMessage.Status.SENT if inapp else OutboxMessage.Status.PENDING,
                        sent_at=now if inapp else None,
                        next_attempt_at=None if inapp else now,
                    )
                )
        OutboxMessage.objects.bulk_create(created)
        to_send = [m.pk for m in created if m.channel != Channel.INAPP]
        if to_send:
            transaction.on_commit(lambda: dispatch_soon(to_send))
    return created


def dispatch_soon(message_ids: list[int]) -> None:
    """Queue the dispatch task for these messages; if the broker is down, the scheduled dispatch sends them."""
    from .tasks import dispatch_task

    try:
        dispatch_task.delay(message_ids)
    except Exception:
        logger.exception("could not queue dispatch of outbox messages %s; the scheduled dispatch will send them", message_ids)


def _due(now: datetime) -> Q:
    return Q(
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED, OutboxMessage.Status.SENDING],
        next_attempt_at__lte=now,
    )


def _claim(*, message_ids: Sequence[int] | None, now: datetime, limit: int) -> list[int]:
    """Mark up to `limit` due messages as being sent by us; no other dispatcher gets the same ones."""
    with transaction.atomic():
        rows = OutboxMessage.objects.filter(_due(now)).exclude(channel=Channel.INAPP)
        if message_ids is not None:
            rows = rows.filter(pk__in=list(message_ids))
        rows = rows.order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            # PostgreSQL: rows another dispatcher is claiming are skipped, not waited for.
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.values_list("pk", flat=True)[:limit])
        if ids:
            # On SQLite the transaction itself is the lock (BEGIN IMMEDIATE); this flip is the claim.
            OutboxMessage.objects.filter(pk__in=ids).update(
                status=OutboxMessage.Status.SENDING,
                attempts=F("attempts") + 1,
                next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
            )
    return ids


def _record(message: OutboxMessage, **fields) -> bool:
    """Record the outcome of our attempt, unless the claim expired and someone else took the message over."""
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxMessage.Status.SENDING, attempts=message.attempts
    ).update(**fields)
    if not updated:
        logger.warning("outbox message %s was claimed again before its attempt %s ended", message.pk, message.attempts)
    return bool(updated)


def dispatch(*, message_ids: Sequence[int] | None = None, now: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """Send the due messages (all, or those of `message_ids`), at most `limit` of them.

    Guarantees: a message is claimed by one dispatcher at a time (concurrent runs share out the work,
    a sent message is never picked again); a failed attempt is retried after `backoff(attempts)`, and
    after BALAI_NOTIFICATION_MAX_ATTEMPTS attempts (or a permanent failure) the message is "dead".
    Returns how many were sent, left to retry and given up.
    """
    now = now or timezone.now()
    max_attempts = settings.BALAI_NOTIFICATION_MAX_ATTEMPTS
    summary = {"sent": 0, "failed": 0, "dead": 0}
    ids = _claim(message_ids=message_ids, now=now, limit=limit)
    for message in OutboxMessage.objects.filter(pk__in=ids).order_by("pk"):
        try:
            channel(message.channel).send(message)
        except Exception as exc:  # noqa: BLE001 - any failure of a channel is recorded on the message
            error = f"{type(exc).__name__}: {exc}"[:2000]
            if isinstance(exc, PermanentFailure) or message.attempts >= max_attempts:
                if _record(message, status=OutboxMessage.Status.DEAD, last_error=error, next_attempt_at=None):
                    summary["dead"] += 1
                logger.error("outbox message %s (%s) given up after %s attempts: %s", message.pk, message.channel, message.attempts, error)
            else:
                retry_at = now + backoff(message.attempts)
                if _record(message, status=OutboxMessage.Status.FAILED, last_error=error, next_attempt_at=retry_at):
                    summary["failed"] += 1
                logger.warning("outbox message %s (%s) failed, retry at %s: %s", message.pk, message.channel, retry_at.isoformat(), error)
        else:
            if _record(message, status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None):
                summary["sent"] += 1
    return summary


# --- templates ----------------------------------------------------------------------------------


def _check(*, code: str, language: str) -> None:
    if defaults.spec(code) is None:
        raise LookupError(f"Unknown notification template {code!r}")
    if language not in Language.values:
        raise LookupError(f"Unknown language {language!r}")


@transaction.atomic
def template_save(*, tenant: Tenant, code: str, language: str, subject: str, body: str, actor) -> NotificationTemplate:
    """Save the tenant's own text of `code` in `language` (for every channel), as a new version.

    Guarantees both subject and body compile in the sandbox (ValidationError naming the field
    otherwise) and render with the template's sample data; messages already queued keep their text.
    """
    _check(code=code, language=language)
    errors = {}
    for field, source in (("subject", subject), ("body", body)):
        try:
            sandbox.compile_template(source)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    row = NotificationTemplate.objects.select_for_update().filter(tenant=tenant, code=code, channel="", language=language).first()
    before = {"subject": row.subject, "body": row.body} if row else None
    if row is None:
        row = NotificationTemplate.objects.create(
            tenant=tenant, code=code, channel="", language=language, subject=subject, body=body, updated_by=actor
        )
    elif row.subject != subject or row.body != body:
        row.subject, row.body, row.version, row.updated_by = subject, body, row.version + 1, actor
        row.save(update_fields=["subject", "body", "version", "updated_by", "updated_at"])
    else:
        return row
    audit_record(
        tenant=tenant,
        actor=actor,
        action="notifications.template_save",
        obj=row,
        data={"code": code, "language": language, "version": row.version},
        before=before,
        after={"subject": subject, "body": body},
    )
    return row


@transaction.atomic
def template_reset(*, tenant: Tenant, code: str, language: str, actor) -> bool:
    """Drop the tenant's own text of `code` in `language`, so the platform's applies again. False if there was none."""
    _check(code=code, language=language)
    row = NotificationTemplate.objects.select_for_update().filter(tenant=tenant, code=code, channel="", language=language).first()
    if row is None:
        return False
    audit_record(
        tenant=tenant,
        actor=actor,
        action="notifications.template_reset",
        obj=row,
        data={"code": code, "language": language, "version": row.version},
    )
    row.delete()
    return True


def template_preview(*, tenant: Tenant, code: str, language: str, subject: str, body: str) -> tuple[str, str]:
    """Subject and body rendered with the template's sample data (ValidationError if they do not compile)."""
    _check(code=code, language=language)
    context = {**defaults.spec(code).sample_context(), "tenant_name": tenant.name}
    context["url"] = _absolute(str(context.get("link") or "")) or context["url"]
    return sandbox.render_subject(subject, context, language=language), sandbox.render(body, context, language=language)


# --- in-app -------------------------------------------------------------------------------------


def inapp_mark_read(*, tenant: Tenant, user, message_id: int) -> OutboxMessage:
    """Mark one of the person's own in-app notifications as read (404 for anyone else's); idempotent."""
    message = selectors.inbox_message_get(tenant=tenant, user=user, pk=message_id)
    if message.read_at is None:
        message.read_at = timezone.now()
        OutboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
    return message


def inapp_mark_all_read(*, tenant: Tenant, user) -> int:
    """Mark all the person's unread in-app notifications in this tenant as read; how many were unread."""
    return selectors.inbox(tenant=tenant, user=user).filter(read_at__isnull=True).update(read_at=timezone.now())
