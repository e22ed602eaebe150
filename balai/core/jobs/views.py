"""Pages of background jobs: the viewer's jobs, and one job with a progress bar that follows it (htmx)."""

from django.shortcuts import render

from balai.core.notifications.access import signed_in_required

from . import selectors

LIST_SIZE = 50


@signed_in_required
def job_list(request):
    jobs = selectors.job_list_for_viewer(tenant=request.tenant, viewer=request.user)[:LIST_SIZE]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@signed_in_required
def job_detail(request, pk):
    job = selectors.job_get_for_viewer(tenant=request.tenant, viewer=request.user, pk=pk)
    return render(request, "jobs/job_detail.html", {"job": job})


@signed_in_required
def job_progress_fragment(request, pk):
    """The progress block alone; while the job runs it asks to be fetched again in 2 seconds."""
    job = selectors.job_get_for_viewer(tenant=request.tenant, viewer=request.user, pk=pk)
    return render(request, "jobs/_progress.html", {"job": job})
