"""Routes of the permits module: public pages (see views/public.py)."""

from django.urls import path

from .views import public

urlpatterns = [
    path("", public.public_catalogue, name="public_catalogue"),
    path("jenis/<slug:code>/", public.public_type_detail, name="public_type_detail"),
    path("jenis/<slug:code>/simulasi-biaya/", public.public_fee_simulator, name="public_fee_simulator"),
    path("lacak/", public.public_tracking, name="public_tracking"),
]
