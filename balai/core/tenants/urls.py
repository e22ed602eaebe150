from django.urls import path

from . import views

app_name = "tenant_admin"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("modul/<slug:module>/", views.module_update, name="module_update"),
    path("profil/", views.profile_update, name="profile_update"),
]
