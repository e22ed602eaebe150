"""Forms of the appointments pages: they only parse input; the services decide."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Booking

WINDOW_LINE = re.compile(r"^\s*(\d{1,2}[:.]\d{2})\s*[-–]\s*(\d{1,2}[:.]\d{2})\s+(\d{1,4})\s*$")


def slot_label(slot) -> str:
    return _("%(day)s, sesi %(window)s, sisa %(n)s tempat") % {
        "day": formats.date_format(slot.day, "l, j F Y"), "window": slot.label, "n": slot.remaining,
    }


class SlotChoiceForm(forms.Form):
    slot = forms.TypedChoiceField(
        label=gettext_lazy("Tanggal dan sesi"), coerce=int, widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Pilih tanggal dan sesi yang masih memiliki tempat.")},
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(s.pk, slot_label(s)) for s in slots]


class BookingForm(SlotChoiceForm):
    applicant_nik = forms.CharField(
        label=gettext_lazy("NIK pemohon"), max_length=24,
        help_text=gettext_lazy("NIK Anda sendiri, atau NIK orang yang memberi Anda surat kuasa terverifikasi."),
        error_messages={"required": gettext_lazy("Tulis NIK pemohon: 16 angka seperti di KTP.")},
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Nomor ponsel yang dapat dihubungi"), max_length=20, required=False,
        help_text=gettext_lazy("Petugas menghubungi nomor ini bila jadwal berubah."),
    )

    def __init__(self, *args, files=(), **kwargs):
        super().__init__(*args, **kwargs)
        if files:
            # The person's own open files of this service: the booking is for one of them (or none yet).
            self.fields["application"] = forms.TypedChoiceField(
                label=gettext_lazy("Untuk berkas"), coerce=int, required=False, empty_value=None,
                choices=[("", _("Belum untuk berkas tertentu"))]
                + [(f.pk, f"{f.registration_number} ({formats.date_format(f.submitted_at, 'j F Y')})") for f in files],
                help_text=gettext_lazy("Petugas loket mencatat kehadiran Anda pada berkas ini; verifikasi berkas menunggu kehadiran itu."),
            )

    def clean_contact_phone(self):
        raw = re.sub(r"[\s.-]", "", self.cleaned_data["contact_phone"])
        if raw and not re.fullmatch(r"\+?\d{8,15}", raw):
            raise forms.ValidationError(_("Tulis nomor ponsel dengan angka saja, misalnya 081234567890."))
        return raw


def windows_from_text(text: str) -> list[dict]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = WINDOW_LINE.match(line)
        if not match:
            raise forms.ValidationError(
                _("Baris %(n)s tidak dapat dibaca. Tulis satu sesi per baris: jam mulai-jam selesai kapasitas, "
                  "misalnya 08:00-09:00 10.") % {"n": number}
            )
        found.append({"start": match[1], "end": match[2], "capacity": int(match[3])})
    if not found:
        raise forms.ValidationError(_("Tulis paling sedikit satu sesi, misalnya 08:00-09:00 10."))
    return found


def windows_as_text(slots) -> str:
    return "\n".join(f"{s.starts_at:%H:%M}-{s.ends_at:%H:%M} {s.capacity}" for s in slots)


WINDOWS_HELP = gettext_lazy("Satu sesi per baris: jam mulai-jam selesai kapasitas, misalnya 08:00-09:00 10.")


class PublishForm(forms.Form):
    permit_type = forms.TypedChoiceField(label=gettext_lazy("Layanan"), coerce=int)
    first = forms.DateField(label=gettext_lazy("Dari tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=gettext_lazy("Sampai tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    windows = forms.CharField(
        label=gettext_lazy("Sesi dan kapasitas"), widget=forms.Textarea(attrs={"rows": 5}), help_text=WINDOWS_HELP,
        initial="08:00-09:00 10\n09:00-10:00 10\n10:00-11:00 10\n13:00-14:00 8",
    )
    release_days_before = forms.IntegerField(
        label=gettext_lazy("Pemesanan dibuka (hari sebelumnya)"), min_value=0, max_value=60, initial=7
    )
    release_time = forms.TimeField(
        label=gettext_lazy("Pemesanan dibuka pukul"), initial=dt.time(7, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].choices = [(s.pk, s.name) for s in services]

    def clean_windows(self):
        return windows_from_text(self.cleaned_data["windows"])


class ChangeForm(forms.Form):
    windows = forms.CharField(
        label=gettext_lazy("Sesi dan kapasitas"), widget=forms.Textarea(attrs={"rows": 5}), help_text=WINDOWS_HELP
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan perubahan"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Wajib bila pemesanan sudah dibuka. Alasan ditampilkan di halaman publik."),
    )

    def clean_windows(self):
        return windows_from_text(self.cleaned_data["windows"])


class PowerOfAttorneyForm(forms.Form):
    agent_email = forms.EmailField(
        label=gettext_lazy("E-mail akun penerima kuasa"),
        error_messages={"required": gettext_lazy("Tulis e-mail akun Balai milik penerima kuasa.")},
    )
    permit_type = forms.TypedChoiceField(
        label=gettext_lazy("Untuk layanan"), coerce=int, required=False, empty_value=None,
    )
    valid_until = forms.DateField(label=gettext_lazy("Berlaku sampai"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(
        label=gettext_lazy("Surat kuasa bertanda tangan (PDF atau foto)"),
        error_messages={"required": gettext_lazy("Unggah surat kuasa yang sudah Anda tanda tangani.")},
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].choices = [("", _("Semua layanan"))] + [(s.pk, s.name) for s in services]


class PowerOfAttorneyDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Keputusan"), widget=forms.RadioSelect,
        choices=[("verify", gettext_lazy("Sah, verifikasi")), ("reject", gettext_lazy("Tolak"))],
        error_messages={"required": gettext_lazy("Pilih sah atau tolak.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Wajib bila ditolak: apa yang harus diperbaiki pemohon."),
    )


class AttendanceForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Kehadiran"),
        choices=[(Booking.Status.ATTENDED, gettext_lazy("Hadir")), (Booking.Status.NO_SHOW, gettext_lazy("Tidak hadir"))],
    )


class DeskDayForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AttendanceOverrideForm(forms.Form):
    # Prefixed: it sits on the office's file page beside other forms with a "reason" field.
    prefix = "kehadiran"

    reason = forms.CharField(
        label=gettext_lazy("Alasan pengecualian"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
        help_text=gettext_lazy("Bagaimana dokumen asli diperiksa tanpa janji temu. Dicatat di jejak audit."),
        error_messages={"required": gettext_lazy("Tulis alasan pengecualian: bagaimana dokumen asli diperiksa.")},
    )


class InspectionVisitForm(forms.Form):
    prefix = "survei"

    day = forms.DateField(
        label=gettext_lazy("Tanggal survei"), widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("Pilih tanggal survei."),
            "invalid": gettext_lazy("Tulis tanggal survei seperti 2026-03-12."),
        },
    )
    starts_at = forms.TimeField(
        label=gettext_lazy("Mulai pukul (boleh kosong)"), required=False, widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": gettext_lazy("Tulis jam seperti 09:00.")},
    )
    ends_at = forms.TimeField(
        label=gettext_lazy("Sampai pukul (boleh kosong)"), required=False, widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": gettext_lazy("Tulis jam seperti 12:00.")},
    )
