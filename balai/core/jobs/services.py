"""Writes on background jobs: start one, report its progress, record how it ended.

A long job is a Celery task declared with `job_task` (see tasks.py for an example) that reports its
progress with `job_progress`; a view starts it with `job_start` and sends the person to
`jobs:detail`, whose progress bar follows it. Without a broker the task runs in-process right after
the commit that started it, so the page then shows it finished.

    @job_task("balai.core.orgs.tasks.employee_import")
    def employee_import(job, *, upload_id):
        rows = ...
        for i, row in enumerate(rows, 1):
            ...
            job_progress(job.pk, done=i, total=len(rows), message=f"Baris {i}")
        return {"link": "/kota-serang/organisasi/...", "summary": "120 pegawai diimpor"}

    job = job_start(tenant=request.tenant, kind="orgs.import", label="Impor pegawai", actor=request.user,
                    task_name="balai.core.orgs.tasks.employee_import", kwargs={"upload_id": upload.pk})
    return redirect("jobs:detail", tenant=request.tenant.slug, pk=job.pk)
"""

from __future__ import annotations

import json
import logging
from typing import Any

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.core.tenants.models import Tenant

from .models import JobRun

logger = logging.getLogger("balai.jobs")


def task_get(name: str):
    """The registered Celery task called `name` (LookupError if there is none)."""
    from balai.celery import app

    if name not in app.tasks:
        app.loader.import_default_modules()
    try:
        return app.tasks[name]
    except KeyError:
        raise LookupError(f"No Celery task is registered as {name!r}.") from None


def job_start(
    *,
    tenant: Tenant,
    kind: str,
    label: str,
    actor,
    task_name: str,
    kwargs: dict[str, Any] | None = None,
    queue: str | None = None,
) -> JobRun:
    """Record a queued job and, after commit, queue `task_name(job_id=..., **kwargs)` for it.

    `queue` sends it to a named Celery queue instead of the default one (e.g. long imports to a
    worker of their own).

    Guarantees: the task exists (LookupError otherwise) and `kwargs` is JSON (TypeError otherwise);
    the task is queued only if the caller's transaction commits. If the queue cannot be reached the
    job is marked failed at once, so its page says so instead of waiting for ever.
    """
    task = task_get(task_name)
    kwargs = dict(kwargs or {})
    json.dumps(kwargs)
    with transaction.atomic():
        job = JobRun.objects.create(tenant=tenant, kind=kind, label=label[:200], task_name=task_name, started_by=actor)
        transaction.on_commit(lambda: _enqueue(task, job.pk, kwargs, queue))
    return job


def _enqueue(task, job_id: int, kwargs: dict[str, Any], queue: str | None) -> None:
    try:
        task.apply_async(kwargs={**kwargs, "job_id": job_id}, **({"queue": queue} if queue else {}))
    except Exception:
        logger.exception("could not queue job %s (%s)", job_id, task.name)
        _finish(job_id, status=JobRun.Status.FAILED, message=_("Antrean pekerjaan sedang tidak tersedia. Coba lagi beberapa saat lagi."))


def job_progress(job_id: int, done: int, total: int | None = None, message: str | None = None) -> None:
    """Report that `done` of `total` steps are finished. Commits at once (outside any transaction) so the page sees it."""
    fields: dict[str, Any] = {"done": max(0, int(done))}
    if total is not None:
        fields["total"] = max(0, int(total))
    if message is not None:
        fields["message"] = str(message)[:500]
    JobRun.objects.filter(pk=job_id, status=JobRun.Status.RUNNING).update(**fields)


def _begin(job_id: int) -> JobRun | None:
    """Mark a queued job running; None if it is gone or was already taken (a redelivered task)."""
    taken = JobRun.objects.filter(pk=job_id, status=JobRun.Status.QUEUED).update(
        status=JobRun.Status.RUNNING, started_at=timezone.now()
    )
    return JobRun.objects.filter(pk=job_id).first() if taken else None


def _finish(job_id: int, *, status: str, message: str = "", result: dict | None = None) -> None:
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "message": message[:500]}
    if result is not None:
        fields["result"] = result
    JobRun.objects.filter(pk=job_id).exclude(status__in=[JobRun.Status.DONE, JobRun.Status.FAILED]).update(**fields)


def job_task(name: str):
    """Declare `fn(job, **kwargs) -> dict | None` as the Celery task `name` that runs one JobRun.

    The wrapper marks the job running, and done with `fn`'s result (JSON; a "link" to what it made,
    a "summary") or failed with a message the person can act on: a ValidationError's own words, or
    a general one (the technical error goes to the log and to result["error"]).
    """

    def decorator(fn):
        def run(*, job_id: int, **kwargs):
            job = _begin(job_id)
            if job is None:
                logger.warning("job %s is not queued any more; task %s skipped", job_id, name)
                return None
            try:
                result = fn(job, **kwargs) or {}
            except ValidationError as exc:
                _finish(job_id, status=JobRun.Status.FAILED, message=" ".join(exc.messages))
                return None
            except Exception as exc:
                logger.exception("job %s (%s) failed", job_id, name)
                _finish(
                    job_id,
                    status=JobRun.Status.FAILED,
                    message=_("Pekerjaan gagal karena kesalahan sistem. Coba jalankan lagi; bila gagal lagi, hubungi admin Pemda."),
                    result={"error": f"{type(exc).__name__}: {exc}"[:500]},
                )
                return None
            # Finished means the bar is full, whatever the task last reported.
            JobRun.objects.filter(pk=job_id, total__isnull=True).update(total=F("done"))
            JobRun.objects.filter(pk=job_id).update(done=F("total"))
            _finish(job_id, status=JobRun.Status.DONE, message=str(result.get("summary", ""))[:500] or _("Selesai."), result=result)
            return None

        # Not functools.wraps: Celery checks call arguments against the wrapper's own signature.
        run.__doc__ = fn.__doc__
        return shared_task(name=name, ignore_result=True)(run)

    return decorator
