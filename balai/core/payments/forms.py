"""Forms only parse: amounts typed as people write them (`1.250.000`, `Rp 150.000`) become int rupiah."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .gateways import gateway_codes
from .models import Bill


class RupiahField(forms.CharField):
    """Whole rupiah; dots and spaces as thousands separators are fine, cents are refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Dalam rupiah, tanpa sen. Contoh: 1.250.000"))
        super().__init__(**kwargs)
        # No max_length validator: it would run on the int; the length is checked in to_python.
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": "24"})

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if len(text) > 24:
            raise ValidationError(_("Jumlah terlalu panjang. Periksa kembali angkanya."), code="too_long")
        cleaned = re.sub(r"^\s*rp\.?\s*", "", text, flags=re.I).replace(" ", "")
        if "," in cleaned:
            raise ValidationError(_("Tulis jumlah rupiah bulat tanpa sen atau koma, misalnya 1.250.000."), code="cents")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):
            cleaned = cleaned.replace(".", "")
        if not cleaned.isdigit():
            raise ValidationError(_("Isi jumlah dengan angka saja, misalnya 1.250.000."), code="not_digits")
        amount = int(cleaned)
        if amount <= 0:
            raise ValidationError(_("Jumlah harus lebih dari Rp 0."), code="not_positive")
        return amount


class BillCreateForm(forms.Form):
    payer_name = forms.CharField(label=_("Nama pembayar"), max_length=200)
    payer_email = forms.EmailField(
        label=_("Surel akun pembayar"), required=False,
        help_text=_("Jika pembayar punya akun Balai, tagihan muncul di halaman “Tagihan saya” miliknya."),
    )
    payer_id = forms.CharField(
        label=_("NIK atau NPWP pembayar"), max_length=20, required=False,
        help_text=_("Hanya disimpan tersamar, misalnya 3673********0001."),
    )
    amount = RupiahField(label=_("Jumlah"))
    description = forms.CharField(label=_("Uraian"), max_length=255, help_text=_("Misalnya: Retribusi PBG nomor berkas 0012/2026."))
    due_days = forms.IntegerField(
        label=_("Batas bayar (hari)"), min_value=1, max_value=90, initial=7,
        help_text=_("Tagihan kedaluwarsa setelah sekian hari jika belum dibayar."),
    )


class BillCancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=255)


class RefundForm(forms.Form):
    amount = RupiahField(label=_("Jumlah dikembalikan"))
    reason = forms.CharField(label=_("Alasan"), max_length=255, help_text=_("Misalnya nomor surat keputusan pengembalian."))
    gateway_reference = forms.CharField(
        label=_("Referensi transfer pengembalian"), max_length=100, required=False,
        help_text=_("Nomor referensi bank untuk uang yang dikirim kembali, jika sudah ada."),
    )


class ReconcileForm(forms.Form):
    day = forms.DateField(label=_("Tanggal transaksi"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    gateway = forms.ChoiceField(label=_("Kanal pembayaran"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gateway"].choices = [(code, code) for code in gateway_codes()]


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("Tindakan yang sudah dilakukan"), max_length=500)


class BillFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua status")), *Bill.Status.choices])
    q = forms.CharField(label=_("Cari kode bayar, nama atau uraian"), required=False, max_length=100)
