"""Forms of the catalogue administration. They only parse what the administrator types; the rules live
in `services.permit_type_save` (and `requirements` / `fees`, which it calls)."""

from __future__ import annotations

import re

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from . import requirements
from .models import FILE_KINDS, PERMIT_DOCUMENT_KIND, PermitType
from .workflow import ESCALATION_WORKFLOWS

FIELD_TYPE_LABELS = (
    ("text", _("Teks")),
    ("integer", _("Bilangan bulat")),
    ("decimal", _("Angka desimal")),
    ("date", _("Tanggal")),
    ("choice", _("Pilihan")),
    ("boolean", _("Ya/tidak (centang)")),
)
FILE_KIND_LABELS = (("pdf", "PDF"), ("jpeg", "JPEG"), ("png", "PNG"))
FEE_MODEL_LABELS = (
    ("none", _("Tanpa biaya")),
    ("fixed", _("Biaya tetap")),
    ("per_unit", _("Per satuan (misalnya per m²)")),
    ("tiered", _("Tabel bertingkat")),
    ("formula", _("Rumus aritmetika atas isian formulir")),
)
ROUNDING_LABELS = (
    ("nearest", _("Ke rupiah terdekat")),
    ("down", _("Ke bawah ke rupiah penuh")),
    ("up_1000", _("Ke atas ke kelipatan Rp 1.000")),
)
RULE_OP_LABELS = (
    (">", _("lebih dari (>)")),
    (">=", _("paling sedikit (≥)")),
    ("<", _("kurang dari (<)")),
    ("<=", _("paling banyak (≤)")),
    ("==", _("sama dengan (=)")),
)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} — {obj.name}"


# --- the type's own fields ---------------------------------------------------------------------------


class PermitTypeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"), max_length=40, error_messages={"required": _("Isi kode jenis izin, misalnya reklame.")},
        help_text=_("Huruf kecil, angka dan garis bawah, diawali huruf, misalnya reklame. Dipakai di alamat halaman."),
    )
    name = forms.CharField(
        label=_("Nama izin"), max_length=200, help_text=_("Misalnya Izin Reklame."),
        error_messages={"required": _("Isi nama izin, misalnya Izin Reklame.")},
    )
    description = forms.CharField(
        label=_("Uraian untuk publik"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa izin ini, siapa yang perlu, dan hal penting yang perlu diketahui pemohon."),
    )
    unit = UnitChoiceField(
        label=_("Unit penanggung jawab"), queryset=None, required=False,
        help_text=_("OPD atau bidang yang menangani izin ini."),
    )
    sla_days = forms.IntegerField(
        label=_("SLA (hari kerja)"), min_value=1, max_value=365,
        error_messages={"required": _("Isi SLA dalam hari kerja, 1 sampai 365."), "invalid": _("SLA harus bilangan bulat hari kerja.")},
        help_text=_("Berapa hari kerja sejak berkas lengkap diterima sampai izin terbit."),
    )
    sla_starts = forms.ChoiceField(
        label=_("SLA mulai dihitung"), choices=PermitType.SlaStart.choices, widget=forms.RadioSelect,
        initial=PermitType.SlaStart.SUBMISSION, required=False,
        help_text=_(
            "Misalnya PBG: 30 hari kerja sejak berkas dinyatakan lengkap. Sebelum itu pemohon melihat bahwa jam "
            "layanan belum berjalan, dan hanya tenggat tahap verifikasi yang berlaku bagi petugas."
        ),
    )
    validity_months = forms.IntegerField(
        label=_("Masa berlaku (bulan)"), required=False, min_value=1, max_value=600,
        help_text=_("Kosongkan bila izin berlaku tanpa batas waktu."),
    )
    renewable = forms.BooleanField(label=_("Dapat diperpanjang"), required=False)
    renewal_window_days = forms.IntegerField(
        label=_("Perpanjangan dibuka (hari sebelum masa berlaku habis)"), min_value=0, max_value=365, initial=30,
        error_messages={"required": _("Isi berapa hari sebelum habis perpanjangan dibuka, misalnya 30.")},
    )
    needs_appointment = forms.BooleanField(label=_("Perlu janji temu (datang ke kantor)"), required=False)
    inspection = forms.ChoiceField(
        label=_("Survei lapangan"), choices=PermitType.Inspection.choices, widget=forms.RadioSelect,
        initial=PermitType.Inspection.NEVER, error_messages={"required": _("Pilih kapan survei lapangan diperlukan.")},
    )
    rule_field = forms.CharField(
        label=_("Aturan survei: isian angka"), required=False, max_length=120,
        help_text=_("Hanya bila survei lapangan menurut aturan. Kode isian angka, atau beberapa yang dikalikan, misalnya lebar*tinggi."),
    )
    rule_op = forms.ChoiceField(label=_("Aturan survei: pembanding"), choices=RULE_OP_LABELS, required=False)
    rule_value = forms.CharField(
        label=_("Aturan survei: nilai"), required=False, max_length=30, help_text=_("Angka, misalnya 10."),
    )
    needs_recommendation = forms.BooleanField(label=_("Perlu rekomendasi teknis"), required=False)
    fiktif_positif = forms.BooleanField(
        label=_("Fiktif positif"), required=False,
        help_text=_("Permohonan dianggap disetujui bila tenggat terlewati, bila peraturan untuk izin ini mengizinkan."),
    )
    escalation = forms.ChoiceField(
        label=_("Tindakan bila tenggat terlewati"), choices=PermitType.Escalation.choices, widget=forms.RadioSelect,
        initial=PermitType.Escalation.NOTIFY_HEAD,
        error_messages={"required": _("Pilih tindakan bila tenggat terlewati.")},
    )
    workflow_code = forms.ChoiceField(
        label=_("Alur kerja"), required=False,
        help_text=_(
            "Bawaan: alur yang menjalankan tindakan bila tenggat terlewati di atas. Bila Pemda mengubah alur itu "
            "di halaman Alur kerja, versi Pemda yang berlaku. Perubahan hanya berlaku untuk permohonan yang "
            "diajukan sesudahnya; berkas yang sedang berjalan tetap memakai alur saat diajukan."
        ),
    )
    document_kind = forms.ChoiceField(
        label=_("Jenis dokumen izin (templat)"), required=False,
        help_text=_(
            "Surat izin diterbitkan dengan templat Pemda untuk jenis dokumen ini (halaman Templat dokumen), "
            "yang berlaku saat izin ditandatangani."
        ),
    )

    def __init__(self, *args, units, numeric_fields=(), **kwargs):
        from .selectors_catalogue import permit_document_kind_choices, permit_workflow_choices

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["workflow_code"].choices = [("", _("Ikuti tindakan bila tenggat terlewati")), *permit_workflow_choices()]
        kinds = permit_document_kind_choices()
        current = self.initial.get("document_kind")
        if current and current not in dict(kinds):  # a kind set before the registry listed it stays choosable
            kinds.append((current, current))
        self.fields["document_kind"].choices = kinds
        self.fields["document_kind"].initial = PERMIT_DOCUMENT_KIND
        if numeric_fields:
            self.fields["rule_field"].help_text = _(
                "Hanya bila survei lapangan menurut aturan. Kode isian angka, atau beberapa yang dikalikan "
                "dengan *. Isian angka formulir ini: %(codes)s."
            ) % {"codes": ", ".join(numeric_fields)}

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        rule = {}
        if data["inspection"] == PermitType.Inspection.BY_RULE:
            rule = {"field": data["rule_field"].strip(), "op": data["rule_op"], "value": data["rule_value"].strip()}
        return {
            "code": data["code"], "name": data["name"], "description": data["description"], "unit": data["unit"],
            "sla_days": data["sla_days"], "sla_starts": data["sla_starts"] or None,
            "validity_months": data["validity_months"], "renewable": data["renewable"],
            "renewal_window_days": data["renewal_window_days"], "needs_appointment": data["needs_appointment"],
            "inspection": data["inspection"], "inspection_rule": rule,
            "needs_recommendation": data["needs_recommendation"], "fiktif_positif": data["fiktif_positif"],
            "escalation": data["escalation"], "workflow_code": data["workflow_code"] or None,
            # Not sent: the type keeps its kind (a new type gets the permit kind).
            **({"document_kind": data["document_kind"]} if data["document_kind"] else {}),
        }

    @staticmethod
    def initial_for(permit_type: PermitType) -> dict:
        rule = permit_type.inspection_rule or {}
        return {
            "code": permit_type.code, "name": permit_type.name, "description": permit_type.description,
            "unit": permit_type.unit_id, "sla_days": permit_type.sla_days, "sla_starts": permit_type.sla_starts,
            "validity_months": permit_type.validity_months, "renewable": permit_type.renewable,
            "renewal_window_days": permit_type.renewal_window_days,
            "needs_appointment": permit_type.needs_appointment, "inspection": permit_type.inspection,
            "rule_field": rule.get("field", ""), "rule_op": rule.get("op", ">"),
            "rule_value": str(rule.get("value") or "").replace(".", ",") if rule.get("value") else "",
            "needs_recommendation": permit_type.needs_recommendation, "fiktif_positif": permit_type.fiktif_positif,
            "escalation": permit_type.escalation,
            # Empty while the type runs its escalation rule's own variant (the default).
            "workflow_code": "" if permit_type.workflow_code == ESCALATION_WORKFLOWS.get(permit_type.escalation)
            else permit_type.workflow_code,
            "document_kind": permit_type.document_kind,
        }


# The service keys of permit_type_save → the form field that shows their message.
TYPE_ERROR_FIELDS = {
    "code": "code", "name": "name", "sla_days": "sla_days", "sla_starts": "sla_starts", "validity_months": "validity_months",
    "renewable": "renewable", "renewal_window_days": "renewal_window_days", "inspection": "inspection",
    "inspection_rule": "rule_field", "escalation": "escalation", "unit": "unit",
    "workflow_code": "workflow_code", "document_kind": "document_kind",
}


# --- requirements ------------------------------------------------------------------------------------


class _RowForm(forms.Form):
    """One row of a requirements table. Every input is optional: a blank row is ignored, a row marked for
    removal too; the others are checked with the same rules as the service."""

    position = forms.IntegerField(label=_("Urutan"), required=False, min_value=0, max_value=999)
    remove = forms.BooleanField(label=_("Hapus baris ini"), required=False)
    key_fields: tuple[str, ...] = ("code", "label")

    def ignored(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return bool(data.get("remove")) or not any(str(data.get(k) or "").strip() for k in self.key_fields)

    def spec(self) -> dict:  # pragma: no cover - overridden
        raise NotImplementedError

    def check(self, specs: list[dict]) -> list[str]:  # pragma: no cover - overridden
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if self.errors or self.ignored():
            return data
        for message in self.check([self.spec()])[1]:
            self.add_error(None, message)
        return data


def _choices_parse(text: str) -> list[dict]:
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        value, sep, label = line.partition("=")
        value, label = value.strip(), label.strip()
        out.append({"value": value, "label": label if sep and label else value})
    return out


def choices_text(choices: list[dict]) -> str:
    return "\n".join(
        c["value"] if c.get("label") in (None, "", c["value"]) else f"{c['value']} = {c['label']}" for c in choices or []
    )


class FormFieldRowForm(_RowForm):
    code = forms.CharField(label=_("Kode isian"), required=False, max_length=40, help_text=_("Misalnya luas_bangunan."))
    label = forms.CharField(label=_("Pertanyaan untuk pemohon"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Jenis isian"), choices=FIELD_TYPE_LABELS, initial="text", required=False)
    required = forms.BooleanField(label=_("Wajib diisi"), required=False)
    min = forms.CharField(
        label=_("Minimal"), required=False, max_length=30,
        help_text=_("Teks: panjang; angka: nilai; tanggal: TTTT-BB-HH."),
    )
    max = forms.CharField(label=_("Maksimal"), required=False, max_length=30)
    min_field = forms.CharField(
        label=_("Tidak boleh sebelum (atau lebih kecil dari) isian"), required=False, max_length=40,
        help_text=_(
            "Hanya untuk tanggal dan angka: kode isian lain yang sejenis, misalnya mulai pada isian tanggal "
            "selesai. Jawaban pemohon harus sama atau sesudah (lebih besar dari) jawaban isian itu."
        ),
    )
    choices = forms.CharField(
        label=_("Pilihan"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hanya untuk jenis pilihan: satu per baris, nilai = label, misalnya A = Kelas A: jalan protokol."),
    )
    help = forms.CharField(label=_("Petunjuk"), required=False, max_length=300)

    def spec(self) -> dict:
        data = self.cleaned_data
        spec = {
            "code": (data.get("code") or "").strip(), "label": (data.get("label") or "").strip(),
            "type": data.get("type"), "required": bool(data.get("required")), "help": data.get("help") or "",
        }
        for name in ("min", "max"):
            value = (data.get(name) or "").strip()
            if value:
                spec[name] = value.replace(",", ".") if data.get("type") in ("integer", "decimal") else value
        if (data.get("min_field") or "").strip():
            spec["min_field"] = data["min_field"].strip()
        if data.get("type") == "choice" or (data.get("choices") or "").strip():
            spec["choices"] = _choices_parse(data.get("choices") or "")
        return spec

    def check(self, specs):
        if not specs[0]["type"]:
            self.add_error("type", _("Pilih jenis isian, misalnya Teks atau Angka desimal."))
            return [], []
        # The field another row names is checked with all the rows (FieldRowsFormSet.clean).
        return requirements.fields_normalise(specs, check_references=False)

    @staticmethod
    def initial_for(spec: dict, position: int) -> dict:
        return {
            "position": position, "code": spec["code"], "label": spec["label"], "type": spec["type"],
            "required": spec.get("required", False), "min": str(spec.get("min", "")), "max": str(spec.get("max", "")),
            "min_field": spec.get("min_field", ""),
            "choices": choices_text(spec.get("choices") or []), "help": spec.get("help", ""),
        }


class DocumentRowForm(_RowForm):
    code = forms.CharField(label=_("Kode dokumen"), required=False, max_length=40, help_text=_("Misalnya ktp."))
    label = forms.CharField(label=_("Nama dokumen"), required=False, max_length=200)
    kinds = forms.MultipleChoiceField(
        label=_("Format berkas yang diterima"), choices=FILE_KIND_LABELS, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mandatory = forms.BooleanField(label=_("Wajib diunggah"), required=False)
    max_mb = forms.IntegerField(
        label=_("Ukuran maksimal (MB)"), required=False, min_value=1, max_value=requirements.MAX_DOC_MB,
    )
    help = forms.CharField(label=_("Petunjuk"), required=False, max_length=300)

    def spec(self) -> dict:
        data = self.cleaned_data
        return {
            "code": (data.get("code") or "").strip(), "label": (data.get("label") or "").strip(),
            "kinds": [k for k in FILE_KINDS if k in (data.get("kinds") or [])],
            "mandatory": bool(data.get("mandatory")), "max_mb": data.get("max_mb") or 5, "help": data.get("help") or "",
        }

    def check(self, specs):
        if not specs[0]["kinds"]:
            self.add_error("kinds", _("Pilih paling sedikit satu format berkas yang diterima."))
            return [], []
        return requirements.documents_normalise(specs)

    @staticmethod
    def initial_for(spec: dict, position: int) -> dict:
        return {
            "position": position, "code": spec["code"], "label": spec["label"], "kinds": spec.get("kinds", ["pdf"]),
            "mandatory": spec.get("mandatory", True), "max_mb": spec.get("max_mb", 5), "help": spec.get("help", ""),
        }


class FieldRowsFormSet(BaseFormSet):
    """The rows of form fields: a row naming another field (`min_field`) is checked against all rows,
    and the message is shown beside that row's input."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [form for form in self.forms if not form.ignored()]
        by_code = {form.spec()["code"]: form for form in kept}
        for code, message in requirements.field_reference_errors([form.spec() for form in kept]):
            by_code[code].add_error("min_field", message)


FormFieldFormSet = formset_factory(
    FormFieldRowForm, formset=FieldRowsFormSet, extra=0, max_num=requirements.MAX_FIELDS, absolute_max=200
)
DocumentFormSet = formset_factory(DocumentRowForm, extra=0, max_num=requirements.MAX_DOCUMENTS, absolute_max=200)


def rows_in_order(formset) -> list[dict]:
    """The kept rows of a valid formset as specs, ordered by their "Urutan" (then as shown)."""
    kept = [(form.cleaned_data.get("position"), index, form.spec()) for index, form in enumerate(formset) if not form.ignored()]
    kept.sort(key=lambda row: (row[0] is None, row[0] if row[0] is not None else 0, row[1]))
    return [spec for _position, _index, spec in kept]


class RequirementsNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan perubahan"), required=False, max_length=300,
        help_text=_("Apa yang berubah dan mengapa, misalnya: menambah isian jumlah lantai sesuai Perda baru."),
    )


# --- fee ---------------------------------------------------------------------------------------------


class TierRowForm(forms.Form):
    up_to = forms.CharField(
        label=_("Sampai dengan"), required=False, max_length=30,
        help_text=_("Kosongkan pada golongan terakhir (tanpa batas atas)."),
    )
    charge_kind = forms.ChoiceField(
        label=_("Jenis tarif"), choices=(("amount", _("Biaya tetap golongan")), ("rate", _("Tarif per satuan"))),
        initial="amount", required=False,
    )
    charge = forms.CharField(label=_("Rupiah"), required=False, max_length=20)

    def blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not (data.get("up_to") or "").strip() and not (data.get("charge") or "").strip()


TierFormSet = formset_factory(TierRowForm, extra=0, max_num=60, absolute_max=200)


class FeeForm(forms.Form):
    """The fee model and its settings. The lookup inputs (one per choice of each choice field) are added
    from the type's current form fields."""

    fee_model = forms.ChoiceField(
        label=_("Model tarif"), choices=FEE_MODEL_LABELS, widget=forms.RadioSelect,
        error_messages={"required": _("Pilih model tarif, atau Tanpa biaya.")},
    )
    amount = forms.CharField(
        label=_("Besar biaya tetap (rupiah)"), required=False, max_length=20, help_text=_("Tanpa titik, misalnya 150000."),
    )
    unit_field = forms.ChoiceField(label=_("Isian dasar perhitungan"), required=False)
    unit_price = forms.CharField(label=_("Harga per satuan (rupiah)"), required=False, max_length=20)
    unit_label = forms.CharField(label=_("Nama satuan"), required=False, max_length=20, help_text=_("Misalnya m²."))
    minimum = forms.CharField(label=_("Biaya minimum (rupiah)"), required=False, max_length=20)
    tier_field = forms.ChoiceField(label=_("Isian dasar golongan"), required=False)
    tier_unit_label = forms.CharField(label=_("Nama satuan golongan"), required=False, max_length=20)
    expression = forms.CharField(
        label=_("Rumus"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2, "class": "font-monospace"}),
        help_text=_(
            "Hanya angka, kode isian angka atau pilihan, + - * /, tanda kurung, dan fungsi min, max, round, ceil, floor. "
            "Pakai titik untuk desimal, misalnya 0.25 * lebar * tinggi * lama_hari * tarif_lokasi."
        ),
    )
    rounding = forms.ChoiceField(label=_("Pembulatan"), choices=ROUNDING_LABELS, required=False, initial="nearest")
    note = forms.CharField(
        label=_("Catatan perubahan"), required=False, max_length=300,
        help_text=_("Apa yang berubah dan mengapa, misalnya: tarif baru menurut Perda 2026."),
    )

    def __init__(self, *args, form_fields: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        numeric = [(f["code"], f"{f['code']} — {f['label']}") for f in form_fields if f["type"] in ("integer", "decimal")]
        blank = [("", _("Pilih isian angka"))]
        self.fields["unit_field"].choices = blank + numeric
        self.fields["tier_field"].choices = blank + numeric
        # lookup input name → (field code, choice value)
        self.lookup_inputs: dict[str, tuple[str, str]] = {}
        self.lookup_groups: list[tuple[dict, list[str]]] = []
        for spec in form_fields:
            if spec["type"] != "choice":
                continue
            names = []
            for index, choice in enumerate(spec.get("choices") or []):
                name = f"lookup__{spec['code']}__{index}"
                self.fields[name] = forms.CharField(
                    label=_("%(field)s = %(choice)s") % {"field": spec["code"], "choice": choice["label"]},
                    required=False, max_length=30,
                )
                self.lookup_inputs[name] = (spec["code"], choice["value"])
                names.append(name)
            self.lookup_groups.append((spec, names))

    def lookup_fields(self):
        return [(spec, [self[name] for name in names]) for spec, names in self.lookup_groups]

    def clean(self):
        data = super().clean()
        model = data.get("fee_model")
        if model == "per_unit" and not data.get("unit_field"):
            self.add_error("unit_field", _("Pilih isian angka yang menjadi dasar biaya per satuan."))
        if model == "tiered" and not data.get("tier_field"):
            self.add_error("tier_field", _("Pilih isian angka yang menentukan golongan tarif."))
        return data

    def config(self, tiers: list[dict]) -> tuple[str, dict]:
        """The model and its settings as `fees.fee_config_validate` reads them."""
        data = self.cleaned_data
        model = data["fee_model"]
        if model == "fixed":
            return model, {"amount": data["amount"].strip()}
        if model == "per_unit":
            config = {"field": data["unit_field"], "unit_label": data["unit_label"].strip(), "unit_price": data["unit_price"].strip()}
            if data["minimum"].strip():
                config["minimum"] = data["minimum"].strip()
            if not config["unit_price"]:
                del config["unit_price"]
            return model, config
        if model == "tiered":
            return model, {"field": data["tier_field"], "unit_label": data["tier_unit_label"].strip(), "tiers": tiers}
        if model == "formula":
            expression = data["expression"].strip()
            names = _names_in(expression)
            lookups: dict[str, dict[str, str]] = {}
            for name, (code, value) in self.lookup_inputs.items():
                number = (data.get(name) or "").strip()
                if code in names and number:
                    lookups.setdefault(code, {})[value] = number
            config = {"expression": expression, "rounding": data.get("rounding") or "nearest"}
            if lookups:
                config["lookups"] = lookups
            return model, config
        return "none", {}

    def error_target(self, model: str, field_code: str | None) -> str | None:
        """Where a fee refusal is shown: beside the lookup of the field it names, else the model's main input."""
        if field_code:
            for name, (code, _value) in self.lookup_inputs.items():
                if code == field_code:
                    return name
        return {"fixed": "amount", "per_unit": "unit_price", "tiered": None, "formula": "expression"}.get(model)

    @staticmethod
    def initial_for(model: str, config: dict, form_fields: list[dict]) -> dict:
        initial: dict = {"fee_model": model, "rounding": "nearest"}
        if model == "fixed":
            initial["amount"] = config.get("amount", "")
        elif model == "per_unit":
            initial.update(
                unit_field=config.get("field", ""), unit_price=config.get("unit_price", ""),
                unit_label=config.get("unit_label", ""), minimum=config.get("minimum") or "",
            )
        elif model == "tiered":
            initial.update(tier_field=config.get("field", ""), tier_unit_label=config.get("unit_label", ""))
        elif model == "formula":
            initial.update(expression=config.get("expression", ""), rounding=config.get("rounding", "nearest"))
            lookups = config.get("lookups") or {}
            for spec in form_fields:
                if spec["type"] == "choice" and spec["code"] in lookups:
                    for index, choice in enumerate(spec.get("choices") or []):
                        number = lookups[spec["code"]].get(choice["value"])
                        if number is not None:
                            initial[f"lookup__{spec['code']}__{index}"] = str(number)
        return initial


def _names_in(expression: str) -> set[str]:
    """The words of a formula (only to pick which choice tables to send; the fee engine reads the formula)."""
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expression or ""))


def tiers_from(formset) -> list[dict]:
    tiers = []
    for form in formset:
        if form.blank():
            continue
        data = form.cleaned_data
        up_to = (data.get("up_to") or "").strip()
        tiers.append({"up_to": up_to.replace(",", ".") if up_to else None, data.get("charge_kind") or "amount": (data.get("charge") or "").strip()})
    return tiers


def tier_initial(config: dict) -> list[dict]:
    rows = []
    for tier in config.get("tiers") or []:
        kind = "amount" if "amount" in tier else "rate"
        rows.append({
            "up_to": "" if tier.get("up_to") is None else str(tier["up_to"]), "charge_kind": kind, "charge": str(tier[kind]),
        })
    return rows


class SampleForm(forms.Form):
    """Sample answers for the "try it" preview: the type's number and choice fields."""

    def __init__(self, *args, form_fields: list[dict], **kwargs):
        kwargs.setdefault("prefix", "contoh")
        super().__init__(*args, **kwargs)
        for spec in form_fields:
            if spec["type"] in ("integer", "decimal"):
                self.fields[spec["code"]] = forms.CharField(
                    label=spec["label"], required=False, max_length=30,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
            elif spec["type"] == "choice":
                self.fields[spec["code"]] = forms.ChoiceField(
                    label=spec["label"], required=False,
                    choices=[("", _("Pilih"))] + [(c["value"], c["label"]) for c in spec.get("choices") or []],
                )
