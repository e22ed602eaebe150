"""Forms of the public and applicant pages. They only parse input: the requirements (`requirements.py`)
and the services decide what is valid, and their messages are put back beside the fields.

The application form is built from the pinned version's declared fields (`form_fields`), one Django
field per declared field, named by its code. On the applicant's pages it is split into pages of a few
questions each (`form_pages`): one question or a few per page on a phone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.core.files.forms import ContentCheckedFileField
from balai.core.files.kinds import MB, UploadPolicy

from .models import SKM_ELEMENTS

BUSINESS_FIELDS = ("business_name", "business_nib", "business_npwp")
RADIO_LIMIT = 5
LONG_TEXT = 300
QUESTIONS_PER_PAGE = 3


class GroupRadioSelect(forms.RadioSelect):
    """Radio buttons whose field points at its first option, so that an error summary's link for the
    question lands on it (Django leaves a radio group without an id; our field template labels the group
    with a legend, not a <label for>)."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


def _field_for(spec: dict) -> forms.Field:
    """One Django field for a declared form field. Numbers and dates stay text here (Indonesian "2,5",
    ISO dates): `requirements.form_validate` cleans them and gives the message."""
    kind, label = spec["type"], spec["label"]
    # Say what to do, naming the question ("Isi lebar papan (m)."), not Django's "This field is required".
    named = label[:1].lower() + label[1:] if label[1:2].islower() else label
    if kind == "choice":
        required = _("Pilih %(label)s.") % {"label": named}
    elif kind == "boolean":
        required = _("Centang «%(label)s» untuk melanjutkan.") % {"label": label}
    else:
        required = _("Isi %(label)s.") % {"label": named}
    common = {
        "label": label, "required": bool(spec.get("required")), "help_text": spec.get("help") or "",
        "error_messages": {"required": required},
    }
    if kind == "text":
        high = spec.get("max") or 2000
        widget = forms.Textarea(attrs={"rows": 3}) if high > LONG_TEXT else forms.TextInput()
        return forms.CharField(max_length=high, widget=widget, **common)
    if kind == "integer":
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
    if kind == "decimal":
        if not common["help_text"]:
            common["help_text"] = _("Gunakan koma untuk pecahan, misalnya 2,5.")
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if kind == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "choice":
        choices = [(c["value"], c["label"]) for c in spec.get("choices", [])]
        if len(choices) <= RADIO_LIMIT:
            return forms.ChoiceField(choices=choices, widget=GroupRadioSelect, **common)
        return forms.ChoiceField(choices=[("", _("Pilih salah satu"))] + choices, **common)
    if kind == "boolean":
        return forms.BooleanField(**common)
    raise ValueError(f"Unknown field type {kind!r}")  # pragma: no cover - declarations are checked


def _stored_to_initial(spec: dict, value):
    if value is None:
        return None
    if spec["type"] == "decimal":
        return str(value).replace(".", ",")
    return value


class ApplicationForm(forms.Form):
    """The answers of a permit application: the declared fields (all, or only `only` codes, for a
    correction) and, optionally, the business the permit is for."""

    def __init__(self, *args, specs: list[dict], values: dict | None = None, only: set[str] | None = None,
                 business: dict | None = None, with_business: bool = True, entities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.entities = {str(e.pk): e for e in entities}
        self.specs = [s for s in specs if only is None or s["code"] in only]
        values = values or {}
        for spec in self.specs:
            field = _field_for(spec)
            field.initial = _stored_to_initial(spec, values.get(spec["code"]))
            self.fields[spec["code"]] = field
        self.business_codes: list[str] = []
        if with_business:
            business = business or {}
            extra = {
                "business_name": forms.CharField(
                    label=_("Nama usaha"), required=False, max_length=200,
                    help_text=_("Isi bila izin diajukan atas nama usaha; kosongkan bila atas nama pribadi."),
                ),
                "business_nib": forms.CharField(
                    label=_("NIB (Nomor Induk Berusaha)"), required=False, max_length=20,
                    help_text=_("13 angka, tercantum pada dokumen OSS."),
                    widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                ),
                "business_npwp": forms.CharField(
                    label=_("NPWP usaha"), required=False, max_length=25,
                    help_text=_("15 atau 16 angka."), widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                ),
            }
            for code, field in extra.items():
                if only is not None and code not in only:
                    continue
                if code in self.fields:  # a declared field already uses this code
                    continue
                field.initial = business.get(code, "")
                self.fields[code] = field
                self.business_codes.append(code)
            if self.entities and "business_name" in self.business_codes:
                # The businesses the applicant represents in the registry: choosing one fills in its
                # name, NIB and NPWP as registered (the fields below stay for any other business).
                chosen = next((pk for pk, e in self.entities.items() if e.nib and e.nib == business.get("business_nib")), "")
                self.fields = {
                    "legal_entity": forms.ChoiceField(
                        label=_("Untuk siapa izin ini?"), required=False, widget=GroupRadioSelect, initial=chosen,
                        choices=[("", _("Atas nama pribadi, atau usaha lain yang saya isi di bawah"))]
                        + [(pk, f"{e.name} — NIB {e.nib}") for pk, e in self.entities.items()],
                    ),
                    **self.fields,
                }
                self.business_codes.insert(0, "legal_entity")

    def relax(self) -> None:
        """Saving a draft: answers may still be missing (given ones must be valid)."""
        for field in self.fields.values():
            field.required = False

    def answers(self) -> dict:
        """The declared fields' answers as typed, for `application_update_draft`."""
        data = {}
        for spec in self.specs:
            value = self.cleaned_data.get(spec["code"])
            if spec["type"] == "boolean":
                data[spec["code"]] = bool(value)
            else:
                data[spec["code"]] = "" if value is None else value
        return data

    def business(self) -> dict:
        entity = self.entities.get(self.cleaned_data.get("legal_entity") or "")
        if entity is not None:
            return {"business_name": entity.name, "business_nib": entity.nib, "business_npwp": entity.npwp}
        return {code: self.cleaned_data.get(code) or "" for code in self.business_codes if code != "legal_entity"}

    def apply_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError beside the fields it names (the rest on top)."""
        if hasattr(exc, "error_dict"):
            for code, messages in exc.message_dict.items():
                self.add_error(code if code in self.fields else None, messages)
        else:
            self.add_error(None, exc.messages)


@dataclass(frozen=True)
class FormPage:
    """One page of the applicant's form: the codes it asks (declared fields, or the business data)."""

    number: int
    codes: tuple[str, ...]
    business: bool = False


def form_pages(specs: list[dict]) -> list[FormPage]:
    """The pages of the applicant's form for the declared fields `specs`, in their order.

    The declarations carry no sections, so the questions are taken in order, at most
    QUESTIONS_PER_PAGE a page, and the business data (NIB, NPWP) gets a page of its own at the end. A
    form of QUESTIONS_PER_PAGE questions or fewer stays one page, business data included: paging
    three questions would only add clicks.
    """
    codes = [spec["code"] for spec in specs]
    business = tuple(code for code in BUSINESS_FIELDS if code not in codes)
    if len(codes) <= QUESTIONS_PER_PAGE:
        return [FormPage(number=1, codes=(*codes, *business))]
    pages = [
        FormPage(number=n, codes=tuple(codes[i:i + QUESTIONS_PER_PAGE]))
        for n, i in enumerate(range(0, len(codes), QUESTIONS_PER_PAGE), 1)
    ]
    if business:
        pages.append(FormPage(number=len(pages) + 1, codes=business, business=True))
    return pages


def page_of(pages: list[FormPage], code: str) -> FormPage:
    """The page that asks `code` (the first page for anything no page asks)."""
    return next((page for page in pages if code in page.codes), pages[0])


def field_anchor(spec: dict | None, code: str) -> str:
    """The id of the input a link to question `code` should land on (a radio group's first option)."""
    field = _field_for(spec) if spec else None
    widget = field.widget if field is not None else None
    return widget.id_for_label(f"id_{code}") if widget is not None else f"id_{code}"


def fee_field_codes(version) -> list[str]:
    """The declared fields the fee of `version` reads, in form order (for the fee simulator)."""
    config = version.fee_config or {}
    model = version.fee_model
    if model in ("per_unit", "tiered"):
        wanted = {config.get("field")}
    elif model == "formula":
        names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", str(config.get("expression") or "")))
        wanted = names | set((config.get("lookups") or {}).keys())
    else:
        wanted = set()
    return [
        spec["code"] for spec in version.form_fields
        if spec["code"] in wanted and spec["type"] in ("integer", "decimal", "choice")
    ]


class FeeSimulatorForm(ApplicationForm):
    """The fee simulator: only the fields the fee reads, all required."""

    def __init__(self, *args, version, **kwargs):
        codes = set(fee_field_codes(version))
        super().__init__(*args, specs=version.form_fields, only=codes, with_business=False, **kwargs)
        for field in self.fields.values():
            field.required = True


class TrackingForm(forms.Form):
    nomor = forms.CharField(
        label=_("Nomor registrasi"), max_length=40,
        help_text=_("Tertera pada tanda terima, misalnya REG-3673-2026-000123."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
        error_messages={"required": _("Isi nomor registrasi permohonan Anda.")},
    )

    def clean_nomor(self):
        value = "".join(self.cleaned_data["nomor"].split()).upper()
        if not re.fullmatch(r"REG-\d{1,8}-\d{4}-\d{1,9}", value):
            raise ValidationError(
                _("Nomor registrasi berbentuk REG-3673-2026-000123. Salin nomor dari tanda terima Anda.")
            )
        return value


def upload_policy(spec: dict) -> UploadPolicy:
    return UploadPolicy(kinds=frozenset(spec["kinds"]), max_bytes=int(spec["max_mb"]) * MB)


class RequirementUploadForm(forms.Form):
    """One documentary requirement's upload (each requirement has its own form, prefixed by its code)."""

    def __init__(self, *args, spec: dict, **kwargs):
        kwargs.setdefault("prefix", spec["code"])
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.fields["berkas"] = ContentCheckedFileField(
            label=spec["label"], policy=upload_policy(spec),
            error_messages={"required": _("Pilih berkas %(label)s untuk diunggah.") % {"label": spec["label"]}},
        )


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label=_("Isi pengaduan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ceritakan apa yang terjadi dan apa yang Anda harapkan. Jangan tulis kata sandi atau PIN."),
        error_messages={"required": _("Tuliskan pengaduan Anda: apa yang terjadi dan apa yang Anda harapkan.")},
    )


SKM_CHOICES = [
    ("1", _("1 – Tidak baik")),
    ("2", _("2 – Kurang baik")),
    ("3", _("3 – Baik")),
    ("4", _("4 – Sangat baik")),
]


class SurveyForm(forms.Form):
    """The SKM survey (PermenPANRB 14/2017): nine elements, each 1-4."""

    comment = forms.CharField(
        label=_("Saran untuk perbaikan layanan"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        for code, label in SKM_ELEMENTS:
            self.fields[code] = forms.ChoiceField(
                label=label, choices=SKM_CHOICES, widget=forms.RadioSelect,
                error_messages={"required": _("Pilih nilai 1 sampai 4 untuk %(label)s.") % {"label": label}},
            )
        self.fields["comment"] = comment

    def answers(self) -> list[int]:
        return [int(self.cleaned_data[code]) for code, _label in SKM_ELEMENTS]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Membantu kami memperbaiki layanan."),
    )
