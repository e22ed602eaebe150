from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("unit/baru/", views.unit_create, name="unit_create"),
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("unit/<int:pk>/ubah/", views.unit_update, name="unit_update"),
    path("unit/<int:pk>/tutup/", views.unit_close, name="unit_close"),
    path("unit/<int:pk>/jabatan/baru/", views.position_create, name="position_create"),
    path("jabatan/<int:pk>/ubah/", views.position_update, name="position_update"),
    path("pegawai/", views.employee_list, name="employee_list"),
    path("pegawai/baru/", views.employee_create, name="employee_create"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("pegawai/<int:pk>/ubah/", views.employee_update, name="employee_update"),
    path("pegawai/<int:pk>/tugaskan/", views.employee_assign, name="employee_assign"),
    path("penugasan/<int:pk>/akhiri/", views.assignment_end, name="assignment_end"),
    path("impor/", views.import_page, name="import"),
    path("impor/<str:filename>", views.import_template, name="import_template"),
]
