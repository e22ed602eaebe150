"""Routes of the permits module: the tenant administrator's catalogue (see views/catalogue.py).

Mounted at `/<tenant>/izin/katalog-kelola/` in namespace "permits"; every name starts with "catalogue_".
"""

from django.urls import path

from .views import catalogue as views

urlpatterns = [
    path("", views.catalogue_type_list, name="catalogue_type_list"),
    path("baru/", views.catalogue_type_create, name="catalogue_type_create"),
    path("<int:pk>/", views.catalogue_type_detail, name="catalogue_type_detail"),
    path("<int:pk>/ubah/", views.catalogue_type_edit, name="catalogue_type_edit"),
    path("<int:pk>/persyaratan/", views.catalogue_requirements_edit, name="catalogue_requirements_edit"),
    path("<int:pk>/tarif/", views.catalogue_fee_edit, name="catalogue_fee_edit"),
    path("<int:pk>/tarif/coba/", views.catalogue_fee_preview, name="catalogue_fee_preview"),
    path("<int:pk>/tampilkan/", views.catalogue_type_publish, name="catalogue_type_publish"),
    path("<int:pk>/versi/<int:number>/", views.catalogue_version_detail, name="catalogue_version_detail"),
]
