"""Routes of the permits module: the back office (see views/office.py), under `/<tenant>/izin/kantor/`."""

from django.urls import path

from .views import office, office_complaints

urlpatterns = [
    path("", office.office_inbox, name="office_inbox"),
    path("berkas/<int:pk>/", office.office_detail, name="office_detail"),
    path("berkas/<int:pk>/nik/", office.office_nik, name="office_nik"),
    path("berkas/<int:pk>/verifikasi/", office.office_verify, name="office_verify"),
    path("berkas/<int:pk>/survei/", office.office_inspect, name="office_inspect"),
    path("berkas/<int:pk>/rekomendasi/", office.office_recommend, name="office_recommend"),
    path("berkas/<int:pk>/setujui/", office.office_approve, name="office_approve"),
    path("berkas/<int:pk>/tandatangani/", office.office_sign, name="office_sign"),
    path("berkas/<int:pk>/tolak/", office.office_reject, name="office_reject"),
    path("berkas/<int:pk>/cabut/", office.office_revoke, name="office_revoke"),
    path("berkas/<int:pk>/tugaskan/", office.office_assign, name="office_assign"),
    path("loket/", office.office_counter_new, name="office_counter_new"),
    path("loket/<int:pk>/", office.office_counter_form, name="office_counter_form"),
    path("loket/<int:pk>/tanda-terima/", office.office_counter_receipt, name="office_counter_receipt"),
    path("pengaduan/", office_complaints.office_complaint_list, name="office_complaint_list"),
    path("pengaduan/<int:pk>/", office_complaints.office_complaint_detail, name="office_complaint_detail"),
    path("pengaduan/<int:pk>/jawab/", office_complaints.office_complaint_answer, name="office_complaint_answer"),
]
