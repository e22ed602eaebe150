"""Forms only parse input; the services decide (NIK, uniqueness, roles, passwords)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from balai.core import registry

from .models import User
from .nik import birth_date_check, nik_validate


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


class RegistrationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        help_text=_("Seperti tertulis di KTP."),
        error_messages={"required": _("Tulis nama lengkap Anda seperti di KTP.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        help_text=_("16 angka Nomor Induk Kependudukan, tertera di KTP atau Kartu Keluarga."),
        error_messages={"required": _("Tulis NIK Anda: 16 angka yang tertera di KTP atau Kartu Keluarga.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    birth_date = forms.DateField(
        label=_("Tanggal lahir"),
        help_text=_("Seperti di KTP, misalnya 17-08-1990."),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"],
        error_messages={
            "required": _("Tulis tanggal lahir Anda, misalnya 17-08-1990."),
            "invalid": _("Tulis tanggal lahir lengkap dengan tanggal, bulan dan tahun, misalnya 17-08-1990."),
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    email = forms.EmailField(
        label=_("Surel"),
        max_length=254,
        help_text=_("Kami kirim tautan konfirmasi ke alamat ini."),
        error_messages={
            "required": _("Tulis alamat surel Anda, misalnya nama@contoh.id."),
            "invalid": _("Tulis alamat surel yang benar, misalnya nama@contoh.id."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Nomor ponsel"),
        max_length=20,
        required=False,
        help_text=_("Untuk masuk dengan nomor ponsel, misalnya 0812 3456 7890."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        help_text=_("Paling sedikit 10 karakter; jangan hanya angka atau kata yang mudah ditebak."),
        error_messages={"required": _("Buat kata sandi, paling sedikit 10 karakter.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        error_messages={"required": _("Tulis kata sandi yang sama sekali lagi.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Saya setuju data pribadi saya (nama, NIK, tanggal lahir, surel, nomor ponsel) diproses oleh Pemda ini "
            "untuk memberikan layanan kepada saya, sesuai UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi."
        ),
        error_messages={"required": _("Centang persetujuan pemrosesan data pribadi untuk dapat mendaftar.")},
    )

    # The service checks the NIK again (it is the rule); checking here as well lets the page show every
    # mistake at once, as the GOV.UK pattern asks, instead of the NIK only after the rest is fixed.
    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        birth_date_check(birth_date)
        return birth_date

    def clean(self):
        data = super().clean()
        if data.get("nik"):
            try:
                data["nik"] = nik_validate(data["nik"], birth_date=data.get("birth_date"))
            except forms.ValidationError as exc:
                self.add_error("nik", exc)
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("Kedua kata sandi tidak sama. Tulis kata sandi yang sama di kedua kolom."))
        return data


class JoinForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "Saya setuju data pribadi saya diproses oleh Pemda ini untuk memberikan layanan kepada saya, sesuai "
            "UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi."
        ),
        error_messages={"required": _("Centang persetujuan pemrosesan data pribadi untuk dapat bergabung.")},
    )


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("Kode 6 angka"),
        max_length=10,
        help_text=_("Buka aplikasi autentikator di ponsel Anda, lalu tulis kode yang tampil untuk Balai."),
        error_messages={"required": _("Tulis kode 6 angka dari aplikasi autentikator.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and code.isascii() and len(code) == 6):
            raise forms.ValidationError(_("Kode terdiri dari 6 angka, misalnya 123456. Tulis kode yang tampil sekarang."))
        return code


def officer_role_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Officer roles from the registry, grouped by the module that declares them."""
    groups = []
    for manifest in registry.modules():
        options = [(role.code, str(role.label)) for role in manifest.roles if role.officer]
        if options:
            groups.append((str(manifest.name), options))
    return groups


class OfficerRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Peran"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Pilih satu peran atau lebih."),
        error_messages={
            "required": _("Pilih paling sedikit satu peran."),
            "invalid_choice": _("Pilih peran dari daftar."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = officer_role_choices()

    def role_groups(self):
        """The role checkboxes, grouped under the module that declares them, for the template."""
        boxes = {box.data["value"]: box for box in self["roles"]}
        return [(group, [boxes[code] for code, _label in options]) for group, options in self.fields["roles"].choices]


class OfficerCreateForm(OfficerRolesForm):
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        error_messages={"required": _("Tulis nama lengkap petugas.")},
    )
    email = forms.EmailField(
        label=_("Surel"),
        max_length=254,
        help_text=_("Tautan untuk membuat kata sandi dikirim ke alamat ini."),
        error_messages={
            "required": _("Tulis alamat surel petugas, misalnya nama@contoh.id."),
            "invalid": _("Tulis alamat surel yang benar, misalnya nama@contoh.id."),
        },
    )
    phone = forms.CharField(label=_("Nomor ponsel"), max_length=20, required=False)

    field_order = ["full_name", "email", "phone", "roles"]


class BalaiPasswordResetForm(PasswordResetForm):
    """Also reaches officers who never set a password: receiving the mail is the proof we need."""

    email = forms.EmailField(
        label=_("Surel"),
        max_length=254,
        error_messages={
            "required": _("Tulis alamat surel akun Anda."),
            "invalid": _("Tulis alamat surel yang benar, misalnya nama@contoh.id."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        return User.objects.filter(email__iexact=email.strip(), is_active=True)


class BalaiSetPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": _("Kedua kata sandi tidak sama. Tulis kata sandi yang sama di kedua kolom.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password1"].help_text = _("Paling sedikit 10 karakter; jangan hanya angka atau kata yang mudah ditebak.")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = ""
