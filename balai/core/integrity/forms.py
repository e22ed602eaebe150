"""Forms only parse: the inspectorate's filters, the triage decision, and which checks to run now."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import Finding, Severity


def _check_choices(first):
    return [("", first)] + [(c.code, f"{c.title} ({c.code})") for c in registry.checks()]


class FindingFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    severity = forms.ChoiceField(label=_("Tingkat"), required=False)
    check = forms.ChoiceField(label=_("Pemeriksaan"), required=False)
    module = forms.ChoiceField(label=_("Modul"), required=False)
    found_from = forms.DateField(
        label=_("Ditemukan sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal seperti 2026-03-31, atau pilih dari kalender.")},
    )
    found_to = forms.DateField(
        label=_("Ditemukan sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal seperti 2026-03-31, atau pilih dari kalender.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Semua status"))] + list(Finding.Status.choices)
        self.fields["severity"].choices = [("", _("Semua tingkat"))] + list(Severity.choices)
        self.fields["check"].choices = _check_choices(_("Semua pemeriksaan"))
        self.fields["module"].choices = [("", _("Semua modul"))] + [(m, m) for m in registry.check_modules()]
        for name in ("status", "severity", "check", "module"):
            self.fields[name].error_messages["invalid_choice"] = _("Pilihan itu tidak tersedia; pilih salah satu dari daftar.")

    def clean(self):
        data = super().clean()
        start, end = data.get("found_from"), data.get("found_to")
        if start and end and start > end:
            self.add_error("found_to", _("Tanggal akhir lebih awal dari tanggal mulai. Tukar kedua tanggal itu."))
        return data

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class TriageForm(forms.Form):
    status = forms.ChoiceField(label=_("Hasil telaah"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Catatan telaah"),
        help_text=_("Tulis apa yang sudah diperiksa, dengan siapa, dan mengapa statusnya demikian."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Tulis catatan telaah: apa yang sudah diperiksa dan mengapa statusnya demikian.")},
    )

    def __init__(self, *args, finding: Finding, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = {finding.status, *Finding.TRANSITIONS[Finding.Status(finding.status)]}
        choices = []
        for value, label in Finding.Status.choices:
            if value == finding.status:
                choices.append((value, _("Tetap %(status)s (hanya menambah catatan)") % {"status": label.lower()}))
            elif value in allowed:
                choices.append((value, label))
        self.fields["status"].choices = choices
        self.fields["status"].initial = finding.status
        self.fields["status"].error_messages.update(
            required=_("Pilih hasil telaah."),
            invalid_choice=_("Status itu tidak dapat dipilih untuk temuan ini; pilih salah satu yang tersedia."),
        )


class RunForm(forms.Form):
    check = forms.ChoiceField(label=_("Pemeriksaan yang dijalankan"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check"].choices = _check_choices(_("Semua pemeriksaan"))
        self.fields["check"].error_messages["invalid_choice"] = _(
            "Pemeriksaan itu tidak terdaftar; pilih salah satu dari daftar."
        )
