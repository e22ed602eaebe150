"""Forms of the back office. They parse input only; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.core.files.forms import ContentCheckedFileField
from balai.core.files.kinds import MB, UploadPolicy

from .services import INSPECTION_PHOTOS, MAX_PHOTOS
from .services_office import FIFO_REASONS

OK, FIX = "ok", "fix"


def _version_field():
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


def _reason_field():
    return forms.ChoiceField(
        label=_("Kode alasan mendahulukan berkas ini"),
        choices=[("", _("— Pilih alasan —")), *FIFO_REASONS],
        required=False,
        help_text=_("Wajib bila ada berkas jenis yang sama yang masuk lebih dulu; alasan ini dicatat."),
    )


class PanelForm(forms.Form):
    """A form of one panel of the file page: its ids are prefixed so that several forms share a page."""

    panel = "panel"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.panel}-%s")
        super().__init__(*args, **kwargs)


class InboxFilterForm(forms.Form):
    peran = forms.ChoiceField(label=_("Peran"), required=False)
    status = forms.ChoiceField(label=_("Tahap"), required=False)
    jenis = forms.ChoiceField(label=_("Jenis izin"), required=False)
    # "" is the officer's own units (with the units below them), "all" every unit, else a unit's id.
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    saya = forms.BooleanField(label=_("Hanya yang ditugaskan kepada saya"), required=False)

    def __init__(self, *args, roles=(), states=(), types=(), units=(), has_own_units=False, **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("Semua"))
        self.fields["peran"].choices = [everything, *roles]
        self.fields["status"].choices = [everything, *states]
        self.fields["jenis"].choices = [everything, *types]
        unit_choices = [(str(pk), name) for pk, name in units]
        if has_own_units:
            self.fields["unit"].choices = [("", _("Unit saya")), ("all", _("Semua unit")), *unit_choices]
            self.fields["unit"].help_text = _("Bawaan: berkas unit tempat Anda menjabat dan unit di bawahnya.")
        else:
            self.fields["unit"].choices = [("", _("Semua unit")), *unit_choices]


class ChecklistForm(PanelForm):
    """The verification checklist: one OK / needs-correction choice and a note per requirement row."""

    panel = "verify"

    note = forms.CharField(
        label=_("Catatan untuk pemohon"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila berkas dikembalikan: jelaskan apa yang kurang dan bagaimana memperbaikinya."),
    )
    reason_code = _reason_field()
    expected_version = _version_field()

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            self.fields[f"check_{row.key}"] = forms.ChoiceField(
                label=row.label,
                choices=[(OK, _("Sesuai")), (FIX, _("Perlu diperbaiki"))],
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"note_{row.key}"] = forms.CharField(
                label=_("Catatan perbaikan: %(label)s") % {"label": row.label}, required=False, max_length=500
            )

    def bound_rows(self):
        """(row, choice field, note field) for the template."""
        return [(row, self[f"check_{row.key}"], self[f"note_{row.key}"]) for row in self.rows]

    def correction_items(self) -> list[dict]:
        return [
            {"kind": row.kind, "code": row.code, "note": self.cleaned_data.get(f"note_{row.key}", "")}
            for row in self.rows
            if self.cleaned_data.get(f"check_{row.key}") == FIX
        ]

    def unchecked(self) -> list:
        return [row for row in self.rows if self.cleaned_data.get(f"check_{row.key}") != OK]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleContentCheckedFileField(ContentCheckedFileField):
    """Several files in one input, each checked by content."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [one(item, initial) for item in files if item]
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


class InspectionForm(PanelForm):
    panel = "inspect"
    report = forms.CharField(
        label=_("Laporan survei lapangan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Apa yang diperiksa di lokasi dan hasilnya (paling sedikit 10 karakter)."),
    )
    photos = MultipleContentCheckedFileField(
        label=_("Foto lokasi"),
        policy=INSPECTION_PHOTOS,
        required=False,
    )
    expected_version = _version_field()

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(_("Paling banyak %(n)s foto; pilih yang paling menjelaskan.") % {"n": MAX_PHOTOS})
        return photos


class RecommendForm(PanelForm):
    panel = "recommend"
    recommendation = forms.CharField(
        label=_("Rekomendasi teknis"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pertimbangan teknis dan syarat yang harus dipenuhi pemohon."),
    )
    expected_version = _version_field()


class ApproveForm(PanelForm):
    panel = "approve"
    comment = forms.CharField(label=_("Catatan persetujuan"), required=False, max_length=2000)
    reason_code = _reason_field()
    expected_version = _version_field()


class SignForm(PanelForm):
    panel = "sign"
    reason_code = _reason_field()
    expected_version = _version_field()


class RejectForm(PanelForm):
    panel = "reject"
    reason = forms.CharField(
        label=_("Alasan penolakan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pemohon akan membaca alasan ini; sebutkan dasar penolakannya."),
    )
    expected_version = _version_field()


class RevokeForm(PanelForm):
    panel = "revoke"
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tampil di halaman verifikasi izin untuk semua orang."),
    )


class AssignForm(PanelForm):
    panel = "assign"
    assignee = forms.TypedChoiceField(label=_("Tugaskan kepada"), coerce=int, empty_value=None, required=False)
    reason = forms.CharField(
        label=_("Alasan penugasan ulang"),
        required=False,
        max_length=300,
        help_text=_("Wajib bila berkas sedang dipegang petugas lain."),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Kembalikan ke kotak masuk bersama —")), *choices]


# --- counter -----------------------------------------------------------------------------------------


class CitizenSearchForm(forms.Form):
    q = forms.CharField(
        label=_("NIK atau alamat surel pemohon"),
        max_length=254,
        help_text=_("Cari akun pemohon yang sudah terdaftar: NIK 16 angka atau surel lengkap."),
    )


class CounterExistingForm(forms.Form):
    q = forms.CharField(widget=forms.HiddenInput, max_length=254)
    permit_type = forms.TypedChoiceField(label=_("Jenis izin"), coerce=int)

    def __init__(self, *args, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].choices = [("", _("— Pilih jenis izin —")), *types]


class CounterNewCitizenForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap sesuai KTP"), max_length=200)
    nik = forms.CharField(
        label=_("NIK"), max_length=16, min_length=16,
        help_text=_("16 angka pada KTP elektronik."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Tanggal lahir"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Untuk mencocokkan NIK."),
    )
    email = forms.EmailField(label=_("Surel pemohon"), help_text=_("Kabar permohonan dikirim ke alamat ini."))
    phone = forms.CharField(label=_("Nomor ponsel"), required=False, max_length=20, help_text=_("Contoh: +6281234567890"))
    permit_type = forms.TypedChoiceField(label=_("Jenis izin"), coerce=int)

    def __init__(self, *args, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].choices = [("", _("— Pilih jenis izin —")), *types]


BUSINESS_FIELDS = ("business_name", "business_nib", "business_npwp")


def application_form_class(version, *, documents_present=frozenset()):
    """A form over a permit type version: one input per declared field (`f_<code>`), the business the
    permit is for (`business_name`, `business_nib`, `business_npwp`), one upload per document (`d_<code>`).

    Fields are parsed as text (the service validates them against the version and says what is wrong);
    uploads are checked by content against each requirement's formats and size."""
    attrs: dict = {}
    for spec in version.form_fields:
        label, required = spec["label"], False  # the service decides what is missing at submission
        help_text = spec.get("help", "")
        kind = spec["type"]
        if kind == "choice":
            field = forms.ChoiceField(
                label=label, required=required, help_text=help_text,
                choices=[("", _("— Pilih —")), *[(c["value"], c["label"]) for c in spec.get("choices", [])]],
            )
        elif kind == "boolean":
            field = forms.BooleanField(label=label, required=False, help_text=help_text)
        elif kind == "date":
            field = forms.CharField(label=label, required=required, help_text=help_text, widget=forms.DateInput(attrs={"type": "date"}))
        elif kind in ("integer", "decimal"):
            field = forms.CharField(
                label=label, required=required, help_text=help_text,
                widget=forms.TextInput(attrs={"inputmode": "decimal" if kind == "decimal" else "numeric"}),
            )
        else:
            field = forms.CharField(label=label, required=required, help_text=help_text, max_length=spec.get("max") or 2000)
        attrs[f"f_{spec['code']}"] = field
    # The business the permit is for (empty for a personal application); the service checks the numbers.
    attrs["business_name"] = forms.CharField(
        label=_("Nama usaha"), required=False, max_length=200,
        help_text=_("Isi bila izin diajukan atas nama usaha; kosongkan bila atas nama pribadi."),
    )
    attrs["business_nib"] = forms.CharField(
        label=_("NIB (Nomor Induk Berusaha)"), required=False, max_length=20,
        help_text=_("13 angka, tercantum pada dokumen OSS. Wajib bila izin atas nama usaha."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    attrs["business_npwp"] = forms.CharField(
        label=_("NPWP usaha"), required=False, max_length=25, help_text=_("15 atau 16 angka, seperti pada kartu NPWP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    for spec in version.documents:
        policy = UploadPolicy(kinds=frozenset(spec["kinds"]), max_bytes=spec["max_mb"] * MB)
        hint = policy.describe()
        if spec["code"] in documents_present:
            hint = f"{hint} " + str(_("Sudah diunggah; unggah lagi hanya untuk menggantinya."))
        attrs[f"d_{spec['code']}"] = ContentCheckedFileField(label=spec["label"], policy=policy, required=False, help_text=hint)
    return type("ApplicationForm", (forms.Form,), attrs)
