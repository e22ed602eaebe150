from django.urls import path

from . import views

app_name = "tenant"
urlpatterns = [
    path("", views.tenant_home, name="home"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("logo", views.tenant_logo, name="logo"),
]
