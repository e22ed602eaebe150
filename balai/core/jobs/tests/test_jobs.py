"""Background jobs in-process (no broker): started after commit, progress recorded, the page follows them."""

import pytest
from django.conf import settings
from django.urls import reverse

from balai import celery_app
from balai.core.audit.models import AuditDigest
from balai.core.jobs.models import JobRun
from balai.core.jobs.services import job_progress, job_start, task_get
from balai.core.jobs.tasks import EXAMPLE_TASK, run_scheduled
from balai.testing.clients import login


def _start(tw, person=None, **kwargs):
    return job_start(tenant=tw.tenant, kind="example", label="Hitung contoh", actor=person or tw.people["officer"],
                     task_name=EXAMPLE_TASK, kwargs=kwargs)


def _url(tw, name, job):
    return reverse(f"jobs:{name}", kwargs={"tenant": tw.tenant.slug, "pk": job.pk})


def test_without_a_broker_a_job_runs_in_process_right_after_commit(world, django_capture_on_commit_callbacks):
    assert settings.CELERY_TASK_ALWAYS_EAGER is True or not settings.CELERY_BROKER_URL
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(world.serang, steps=5)
        assert JobRun.objects.get(pk=job.pk).status == "queued"
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", 5, 5, 100)
    assert job.result == {"summary": "5 langkah selesai", "count": 5}
    assert job.started_at <= job.finished_at


def test_the_task_is_queued_by_the_commit_not_before(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _start(world.serang, steps=1)
    job.refresh_from_db()
    assert job.status == "queued"
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == "done"


def test_a_failing_job_says_so_in_words_the_person_can_act_on(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(world.serang, steps=5, fail_at=3)
    job.refresh_from_db()
    assert (job.status, job.done) == ("failed", 2)
    assert job.message.startswith("Pekerjaan gagal karena kesalahan sistem.")
    assert "told to fail at step 3" in job.result["error"]


def test_a_task_that_does_not_exist_is_refused_before_anything_is_recorded(world):
    with pytest.raises(LookupError):
        job_start(tenant=world.serang.tenant, kind="x", label="x", actor=None, task_name="balai.nothing", kwargs={})
    assert not JobRun.objects.exists()


def test_the_progress_page_shows_a_bar_that_htmx_refreshes_while_running(client, world):
    job = _start(world.serang, steps=10)
    JobRun.objects.filter(pk=job.pk).update(status="running")
    job_progress(job.pk, done=4, total=10, message="Baris 4")
    login(client, world.serang.people["officer"])

    page = client.get(_url(world.serang, "detail", job))

    assert page.status_code == 200
    html = page.text
    assert '<progress id="job-bar-' in html and 'max="10" value="4"' in html and 'aria-valuetext="40%"' in html
    assert f'hx-get="{_url(world.serang, "progress", job)}" hx-trigger="every 2s"' in html
    assert "Baris 4" in html and "4 dari 10 (40%)" in html
    assert "style=" not in html.split("<main", 1)[1]  # the CSP forbids inline styles

    fragment = client.get(_url(world.serang, "progress", job)).text
    assert "<html" not in fragment and 'value="4"' in fragment and 'hx-trigger="every 2s"' in fragment


def test_the_fragment_stops_polling_once_the_job_is_done(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(world.serang, steps=3)
    login(client, world.serang.people["officer"])
    fragment = client.get(_url(world.serang, "progress", job)).text
    assert "hx-trigger" not in fragment
    assert 'max="3" value="3"' in fragment and "Selesai" in fragment


def test_only_the_starter_and_the_tenants_administrators_see_a_job(client, world):
    serang = world.serang
    job = _start(serang)
    for kind, expected in [("officer", 200), ("admin", 200), ("inspector", 404), ("citizen", 404)]:
        client.logout()
        login(client, serang.people[kind])
        assert client.get(_url(serang, "detail", job)).status_code == expected, kind
    login(client, world.cilegon.people["admin"])
    foreign = reverse("jobs:detail", kwargs={"tenant": world.cilegon.tenant.slug, "pk": job.pk})
    assert client.get(foreign).status_code == 404


def test_my_jobs_lists_mine_and_an_administrator_sees_everyones(client, world):
    serang = world.serang
    _start(serang, person=serang.people["officer"])
    job_start(tenant=serang.tenant, kind="example", label="Ekspor inspektur", actor=serang.people["inspector"],
              task_name=EXAMPLE_TASK, kwargs={})
    url = reverse("jobs:list", kwargs={"tenant": serang.tenant.slug})
    login(client, serang.people["officer"])
    page = client.get(url).text
    assert "Hitung contoh" in page and "Ekspor inspektur" not in page
    client.logout()
    login(client, serang.people["admin"])
    page = client.get(url).text
    assert "Hitung contoh" in page and "Ekspor inspektur" in page


def test_every_scheduled_entry_names_a_registered_task():
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert task_get(entry["task"]).name == entry["task"], name
    assert celery_app.conf.beat_schedule.keys() == settings.CELERY_BEAT_SCHEDULE.keys()


def test_the_daily_digest_task_publishes_every_chain(world):
    task_get("balai.core.audit.tasks.digest_all_tenants").delay()
    assert AuditDigest.objects.filter(tenant=world.serang.tenant).count() == 1
    assert AuditDigest.objects.filter(tenant__isnull=True).count() == 1


def test_the_escalation_task_runs_the_workflow_service_when_there_is_one(world):
    import importlib.util

    outcome = run_scheduled("balai.core.workflow.tasks.escalate_due")
    exists = importlib.util.find_spec("balai.core.workflow.services") is not None
    assert outcome == ({"ran": "balai.core.workflow.services.escalate_due", "count": 0} if exists
                       else {"skipped": "balai.core.workflow.services.escalate_due"})
