from django.urls import path

from . import views

app_name = "tenant_accounts"
urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("daftar/selesai/", views.register_done, name="register_done"),
    path("bergabung/", views.join, name="join"),
    path("petugas/", views.officer_list, name="officer_list"),
    path("petugas/tambah/", views.officer_create, name="officer_create"),
    path("petugas/<int:membership_id>/", views.officer_edit, name="officer_edit"),
    path("petugas/<int:membership_id>/nonaktifkan/", views.officer_deactivate, name="officer_deactivate"),
]
