from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.digest, name="digest"),
    path("ringkasan.json", views.digest_json, name="digest_json"),
]
