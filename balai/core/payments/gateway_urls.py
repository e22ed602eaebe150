from django.urls import path

from . import gateway_views

app_name = "pay"
urlpatterns = [
    path("callback/<slug:gateway_code>/", gateway_views.callback, name="callback"),
    path("simulator/<str:code>/", gateway_views.simulator_page, name="simulator"),
]
