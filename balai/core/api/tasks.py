"""Celery tasks of the API. `expire_idempotency_records` runs daily from beat (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="balai.core.api.tasks.expire_idempotency_records", ignore_result=True)
def expire_idempotency_records() -> int:
    from .services import idempotency_records_expire

    return idempotency_records_expire()
