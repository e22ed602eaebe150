from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KIND_RE

MAX_COMPARE_BYTES = 10 * 1024 * 1024


class TemplateForm(forms.Form):
    kind = forms.CharField(
        label=_("Jenis dokumen"),
        max_length=60,
        help_text=_("Kode jenis dari modul, misalnya permits.permit atau grants.nphd."),
    )
    name = forms.CharField(label=_("Nama templat"), max_length=200)
    body = forms.CharField(
        label=_("Isi templat (HTML)"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_(
            "HTML dengan tag templat dasar: {{ number }}, {{ title }}, {{ recipient_name }}, {{ recipient_id }}, "
            "{{ issued_at|date:\"j F Y\" }}, {{ signer_name }}, {{ signer_position }}, {% if %}, {% for %}. "
            "Kop surat dan kode QR ditambahkan otomatis."
        ),
    )

    def clean_kind(self):
        kind = self.cleaned_data["kind"].strip()
        if not KIND_RE.match(kind):
            raise forms.ValidationError(_("Tulis jenis dokumen sebagai modul.nama, misalnya permits.permit."))
        return kind


class LetterheadForm(forms.Form):
    html = forms.CharField(
        label=_("HTML kop surat"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_("Tersedia: {{ pemda }}, {{ alamat }}, {{ telepon }}, {{ surel }}, {{ situs }}, {{ logo }} (gambar logo)."),
    )
    css = forms.CharField(
        label=_("CSS kop surat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "class": "font-monospace", "spellcheck": "false"}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alasan ini tampil untuk umum di halaman verifikasi dokumen."),
        error_messages={
            "required": _("Tulis alasan pencabutan; alasan ini tampil di halaman verifikasi."),
            "min_length": _("Tulis alasan pencabutan paling sedikit 5 karakter."),
        },
    )


class LookupForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=40,
        help_text=_("16 huruf dan angka di bawah kode QR dokumen, misalnya ABCD-EFGH-JKLM-NPQR."),
    )


class CompareForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas PDF yang Anda pegang"),
        help_text=_("Berkas tidak disimpan; hanya sidik SHA-256-nya yang dihitung dan dibandingkan."),
        error_messages={"required": _("Pilih berkas PDF dokumen ini untuk dicocokkan.")},
    )

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if berkas.size > MAX_COMPARE_BYTES:
            raise forms.ValidationError(_("Berkas lebih besar dari 10 MB, jadi pasti bukan dokumen ini."))
        return berkas
