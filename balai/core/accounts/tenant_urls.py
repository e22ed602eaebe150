from django.urls import path

from . import views

app_name = "tenant_accounts"
urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("petugas/", views.officer_list, name="officer_list"),
]
