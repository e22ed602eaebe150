from django.urls import path

from . import views

app_name = "workflow"
urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("berkas/<int:pk>/", views.instance_detail, name="instance_detail"),
    path("berkas/<int:pk>/tugaskan/", views.instance_assign, name="instance_assign"),
    path("definisi/", views.definition_list, name="definition_list"),
    path("definisi/<str:code>/", views.definition_detail, name="definition_detail"),
    path("definisi/<str:code>/ubah/", views.definition_override, name="definition_override"),
]
