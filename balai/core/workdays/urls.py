from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("tambah/", views.day_off_add, name="day_off_add"),
    path("<int:pk>/hapus/", views.day_off_remove, name="day_off_remove"),
]
