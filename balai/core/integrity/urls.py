from django.urls import path

from . import views

app_name = "integrity"
urlpatterns = [
    path("", views.finding_list, name="finding_list"),
    path("temuan/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("temuan/<int:pk>/telaah/", views.finding_triage, name="finding_triage"),
    path("pemeriksaan/", views.run_list, name="run_list"),
    path("pemeriksaan/jalankan/", views.run_create, name="run_create"),
    path("pemeriksaan/<int:pk>/", views.run_detail, name="run_detail"),
]
