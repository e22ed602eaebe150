"""Requirements of a permit type, as data: checking the declared form fields and documents, validating
an applicant's answers against them, and the inspection rule. Pure functions (no database).

A form field: {code, label, type: text|integer|decimal|date|choice|boolean, required, min, max,
min_field, choices: [{value, label}], help}. For text, min/max bound the length; for numbers, the value;
for dates, ISO dates. `min_field` (dates and numbers) names another field of the same kind that the
answer may not come before (a date) or fall below (a number): an end date on or after the start date.
Stored answers are JSON: int, decimal as a string ("12.5"), ISO date, str, bool.

A documentary requirement: {code, label, kinds: ["pdf", "jpeg", "png"], mandatory, max_mb}.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import FIELD_TYPES, FILE_KINDS

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 60
MAX_DOCUMENTS = 30
MAX_TEXT = 2000
MAX_DOC_MB = 20
RULE_OPS = (">", ">=", "<", "<=", "==")
TRUE_WORDS = {"1", "true", "on", "ya", "yes", "y"}
FALSE_WORDS = {"0", "false", "off", "tidak", "no", "n", ""}


def _num(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _choices(spec: dict) -> list[dict]:
    out = []
    for item in spec.get("choices") or []:
        if isinstance(item, dict):
            out.append({"value": str(item.get("value", "")), "label": str(item.get("label") or item.get("value", ""))})
        else:
            out.append({"value": str(item), "label": str(item)})
    return out


# --- the declaration ---------------------------------------------------------------------------------


NUMBER_TYPES = ("integer", "decimal")
ORDERED_TYPES = ("date", *NUMBER_TYPES)


def _kind_of(field_type: str | None) -> str | None:
    """What a field's answers can be compared with: "date", "number", or None."""
    if field_type == "date":
        return "date"
    return "number" if field_type in NUMBER_TYPES else None


def field_reference_errors(fields: list[dict]) -> list[tuple[str, str]]:
    """The problems of the fields' `min_field` references, as (code of the field that names it, message):
    the named field must exist, be another field, and be of the same kind (date with date, number with
    number)."""
    by_code = {f.get("code"): f for f in fields if isinstance(f, dict)}
    found = []
    for spec in fields:
        other_code = spec.get("min_field") if isinstance(spec, dict) else None
        if not other_code:
            continue
        code, kind = spec.get("code"), _kind_of(spec.get("type"))
        other = by_code.get(other_code)
        where = _("Isian \"%(code)s\"") % {"code": code}
        if kind is None:
            message = _("%(where)s: batas dari isian lain hanya untuk isian tanggal atau angka.") % {"where": where}
        elif other_code == code:
            message = _("%(where)s: batas dari isian lain harus menyebut isian lain, bukan isian itu sendiri.") % {
                "where": where
            }
        elif other is None:
            message = _(
                "%(where)s: batas dari isian lain menyebut \"%(other)s\", yang tidak ada di formulir ini. "
                "Tulis kode isian %(kind)s yang ada, misalnya \"mulai\"."
            ) % {"where": where, "other": other_code, "kind": _("tanggal") if kind == "date" else _("angka")}
        elif _kind_of(other.get("type")) != kind:
            message = _(
                "%(where)s: isian %(kind)s hanya dapat dibandingkan dengan isian %(kind)s, sedangkan \"%(other)s\" "
                "berjenis lain."
            ) % {"where": where, "kind": _("tanggal") if kind == "date" else _("angka"), "other": other_code}
        else:
            continue
        found.append((code, message))
    return found


def fields_normalise(fields: Any, *, check_references: bool = True) -> tuple[list[dict], list[str]]:
    """The declared form fields in canonical form, and every problem found (sentences, Indonesian).
    Without `check_references`, `min_field` names are kept unchecked (one row checked on its own)."""
    errors: list[str] = []
    if not isinstance(fields, list):
        return [], [_("Isian formulir harus berupa daftar. Tulis setiap isian sebagai objek dengan code, label dan type.")]
    if len(fields) > MAX_FIELDS:
        errors.append(_("Paling banyak %(n)s isian per formulir.") % {"n": MAX_FIELDS})
    out: list[dict] = []
    seen: set[str] = set()
    for index, raw in enumerate(fields, 1):
        if not isinstance(raw, dict):
            errors.append(_("Isian ke-%(n)s bukan objek.") % {"n": index})
            continue
        code = str(raw.get("code") or "").strip()
        where = _("Isian \"%(code)s\"") % {"code": code} if code else _("Isian ke-%(n)s") % {"n": index}
        if not CODE_RE.match(code):
            errors.append(
                _("%(where)s: kode harus huruf kecil, angka dan garis bawah, diawali huruf (misalnya \"luas_bangunan\").")
                % {"where": where}
            )
            continue
        if code in seen:
            errors.append(_("Kode isian \"%(code)s\" dipakai dua kali. Setiap isian perlu kode sendiri.") % {"code": code})
            continue
        seen.add(code)
        label = str(raw.get("label") or "").strip()
        if not label:
            errors.append(_("%(where)s: label kosong. Tulis pertanyaan yang dibaca pemohon.") % {"where": where})
        kind = raw.get("type")
        if kind not in FIELD_TYPES:
            errors.append(
                _("%(where)s: jenis \"%(type)s\" tidak dikenal. Pilih salah satu: %(choices)s.")
                % {"where": where, "type": kind, "choices": ", ".join(FIELD_TYPES)}
            )
            continue
        spec: dict[str, Any] = {
            "code": code, "label": label, "type": kind, "required": bool(raw.get("required", False)),
            "help": str(raw.get("help") or "").strip(),
        }
        low, high = raw.get("min"), raw.get("max")
        if kind in ("integer", "decimal", "text"):
            for name, value in (("min", low), ("max", high)):
                if value in (None, ""):
                    continue
                number = _num(value)
                if number is None or (kind in ("integer", "text") and number != number.to_integral_value()):
                    message = (
                        _("%(where)s: %(name)s harus angka.") if kind == "decimal"
                        else _("%(where)s: %(name)s harus angka bulat.")
                    )
                    errors.append(message % {"where": where, "name": name})
                    continue
                spec[name] = int(number) if kind != "decimal" else str(number)
            if "min" in spec and "max" in spec and Decimal(str(spec["min"])) > Decimal(str(spec["max"])):
                errors.append(_("%(where)s: min lebih besar dari max.") % {"where": where})
            if kind == "text" and spec.get("min", 0) < 0:
                errors.append(_("%(where)s: panjang minimal tidak boleh negatif.") % {"where": where})
        elif kind == "date":
            for name, value in (("min", low), ("max", high)):
                if value in (None, ""):
                    continue
                try:
                    spec[name] = datetime.date.fromisoformat(str(value)).isoformat()
                except ValueError:
                    errors.append(_("%(where)s: %(name)s harus tanggal TTTT-BB-HH.") % {"where": where, "name": name})
        elif low not in (None, "") or high not in (None, ""):
            errors.append(_("%(where)s: min dan max hanya untuk isian teks, angka atau tanggal.") % {"where": where})
        min_field = str(raw.get("min_field") or "").strip()
        if min_field:
            spec["min_field"] = min_field
        if kind == "choice":
            choices = _choices(raw)
            values = [c["value"] for c in choices]
            if not choices or any(not v.strip() for v in values):
                errors.append(_("%(where)s: pilihan kosong. Tulis setidaknya satu pilihan dengan value dan label.") % {"where": where})
            elif len(set(values)) != len(values):
                errors.append(_("%(where)s: ada nilai pilihan yang sama. Setiap pilihan perlu nilai sendiri.") % {"where": where})
            spec["choices"] = choices
        elif raw.get("choices"):
            errors.append(_("%(where)s: daftar pilihan hanya untuk isian berjenis choice.") % {"where": where})
        out.append(spec)
    if check_references:
        errors.extend(message for _code, message in field_reference_errors(out))
    return out, errors


def documents_normalise(documents: Any) -> tuple[list[dict], list[str]]:
    """The declared documentary requirements in canonical form, and every problem found."""
    errors: list[str] = []
    if not isinstance(documents, list):
        return [], [_("Dokumen persyaratan harus berupa daftar. Tulis setiap dokumen sebagai objek dengan code dan label.")]
    if len(documents) > MAX_DOCUMENTS:
        errors.append(_("Paling banyak %(n)s dokumen persyaratan.") % {"n": MAX_DOCUMENTS})
    out: list[dict] = []
    seen: set[str] = set()
    for index, raw in enumerate(documents, 1):
        if not isinstance(raw, dict):
            errors.append(_("Dokumen ke-%(n)s bukan objek.") % {"n": index})
            continue
        code = str(raw.get("code") or "").strip()
        where = _("Dokumen \"%(code)s\"") % {"code": code} if code else _("Dokumen ke-%(n)s") % {"n": index}
        if not CODE_RE.match(code):
            errors.append(
                _("%(where)s: kode harus huruf kecil, angka dan garis bawah, diawali huruf (misalnya \"ktp\").")
                % {"where": where}
            )
            continue
        if code in seen:
            errors.append(_("Kode dokumen \"%(code)s\" dipakai dua kali.") % {"code": code})
            continue
        seen.add(code)
        label = str(raw.get("label") or "").strip()
        if not label:
            errors.append(_("%(where)s: label kosong. Tulis nama dokumen yang dibaca pemohon.") % {"where": where})
        kinds = raw.get("kinds") or ["pdf"]
        if not isinstance(kinds, list) or not kinds or any(k not in FILE_KINDS for k in kinds):
            errors.append(
                _("%(where)s: format berkas harus di antara %(kinds)s.") % {"where": where, "kinds": ", ".join(FILE_KINDS)}
            )
            kinds = ["pdf"]
        max_mb = raw.get("max_mb", 5)
        if isinstance(max_mb, bool) or not isinstance(max_mb, int) or not 1 <= max_mb <= MAX_DOC_MB:
            errors.append(
                _("%(where)s: ukuran maksimal harus bilangan bulat 1 sampai %(n)s MB.") % {"where": where, "n": MAX_DOC_MB}
            )
            max_mb = 5
        out.append({
            "code": code, "label": label, "kinds": [k for k in FILE_KINDS if k in kinds],
            "mandatory": bool(raw.get("mandatory", True)), "max_mb": max_mb,
            "help": str(raw.get("help") or "").strip(),
        })
    return out, errors


def rule_normalise(rule: Any, fields: list[dict]) -> tuple[dict, list[str]]:
    """An inspection rule {field, op, value}: `field` is a numeric field's code, or codes joined by "*"
    (their product, e.g. "lebar*tinggi" for a board's area)."""
    if not isinstance(rule, dict) or not rule:
        return {}, [_("Tulis aturan survei lapangan: isian angka, pembanding dan nilai, misalnya lebar*tinggi > 10.")]
    errors: list[str] = []
    numeric = {f["code"] for f in fields if f["type"] in ("integer", "decimal")}
    parts = [p.strip() for p in str(rule.get("field") or "").split("*")]
    if not parts or any(p not in numeric for p in parts):
        errors.append(
            _("Aturan survei lapangan memakai isian \"%(field)s\" yang bukan isian angka formulir ini. Isian angka: %(known)s.")
            % {"field": rule.get("field"), "known": ", ".join(sorted(numeric)) or "-"}
        )
    op = rule.get("op")
    if op not in RULE_OPS:
        errors.append(_("Pembanding aturan survei harus salah satu dari %(ops)s.") % {"ops": " ".join(RULE_OPS)})
    value = _num(rule.get("value"))
    if value is None:
        errors.append(_("Nilai aturan survei harus angka."))
    return {"field": "*".join(parts), "op": op, "value": str(value) if value is not None else None}, errors


def rule_matches(rule: dict, values: dict[str, Any]) -> bool:
    """Whether typed form `values` satisfy the rule (a missing operand never matches)."""
    if not rule:
        return False
    product = Decimal(1)
    for code in str(rule.get("field") or "").split("*"):
        number = _num(values.get(code))
        if number is None:
            return False
        product *= number
    limit = Decimal(str(rule.get("value")))
    op = rule.get("op")
    return {
        ">": product > limit, ">=": product >= limit, "<": product < limit, "<=": product <= limit, "==": product == limit,
    }.get(op, False)


# --- the answers -------------------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_one(spec: dict, value: Any) -> Any:
    """A JSON-able clean value, or ValidationError with the message for this field."""
    kind, label = spec["type"], spec["label"]
    if kind == "text":
        text = str(value).strip()
        low, high = spec.get("min"), spec.get("max") or MAX_TEXT
        if len(text) > high:
            raise ValidationError(_("%(label)s paling panjang %(n)s karakter. Persingkat isiannya.") % {"label": label, "n": high})
        if low and len(text) < low:
            raise ValidationError(_("%(label)s paling sedikit %(n)s karakter.") % {"label": label, "n": low})
        return text
    if kind in ("integer", "decimal"):
        number = _num(value)
        if number is None or (kind == "integer" and number != number.to_integral_value()):
            example = "12" if kind == "integer" else "12,5"
            message = (
                _("%(label)s harus berupa angka bulat, misalnya %(example)s.") if kind == "integer"
                else _("%(label)s harus berupa angka, misalnya %(example)s.")
            )
            raise ValidationError(message % {"label": label, "example": example})
        low, high = spec.get("min"), spec.get("max")
        if low is not None and number < Decimal(str(low)):
            raise ValidationError(_("%(label)s paling kecil %(n)s.") % {"label": label, "n": str(low).replace(".", ",")})
        if high is not None and number > Decimal(str(high)):
            raise ValidationError(_("%(label)s paling besar %(n)s.") % {"label": label, "n": str(high).replace(".", ",")})
        if kind == "integer":
            return int(number)
        return format(number.normalize(), "f")
    if kind == "date":
        if isinstance(value, datetime.date):
            day = value
        else:
            try:
                day = datetime.date.fromisoformat(str(value).strip())
            except ValueError:
                raise ValidationError(
                    _("%(label)s harus tanggal yang benar, misalnya 2026-03-17.") % {"label": label}
                ) from None
        if spec.get("min") and day < datetime.date.fromisoformat(spec["min"]):
            raise ValidationError(_("%(label)s tidak boleh sebelum %(d)s.") % {"label": label, "d": spec["min"]})
        if spec.get("max") and day > datetime.date.fromisoformat(spec["max"]):
            raise ValidationError(_("%(label)s tidak boleh sesudah %(d)s.") % {"label": label, "d": spec["max"]})
        return day.isoformat()
    if kind == "choice":
        text = str(value).strip()
        if text not in {c["value"] for c in spec.get("choices", [])}:
            raise ValidationError(_("Pilih salah satu pilihan %(label)s.") % {"label": label})
        return text
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(_("%(label)s harus ya atau tidak.") % {"label": label})
    raise ValidationError(_("Jenis isian tidak dikenal."))  # pragma: no cover - declarations are checked


def form_validate(*, fields: list[dict], data: dict, partial: bool = False) -> dict:
    """The applicant's answers cleaned against the declared `fields`, or ValidationError by field code.

    With `partial` (a draft), missing answers are allowed but given ones must be valid. Unknown keys
    are dropped. A required boolean must be answered "ya" (a declaration the applicant must tick).
    """
    data = data or {}
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in fields:
        code = spec["code"]
        value = data.get(code)
        if _empty(value) or (spec["type"] == "boolean" and spec.get("required") and value in (False, "false", "0", "off")):
            if spec.get("required") and not partial:
                if spec["type"] == "boolean":
                    errors[code] = _("Centang %(label)s untuk melanjutkan.") % {"label": spec["label"]}
                elif spec["type"] == "choice":
                    errors[code] = _("Pilih %(label)s.") % {"label": spec["label"]}
                else:
                    errors[code] = _("Isi %(label)s.") % {"label": spec["label"]}
            if spec["type"] == "boolean" and not _empty(value):
                cleaned[code] = False
            continue
        try:
            cleaned[code] = _clean_one(spec, value)
        except ValidationError as exc:
            errors[code] = exc.messages[0]
    for code, message in order_errors(fields=fields, data=cleaned).items():
        errors.setdefault(code, message)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _comparable(spec: dict, value: Any) -> Any:
    if spec["type"] == "date":
        return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    return _num(value)


def order_errors(*, fields: list[dict], data: dict, codes: set[str] | None = None) -> dict[str, str]:
    """Answers that come before the field their `min_field` names (dates) or fall below it (numbers),
    keyed by the later field, with a message naming the earlier one and its answer. Checked where both
    fields are among `fields` and answered in `data` (cleaned answers); with `codes`, only those fields'
    problems are reported."""
    by_code = {spec["code"]: spec for spec in fields}
    errors: dict[str, str] = {}
    for spec in fields:
        code, other = spec["code"], by_code.get(spec.get("min_field") or "")
        if other is None or (codes is not None and code not in codes):
            continue
        if _empty(data.get(code)) or _empty(data.get(other["code"])):
            continue
        try:
            value, limit = _comparable(spec, data[code]), _comparable(other, data[other["code"]])
        except (TypeError, ValueError):
            continue  # a malformed answer has its own message
        if value is None or limit is None or value >= limit:
            continue
        shown = {"label": spec["label"], "other": other["label"], "value": display_value(other, data[other["code"]])}
        if spec["type"] == "date":
            errors[code] = _("%(label)s tidak boleh sebelum %(other)s (%(value)s).") % shown
        else:
            errors[code] = _("%(label)s tidak boleh lebih kecil dari %(other)s (%(value)s).") % shown
    return errors


def typed_values(*, fields: list[dict], form_data: dict) -> dict[str, Any]:
    """Stored answers as Python values for calculations: int, Decimal, date, bool, str (a choice's value;
    the fee engine maps it to a number through its `lookups`)."""
    out: dict[str, Any] = {}
    for spec in fields:
        code = spec["code"]
        if code not in (form_data or {}):
            continue
        value = form_data[code]
        if spec["type"] == "decimal":
            out[code] = _num(value)
        elif spec["type"] == "date":
            out[code] = datetime.date.fromisoformat(value) if isinstance(value, str) else value
        elif spec["type"] == "choice":
            out[code] = str(value)
        else:
            out[code] = value
    return out


def display_value(spec: dict, value: Any) -> str:
    """An answer as people read it (choice labels, "Ya"/"Tidak", Indonesian decimals and dates)."""
    if value is None or value == "":
        return "-"
    kind = spec.get("type")
    if kind == "choice":
        return next((c["label"] for c in spec.get("choices", []) if c["value"] == str(value)), str(value))
    if kind == "boolean":
        return _("Ya") if value else _("Tidak")
    if kind == "decimal":
        return str(value).replace(".", ",")
    if kind == "integer":
        return f"{int(value):,}".replace(",", ".")
    if kind == "date":
        from django.utils import formats

        return formats.date_format(datetime.date.fromisoformat(str(value)), "j F Y")
    return str(value)


def fields_for_fees(fields: list[dict]) -> list[dict]:
    """The declared fields in the shape the fee engine reads (choices as [value, label] pairs)."""
    out = []
    for spec in fields:
        item = dict(spec)
        if spec.get("type") == "choice":
            item["choices"] = [[c["value"], c["label"]] for c in spec.get("choices", [])]
        out.append(item)
    return out
