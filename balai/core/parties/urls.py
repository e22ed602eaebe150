from django.urls import path

from . import views

app_name = "parties"
urlpatterns = [
    path("", views.entity_list, name="entity_list"),
    path("daftar/<slug:kind>/", views.entity_register, name="entity_register"),
    path("<int:pk>/", views.entity_detail, name="entity_detail"),
    path("<int:pk>/ubah/", views.entity_update, name="entity_update"),
    path("<int:pk>/wakil/tambah/", views.representative_add, name="representative_add"),
    path("<int:pk>/wakil/<int:representative_pk>/akhiri/", views.representative_end, name="representative_end"),
]
