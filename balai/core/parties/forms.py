"""Forms only parse what people type; the services decide (NIB, NPWP, duplicates, who may act)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .identifiers import nib_clean, npwp_clean
from .models import LegalEntity, Representative
from .selectors import regency_choices

ROLE_CHOICES = [
    (Representative.Role.PENGURUS, _("Pengurus: pemilik, direktur, ketua, sekretaris atau bendahara")),
    (Representative.Role.KUASA, _("Kuasa: staf atau orang lain yang diberi kuasa untuk mengurus")),
]


def _regency_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Kabupaten/kota"),
        help_text=_("Tempat alamat di atas berada."),
        error_messages={
            "required": _("Pilih kabupaten atau kota tempat alamat itu berada."),
            "invalid_choice": _("Pilih kabupaten atau kota dari daftar."),
        },
    )


class EntityForm(forms.Form):
    """The entity's own facts; the business form has the NIB, the organisation form does not."""

    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    nib = forms.CharField(
        label=_("NIB"),
        max_length=20,
        help_text=_("Nomor Induk Berusaha: 13 angka dari OSS (oss.go.id)."),
        error_messages={"required": _("Tulis NIB badan usaha: 13 angka dari OSS.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    npwp = forms.CharField(
        label=_("NPWP"),
        max_length=30,
        required=False,
        help_text=_("15 atau 16 angka seperti di kartu NPWP, misalnya 01.312.166.0-091.000."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    address = forms.CharField(
        label=_("Alamat"),
        max_length=300,
        help_text=_("Jalan, nomor, RT/RW, kelurahan dan kecamatan."),
        error_messages={"required": _("Tulis alamat lengkap: jalan, nomor, RT/RW, kelurahan dan kecamatan.")},
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    regency_code = _regency_field()

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["regency_code"].choices = [("", _("Pilih kabupaten/kota")), *regency_choices()]
        name = self.fields["name"]
        if kind == LegalEntity.Kind.BUSINESS:
            name.label = _("Nama badan usaha")
            name.help_text = _("Seperti tertulis di NIB, misalnya CV Maju Jaya atau PT Sinar Abadi.")
            name.error_messages["required"] = _("Tulis nama badan usaha seperti di NIB, misalnya CV Maju Jaya.")
        else:
            del self.fields["nib"]
            name.label = _("Nama organisasi")
            name.help_text = _("Seperti di akta pendirian, misalnya Yayasan Peduli Sesama.")
            name.error_messages["required"] = _(
                "Tulis nama organisasi seperti di akta pendirian, misalnya Yayasan Peduli Sesama."
            )
            self.fields["address"].label = _("Alamat sekretariat")

    # The service checks these again (it is the rule); checking here as well shows every mistake at once.
    def clean_nib(self):
        return nib_clean(self.cleaned_data["nib"])

    def clean_npwp(self):
        return npwp_clean(self.cleaned_data["npwp"])


class EntityRegisterForm(EntityForm):
    role = forms.ChoiceField(
        label=_("Anda mewakilinya sebagai"),
        choices=ROLE_CHOICES,
        initial=Representative.Role.PENGURUS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih peran Anda: pengurus atau kuasa.")},
    )


class RepresentativeAddForm(forms.Form):
    contact = forms.CharField(
        label=_("Surel atau nomor ponsel"),
        max_length=254,
        help_text=_("Yang dipakai orang itu untuk masuk ke Balai. Orang itu harus sudah punya akun Balai."),
        error_messages={"required": _("Tulis surel atau nomor ponsel akun Balai orang yang ingin Anda tambahkan.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Perannya"),
        choices=ROLE_CHOICES,
        initial=Representative.Role.KUASA,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih perannya: pengurus atau kuasa.")},
    )

