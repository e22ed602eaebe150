from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/pdf/", views.document_pdf, name="document_pdf"),
    path("<int:pk>/cabut/", views.document_revoke, name="document_revoke"),
    path("templat/", views.template_list, name="template_list"),
    path("templat/baru/", views.template_create, name="template_create"),
    path("templat/<int:pk>/", views.template_edit, name="template_edit"),
    path("kop-surat/", views.letterhead_edit, name="letterhead_edit"),
]
