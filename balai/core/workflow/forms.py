"""Forms of the workflow pages: they parse input only; the services validate and decide."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _


class DefinitionOverrideForm(forms.Form):
    definition = forms.CharField(
        label=_("Definisi alur (JSON)"),
        help_text=_("Ubah salinan definisi yang berlaku. Status, aksi, peran dan SLA diperiksa sebelum disimpan."),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "font-monospace"}),
        max_length=200_000,
    )
    note = forms.CharField(
        label=_("Alasan perubahan"),
        help_text=_("Misalnya: SLA verifikasi menjadi 3 hari kerja sesuai Perwali 12/2026."),
        max_length=300,
    )

    def clean_definition(self):
        raw = self.cleaned_data["definition"]
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Teks ini bukan JSON yang sah (baris %(line)s, kolom %(col)s: %(msg)s). Periksa tanda koma dan kutip di sana.")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ) from None


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Tugaskan kepada"), coerce=int, empty_value=None)
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        max_length=300,
        help_text=_("Wajib bila berkas sedang dipegang petugas lain."),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Kembalikan ke kotak masuk bersama —")), *choices]
        self.fields["assignee"].required = False
