"""Forms only parse what people type; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .imports import MAX_BYTES
from .models import JOB_CLASS_MAX, JOB_CLASS_MIN, Employee, Position, Unit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.code} — {obj.name}"


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        head = _(" (kepala)") if obj.is_head else ""
        return f"{obj.unit.name} — {obj.name}{head} · {_('kelas')} {obj.job_class}"


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Nama unit"), max_length=200, help_text=_("Misalnya Bidang Pelayanan Perizinan."))
    short_name = forms.CharField(label=_("Singkatan"), max_length=40, required=False, help_text=_("Misalnya DPMPTSP."))
    code = forms.CharField(
        label=_("Kode unit"), max_length=40, help_text=_("Kode unik di Pemda ini, tanpa spasi; dipakai saat impor.")
    )
    kind = forms.ChoiceField(label=_("Jenis unit"), choices=Unit.Kind.choices)
    parent = UnitChoiceField(
        label=_("Unit induk"), queryset=Unit.objects.none(), required=False, help_text=_("Kosongkan untuk OPD.")
    )
    valid_from = forms.DateField(
        label=_("Berlaku mulai"), widget=DateInput(), required=False,
        help_text=_("Kosongkan bila unit sudah berdiri sebelum dicatat di Balai."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units


class UnitUpdateForm(UnitForm):
    valid_from = None
    effective = forms.DateField(
        label=_("Nama baru berlaku mulai"),
        widget=DateInput(),
        required=False,
        help_text=_("Hanya dipakai bila nama atau singkatan berubah; nama lama tetap tercatat. Kosongkan untuk hari ini."),
    )

    field_order = ["name", "short_name", "effective", "code", "kind", "parent"]


class UnitCloseForm(forms.Form):
    on = forms.DateField(label=_("Hari terakhir unit berlaku"), widget=DateInput(), required=False, help_text=_("Kosongkan untuk hari ini."))


class PositionForm(forms.Form):
    name = forms.CharField(label=_("Nama jabatan"), max_length=200, help_text=_("Misalnya Kepala Seksi Perizinan Usaha."))
    job_class = forms.IntegerField(
        label=_("Kelas jabatan"), min_value=JOB_CLASS_MIN, max_value=JOB_CLASS_MAX, help_text=_("Angka 1 sampai 17.")
    )
    type = forms.ChoiceField(label=_("Jenis jabatan"), choices=[("", _("— tidak diisi —")), *Position.Type.choices], required=False)
    is_head = forms.BooleanField(label=_("Jabatan ini kepala unit"), required=False, help_text=_("Satu unit hanya punya satu kepala."))


class PositionUpdateForm(PositionForm):
    is_active = forms.BooleanField(label=_("Jabatan aktif"), required=False)


class EmployeeForm(forms.Form):
    nip = forms.CharField(
        label=_("NIP"), max_length=24, help_text=_("18 angka, misalnya 198501012010121001."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, help_text=_("Seperti tertulis pada SK."))
    employment_type = forms.ChoiceField(label=_("Jenis pegawai"), choices=Employee.EmploymentType.choices)
    rank = forms.CharField(label=_("Golongan"), max_length=8, required=False, help_text=_("III/a untuk PNS, IX untuk PPPK."))
    email = forms.EmailField(label=_("Surel"), required=False, help_text=_("Akun Balai dengan surel yang sama akan ditautkan."))
    status = forms.ChoiceField(label=_("Status"), choices=Employee.Status.choices, initial=Employee.Status.ACTIVE)


class AssignForm(forms.Form):
    position = PositionChoiceField(label=_("Jabatan"), queryset=Position.objects.none())
    start = forms.DateField(label=_("Mulai"), widget=DateInput(), help_text=_("Penugasan sebelumnya berakhir sehari sebelumnya."))
    acting = forms.BooleanField(
        label=_("Pelaksana tugas (Plt.)"), required=False,
        help_text=_("Centang bila ini tugas tambahan; penugasan utama pegawai tetap berjalan."),
    )

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = positions


class AssignmentEndForm(forms.Form):
    end = forms.DateField(label=_("Hari terakhir penugasan"), widget=DateInput())


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas .xlsx atau .csv"), help_text=_("Paling besar 2 MB dan 5.000 baris."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (lebih dari 2 MB). Pecah menjadi beberapa berkas lalu impor satu per satu."))
        return upload
