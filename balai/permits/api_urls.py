"""REST API of Perizinan Online under /api/v1/<tenant>/permits/ (namespace "permits_api").

Public: the catalogue, the fee quote, tracking by registration number. The applicant: their own
applications. The office: the inbox and the actions on a file. See balai/permits/api/views.py, and
balai/permits/api/complaints.py for complaints (the applicant's and the office's).
"""

from django.urls import path

from .api import complaints, views

app_name = "permits_api"
urlpatterns = [
    path("types/", views.PermitTypeListView.as_view(), name="type_list"),
    path("types/<slug:code>/", views.PermitTypeDetailView.as_view(), name="type_detail"),
    path("types/<slug:code>/quote/", views.PermitTypeQuoteView.as_view(), name="type_quote"),
    path("track/<str:registration_number>/", views.TrackView.as_view(), name="track"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/documents/", views.DocumentUploadView.as_view(), name="application_documents"),
    path("applications/<int:pk>/submit/", views.SubmitView.as_view(), name="application_submit"),
    path("applications/<int:pk>/timeline/", views.TimelineView.as_view(), name="application_timeline"),
    path("applications/<int:pk>/pay/", views.PayView.as_view(), name="application_pay"),
    path("applications/<int:pk>/permit/", views.PermitDownloadView.as_view(), name="application_permit"),
    path("applications/<int:pk>/receipt/", views.ReceiptDownloadView.as_view(), name="application_receipt"),
    path("applications/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="application_withdraw"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("applications/<int:pk>/actions/<slug:action>/", views.ActionView.as_view(), name="application_action"),
    path("applications/<int:pk>/complaints/", complaints.ApplicationComplaintsView.as_view(), name="application_complaints"),
    path("complaints/", complaints.ComplaintListView.as_view(), name="complaint_list"),
    path("complaints/<int:pk>/", complaints.ComplaintDetailView.as_view(), name="complaint_detail"),
    path("complaints/<int:pk>/answer/", complaints.ComplaintAnswerView.as_view(), name="complaint_answer"),
]
