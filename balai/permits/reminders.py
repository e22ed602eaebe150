"""Reminders before a permit expires: the holder is told N days before `valid_until` (by default 30, 7
and 1 day), so that a renewal can be submitted in time.

`permits_expiry_reminders()` is idempotent: each (permit, validity end, threshold) is reminded once,
which the audit chain records (action "permits.expiry_reminder") and the next run reads back. A run that
starts late sends only the nearest threshold (a permit 5 days from expiry gets the 7-day reminder, not
the 30-day one too). A holder who already submitted a renewal is not reminded. Run it daily: Celery beat
task `balai.permits.reminders.expiry_reminders` or `manage.py permits_expiry_reminders`.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence

from celery import shared_task
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from balai.core.audit.models import AuditEntry
from balai.core.audit.services import audit_record
from balai.core.notifications.services import notify
from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for

from .models import Application

log = logging.getLogger(__name__)

TEMPLATE = "permits.expiry_reminder"
ACTION = "permits.expiry_reminder"
REMINDER_DAYS: tuple[int, ...] = (30, 7, 1)
OBJECT_TYPE = Application._meta.label_lower


def _sent(tenant: Tenant, ids: list[int]) -> set[tuple[str, str, int]]:
    """(application id, valid_until ISO, threshold) already reminded, from the audit chain."""
    rows = AuditEntry.objects.filter(
        tenant=tenant, action=ACTION, object_type=OBJECT_TYPE, object_id__in=[str(i) for i in ids]
    ).values_list("object_id", "data")
    found = set()
    for object_id, data in rows:
        data = data or {}
        found.add((object_id, str(data.get("valid_until")), int(data.get("threshold") or 0)))
    return found


def _link(application: Application) -> str:
    try:
        return reverse(
            "permits:applicant_detail", kwargs={"tenant": application.tenant.slug, "pk": application.pk}
        )
    except NoReverseMatch:  # pragma: no cover - the module's pages are mounted
        return ""


def tenant_expiry_reminders(*, tenant: Tenant, today: datetime.date | None = None,
                            thresholds: Sequence[int] = REMINDER_DAYS) -> int:
    """Remind the holders of the tenant's issued permits that expire within the largest threshold.
    Returns how many reminders were queued."""
    thresholds = sorted({int(t) for t in thresholds if int(t) >= 0})
    if not thresholds:
        return 0
    if today is None:
        # The workflow engine's clock, like the validity dates the permits were issued with.
        from balai.core.workflow import clock

        today = calendar_for(tenant).local_date(clock.now())
    day = today
    rows = list(
        Application.objects.filter(
            tenant=tenant, workflow__state="issued", valid_until__gte=day,
            valid_until__lte=day + datetime.timedelta(days=thresholds[-1]),
        )
        .exclude(renewals__workflow__state__in=_RENEWAL_UNDER_WAY)
        .select_related("permit_type", "applicant", "tenant", "permit_document")
        .distinct()
    )
    if not rows:
        return 0
    sent = _sent(tenant, [r.pk for r in rows])
    count = 0
    for application in rows:
        days_left = (application.valid_until - day).days
        threshold = next(t for t in thresholds if t >= days_left)
        key = (str(application.pk), application.valid_until.isoformat(), threshold)
        if key in sent:
            continue
        with transaction.atomic():
            notify(
                tenant=tenant,
                recipients=[application.applicant],
                template=TEMPLATE,
                context={
                    "permit_type": application.permit_type.name,
                    "registration_number": application.registration_number,
                    "permit_number": application.permit_document.number if application.permit_document_id else "",
                    "valid_until": application.valid_until.strftime("%d-%m-%Y"),
                    "days_left": days_left,
                    "renewable": bool(application.permit_type.renewable),
                    "link": _link(application),
                },
            )
            audit_record(
                tenant=tenant, actor=None, action=ACTION, obj=application,
                data={"threshold": threshold, "valid_until": application.valid_until.isoformat(), "days_left": days_left},
            )
        count += 1
    return count


# A renewal in these states means the holder is already on it.
_RENEWAL_UNDER_WAY = (
    "submitted", "verification", "returned", "inspection", "technical_recommendation", "awaiting_payment",
    "approval", "signing", "issued",
)


def permits_expiry_reminders(*, today: datetime.date | None = None, thresholds: Sequence[int] = REMINDER_DAYS) -> int:
    """Run the reminders for every active tenant; a failing tenant is logged and the others go on."""
    total = 0
    for tenant in Tenant.objects.filter(is_active=True).order_by("pk"):
        try:
            total += tenant_expiry_reminders(tenant=tenant, today=today, thresholds=thresholds)
        except Exception:  # noqa: BLE001 - one tenant's failure must not stop the others' reminders
            log.exception("Expiry reminders failed for tenant %s", tenant.pk)
    return total


@shared_task(name="balai.permits.reminders.expiry_reminders", ignore_result=True)
def expiry_reminders_task():
    return permits_expiry_reminders()
