from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Surel atau nomor ponsel"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True, "inputmode": "email"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _(
            "Surel/nomor ponsel atau kata sandi salah. Periksa kembali, atau pakai “Lupa kata sandi” untuk membuat yang baru."
        ),
        "inactive": _("Akun ini dinonaktifkan. Hubungi administrator Pemda Anda."),
    }
