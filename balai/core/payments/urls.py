from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("", views.bill_list, name="bill_list"),
    path("baru/", views.bill_create, name="bill_create"),
    path("saya/", views.my_bills, name="my_bills"),
    path("saya/<str:code>/", views.my_bill_detail, name="my_bill_detail"),
    path("rekonsiliasi/", views.reconciliation, name="reconciliation"),
    path("rekonsiliasi/selisih/<int:pk>/selesai/", views.discrepancy_resolve, name="discrepancy_resolve"),
    path("tagihan/<str:code>/", views.bill_detail, name="bill_detail"),
    path("tagihan/<str:code>/batalkan/", views.bill_cancel, name="bill_cancel"),
    path("tagihan/<str:code>/pengembalian/", views.refund_create, name="refund_create"),
]
