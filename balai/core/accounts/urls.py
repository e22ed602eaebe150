from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(authentication_form=LoginForm, template_name="accounts/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.account_home, name="home"),
    path("dua-langkah/", views.two_factor, name="two_factor"),
]
