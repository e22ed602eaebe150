"""Tenant pages of Perizinan Online, mounted at `/<tenant>/izin/` (namespace "permits").

Each area keeps its own routes module (and its access rules in tests/routes_<area>.py):
public catalogue and tracking, the applicant's pages, the back office, the catalogue
administration, statistics. Appointments live in balai.permits.appointments.
"""

from django.urls import include, path

app_name = "permits"

urlpatterns = [
    path("", include("balai.permits.urls_public")),
    path("saya/", include("balai.permits.urls_applicant")),
    path("kantor/", include("balai.permits.urls_office")),
    path("katalog-kelola/", include("balai.permits.urls_catalogue")),
    path("statistik/", include("balai.permits.urls_stats")),
    path("janji-temu/", include("balai.permits.appointments.urls")),
]
