"""Routes of the permits module: stats pages (see views/stats.py)."""

from django.urls import path

from .views import stats

urlpatterns = [
    path("", stats.stats_index, name="stats_index"),
    path("unduh/", stats.stats_download, name="stats_download"),
    path("kantor/", stats.stats_office, name="stats_office"),
    path("kantor/unduh/", stats.stats_office_download, name="stats_office_download"),
]
