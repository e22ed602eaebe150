"""Celery tasks of notifications. `dispatch` runs after each commit that queued messages and, as a
safety net for lost hand-offs and for retries, every minute from beat (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="balai.core.notifications.tasks.dispatch", ignore_result=True)
def dispatch_task(message_ids=None):
    from .services import dispatch

    return dispatch(message_ids=message_ids)
