"""Appointments pages, mounted at `/<tenant>/izin/janji-temu/` (namespace "permits:appointments")."""

from django.urls import path

from . import views, views_file

app_name = "appointments"

urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("layanan/<int:type_id>/", views.public_service, name="public_service"),
    path("layanan/<int:type_id>/pesan/", views.book, name="book"),
    path("saya/", views.mine, name="mine"),
    path("saya/<str:code>/jadwal-ulang/", views.reschedule, name="reschedule"),
    path("saya/<str:code>/batal/", views.cancel, name="cancel"),
    path("kuasa/", views.powers_of_attorney, name="powers_of_attorney"),
    path("kuasa/<int:pk>/cabut/", views.power_of_attorney_revoke, name="power_of_attorney_revoke"),
    path("loket/", views.desk_day, name="desk_day"),
    path("loket/janji/<str:code>/kehadiran/", views.desk_mark, name="desk_mark"),
    path("loket/kuasa/", views.desk_powers_of_attorney, name="desk_powers_of_attorney"),
    path("loket/kuasa/<int:pk>/", views.desk_power_of_attorney, name="desk_power_of_attorney"),
    path("kelola/", views.admin_index, name="admin_index"),
    path("kelola/hari/<int:day_id>/", views.admin_day, name="admin_day"),
    path("berkas/<int:pk>/pengecualian-kehadiran/", views_file.file_attendance_override, name="file_attendance_override"),
    path("berkas/<int:pk>/jadwal-survei/", views_file.file_inspection_schedule, name="file_inspection_schedule"),
]
