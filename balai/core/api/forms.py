"""Forms only parse what people type; the services decide what is allowed."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scopes import scope_choices

VALIDITY_CHOICES = [
    ("30", _("30 hari")),
    ("90", _("90 hari")),
    ("365", _("1 tahun")),
    ("", _("Tanpa batas waktu (cabut sendiri bila tidak dipakai lagi)")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Keterangan"), max_length=120, required=False,
        help_text=_("Untuk apa token ini, misalnya Skrip laporan bulanan."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Cakupan"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Pilih hanya yang diperlukan. Token pribadi tidak pernah melebihi peran Anda sendiri."),
    )
    validity = forms.ChoiceField(label=_("Masa berlaku"), choices=VALIDITY_CHOICES, initial="90", required=False, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scope_choices()

    def expires_at(self) -> datetime.datetime | None:
        days = self.cleaned_data.get("validity")
        return timezone.now() + datetime.timedelta(days=int(days)) if days else None


class ClientTokenForm(TokenForm):
    client_name = forms.CharField(
        label=_("Nama aplikasi klien"), max_length=120,
        help_text=_("Aplikasi yang akan memakai token ini, misalnya SIMDA Keuangan."),
    )

    field_order = ["client_name", "name", "scopes", "validity"]
