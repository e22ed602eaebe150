from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DayOff


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DayOffForm(forms.Form):
    date = forms.DateField(
        label=_("Tanggal"),
        widget=DateInput,
        error_messages={
            "required": _("Isi tanggalnya."),
            "invalid": _("Tulis tanggal yang benar, misalnya 2026-08-17."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Jenis perubahan"),
        choices=DayOff.Kind.choices,
        initial=DayOff.Kind.LOCAL,
        # A select, not radios: includes/field.html labels one control per field.
        help_text=_(
            "“Tetap hari kerja” membatalkan libur nasional atau cuti bersama untuk Pemda ini."
        ),
        error_messages={"required": _("Pilih jenis perubahan.")},
    )
    name = forms.CharField(
        label=_("Nama hari libur atau alasan"),
        max_length=120,
        help_text=_(
            "Misalnya “Hari Jadi Kota Serang” atau “Cuti bersama dibatalkan (SKB 2026)”."
        ),
        error_messages={
            "required": _("Tulis nama hari libur atau alasan perubahannya."),
            "max_length": _("Persingkat sampai paling banyak 120 karakter."),
        },
    )
