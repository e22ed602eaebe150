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
    path("surel/konfirmasi/<str:token>/", views.verify_email, name="verify_email"),
    path("surel/kirim-ulang/", views.verify_email_resend, name="verify_email_resend"),
    path("sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path("sandi/lupa/terkirim/", auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
         name="password_reset_done"),
    path("sandi/atur/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("sandi/selesai/", auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
         name="password_reset_complete"),
]
