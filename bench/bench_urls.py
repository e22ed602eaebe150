"""The project's URLs plus a bare Django view, for the benchmarks only (never in balai/urls.py)."""

from django.http import HttpResponse
from django.urls import include, path


def bare_view(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare_view),
    path("", include("balai.urls")),
]
