"""Routes of the permits module: applicant pages (see views/applicant.py)."""

from django.urls import path

from .views import applicant

urlpatterns = [
    path("", applicant.applicant_list, name="applicant_list"),
    path("ajukan/<slug:code>/", applicant.applicant_start, name="applicant_start"),
    path("<int:pk>/", applicant.applicant_detail, name="applicant_detail"),
    path("<int:pk>/isian/", applicant.applicant_edit, name="applicant_edit"),
    path("<int:pk>/isian/<int:page>/", applicant.applicant_edit, name="applicant_edit_page"),
    path("<int:pk>/dokumen/", applicant.applicant_documents, name="applicant_documents"),
    path("<int:pk>/periksa/", applicant.applicant_review, name="applicant_review"),
    path("<int:pk>/tanda-terima/", applicant.applicant_receipt, name="applicant_receipt"),
    path("<int:pk>/perbaikan/", applicant.applicant_correction, name="applicant_correction"),
    path("<int:pk>/bayar/", applicant.applicant_pay, name="applicant_pay"),
    path("<int:pk>/pengaduan/", applicant.applicant_complaint, name="applicant_complaint"),
    path("<int:pk>/survei/", applicant.applicant_survey, name="applicant_survey"),
    path("<int:pk>/batalkan/", applicant.applicant_withdraw, name="applicant_withdraw"),
    path("<int:pk>/perpanjang/", applicant.applicant_renew, name="applicant_renew"),
]
