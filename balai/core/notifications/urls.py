from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/baca/", views.mark_read, name="mark_read"),
    path("baca-semua/", views.mark_all_read, name="mark_all_read"),
    path("lencana/", views.badge, name="badge"),
    path("templat/", views.template_list, name="template_list"),
    path("templat/<str:code>/<slug:language>/", views.template_edit, name="template_edit"),
    path("templat/<str:code>/<slug:language>/kembalikan/", views.template_reset, name="template_reset"),
]
