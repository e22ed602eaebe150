"""Permit fees: the five fee models of the catalogue, checked when a permit type is saved and computed
from an applicant's form (the public fee simulator, and the bill at submission).

Money is integer rupiah. Quantities, rates and a formula's intermediate results are `Decimal` computed
with ROUND_HALF_UP; each model says where it turns the result into whole rupiah.

The "formula" model is a small arithmetic language. A formula is read with `ast.parse(mode="eval")`
(which builds a syntax tree and runs nothing) and walked node by node; only numbers, declared numeric
form fields, choice fields mapped to numbers through `lookups`, + - * /, unary minus, parentheses and
the functions min, max, round, ceil and floor are accepted. Python never evaluates the formula (no
`eval`, `exec` or `compile` to code), so a formula can do arithmetic and nothing else.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MODELS = ("none", "fixed", "per_unit", "tiered", "formula")
NUMERIC_TYPES = ("decimal", "integer")
ROUNDINGS = ("nearest", "down", "up_1000")
FUNCTIONS = ("min", "max", "round", "ceil", "floor")

MAX_AMOUNT = 10**15  # no permit fee comes near a quadrillion rupiah: a bigger number is a typo
MAX_EXPRESSION_LENGTH = 500
MAX_EXPRESSION_DEPTH = 40
MAX_TIERS = 50
ROUND_DIGITS = (-12, 6)  # round(x, n) accepts n in this range: -3 rounds to thousands

_MAX_INTERMEDIATE = Decimal(10) ** 24
# 34 significant digits (IEEE decimal128) hold every realistic fee exactly; what overflows is refused.
_CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP, Emax=99, Emin=-99, traps=[InvalidOperation, DivisionByZero, Overflow])
_ONE = Decimal(1)
_THOUSAND = Decimal(1000)

_CONFIG_KEYS = {
    "none": (),
    "fixed": ("amount",),
    "per_unit": ("field", "unit_price", "unit_label", "minimum", "labels"),
    "tiered": ("field", "tiers", "unit_label", "labels"),
    "formula": ("expression", "rounding", "lookups", "labels"),
}
_TYPE_NAMES = {
    "text": "teks",
    "choice": "pilihan",
    "date": "tanggal",
    "boolean": "ya/tidak",
    "decimal": "angka desimal",
    "integer": "bilangan bulat",
}


class FeeModelError(ValidationError):
    """A fee configuration, or an applicant's input, from which no fee can be computed.

    The message is for people: in Indonesian, it says what is wrong and what to do. `field` is the code of
    the form field at fault when there is one, so that a form can show the message next to it.
    """

    def __init__(self, message, code: str = "invalid", field: str | None = None):
        super().__init__(message, code=code)
        self.field = field


@dataclass(frozen=True)
class FeeQuote:
    """A computed fee: `amount` in integer rupiah, `lines` that add up to it, and an `explanation` for the
    applicant showing how it was computed."""

    amount: int
    lines: list[tuple[str, int]]
    explanation: str


# --- formatting -------------------------------------------------------------------------------------


def rupiah(amount: int) -> str:
    """`Rp 14.062.500` (the same form as the `|rupiah` template filter)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


def number_id(value: Decimal | int) -> str:
    """A number as Indonesians write it: dots between thousands, a comma before decimals (`1.250,5`)."""
    with localcontext(Context(prec=80, rounding=ROUND_HALF_UP)):
        value = Decimal(value)
        value = value.quantize(_ONE) if value == value.to_integral_value() else value.normalize()
        text = format(value, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _dot, fraction = text.lstrip("-").partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"


def _shown(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= 30 else text[:29] + "…"


# --- configuration values ---------------------------------------------------------------------------


def _config_int(value: object, *, what: str) -> int:
    """A rupiah amount in the configuration: a whole, non-negative number of rupiah."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"\d{1,16}", value.strip()):
        number = int(value.strip())
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value) if abs(value) <= MAX_AMOUNT else MAX_AMOUNT + 1
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        number = int(value) if abs(value) <= MAX_AMOUNT else MAX_AMOUNT + 1
    if number is None:
        raise FeeModelError(
            _("%(what)s harus berupa bilangan bulat rupiah tanpa titik atau koma, misalnya 150000.") % {"what": what}
        )
    if number < 0:
        raise FeeModelError(_("%(what)s tidak boleh negatif: isi 0 atau lebih.") % {"what": what})
    if number > MAX_AMOUNT:
        raise FeeModelError(
            _("%(what)s melebihi batas %(max)s: periksa jumlah angka nolnya.") % {"what": what, "max": rupiah(MAX_AMOUNT)}
        )
    return number


def _config_decimal(value: object, *, what: str) -> Decimal:
    """A non-negative number in the configuration (a tier bound, a lookup rate): whole or decimal."""
    number: Decimal | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = Decimal(value) if abs(value) <= MAX_AMOUNT else Decimal(MAX_AMOUNT + 1)
    elif isinstance(value, float) and math.isfinite(value):
        number = Decimal(repr(value)) if abs(value) <= MAX_AMOUNT else Decimal(MAX_AMOUNT + 1)
    elif isinstance(value, Decimal) and value.is_finite():
        number = value if abs(value) <= MAX_AMOUNT else Decimal(MAX_AMOUNT + 1)
    elif isinstance(value, str):
        text = value.strip().replace(",", ".")
        if re.fullmatch(r"-?\d{1,16}(\.\d{1,10})?", text):
            number = Decimal(text)
    if number is None:
        raise FeeModelError(
            _("%(what)s harus berupa angka, misalnya 100 atau 0.65 (tanpa pemisah ribuan).") % {"what": what}
        )
    if number < 0:
        raise FeeModelError(_("%(what)s tidak boleh negatif: isi 0 atau lebih.") % {"what": what})
    if number > MAX_AMOUNT:
        raise FeeModelError(
            _("%(what)s melebihi batas %(max)s: periksa jumlah angka nolnya.")
            % {"what": what, "max": number_id(MAX_AMOUNT)}
        )
    return number


def _json_number(value: Decimal) -> int | str:
    """A Decimal stored in the JSON configuration: an int when whole, else its exact decimal text."""
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


def _refuse_unknown_keys(config: Mapping, model: str) -> None:
    allowed = _CONFIG_KEYS[model]
    unknown = sorted(str(key) for key in config if key not in allowed)
    if unknown:
        raise FeeModelError(
            _("Pengaturan biaya model %(model)s tidak mengenal %(keys)s. Hapus isian itu; yang dikenal: %(allowed)s.")
            % {"model": model, "keys": ", ".join(unknown), "allowed": ", ".join(allowed) or "-"}
        )


def _fields_by_code(fields: object) -> dict[str, dict]:
    result: dict[str, dict] = {}
    if isinstance(fields, list | tuple):
        for field in fields:
            if isinstance(field, dict) and isinstance(field.get("code"), str) and field["code"]:
                result[field["code"]] = field
    return result


def _field_label(field: dict) -> str:
    label = field.get("label")
    return label if isinstance(label, str) and label.strip() else field["code"]


def _field_type(field: dict) -> str:
    kind = field.get("type")
    return kind if isinstance(kind, str) else ""


def _numeric_codes(fields_by_code: dict[str, dict]) -> list[str]:
    return sorted(code for code, field in fields_by_code.items() if _field_type(field) in NUMERIC_TYPES)


def _known_numeric(fields_by_code: dict[str, dict]) -> str:
    codes = _numeric_codes(fields_by_code)
    return ", ".join(codes) if codes else _("belum ada; tambahkan dulu isian berjenis angka ke formulir")


def _type_name(kind: str) -> str:
    return _TYPE_NAMES.get(kind, kind or _("tanpa jenis"))


def _basis_field(config: Mapping, fields_by_code: dict[str, dict] | None) -> str:
    """The numeric form field a per-unit or tiered fee is computed from."""
    code = config.get("field")
    if fields_by_code is None:  # at compute time the configuration was checked when it was saved
        if not isinstance(code, str) or not code:
            raise FeeModelError(_("Pengaturan biaya tidak lengkap: isian dasar perhitungan belum dipilih. Hubungi pengelola layanan."))
        return code
    if not isinstance(code, str) or not code.strip():
        raise FeeModelError(
            _("Pilih isian angka yang menjadi dasar perhitungan biaya (field). Isian angka yang tersedia: %(known)s.")
            % {"known": _known_numeric(fields_by_code)}
        )
    code = code.strip()
    if code not in fields_by_code:
        raise FeeModelError(
            _("Isian '%(code)s' tidak ada di formulir jenis izin ini. Pilih salah satu isian angka: %(known)s.")
            % {"code": code, "known": _known_numeric(fields_by_code)}
        )
    field = fields_by_code[code]
    if _field_type(field) not in NUMERIC_TYPES:
        raise FeeModelError(
            _("Isian '%(label)s' berjenis %(type)s, bukan angka. Pilih isian angka: %(known)s.")
            % {
                "label": _field_label(field),
                "type": _type_name(_field_type(field)),
                "known": _known_numeric(fields_by_code),
            }
        )
    return code


def _unit_label(config: Mapping) -> str:
    label = config.get("unit_label", "")
    if label is None:
        return ""
    if not isinstance(label, str) or len(label) > 20:
        raise FeeModelError(_("Satuan (unit_label) harus berupa teks pendek, paling banyak 20 karakter, misalnya m²."))
    return label.strip()


def _labels(config: Mapping) -> dict[str, str]:
    labels = config.get("labels")
    if not isinstance(labels, dict):
        return {}
    return {code: label for code, label in labels.items() if isinstance(code, str) and isinstance(label, str)}


# --- the applicant's values -------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _value_number(values: Mapping, code: str, labels: dict[str, str]) -> Decimal:
    """The applicant's number in field `code`. Accepts numbers and text such as `12`, `2.5` or `2,5`
    (a comma is the Indonesian decimal mark); thousands separators are refused rather than guessed."""
    label = labels.get(code, code)
    raw = values.get(code) if isinstance(values, Mapping) or hasattr(values, "get") else None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise FeeModelError(
            _("Isian '%(label)s' wajib diisi untuk menghitung biaya.") % {"label": label}, code="required", field=code
        )
    number: Decimal | None = None
    if isinstance(raw, bool):
        number = None
    elif isinstance(raw, int):
        number = Decimal(raw) if abs(raw) <= MAX_AMOUNT else Decimal(MAX_AMOUNT + 1)
    elif isinstance(raw, float):
        number = Decimal(repr(raw)) if math.isfinite(raw) else None
    elif isinstance(raw, Decimal):
        number = raw if raw.is_finite() else None
    elif isinstance(raw, str):
        text = raw.strip().replace(" ", "")
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        if len(text) <= 40 and _NUMBER.fullmatch(text):
            number = Decimal(text)
    if number is None:
        raise FeeModelError(
            _("Isian '%(label)s' harus berupa angka, misalnya 12 atau 2,5 (tanpa pemisah ribuan); yang diisi: %(raw)s.")
            % {"label": label, "raw": _shown(raw)},
            field=code,
        )
    if number < 0:
        raise FeeModelError(
            _("Isian '%(label)s' tidak boleh negatif: isi 0 atau lebih.") % {"label": label}, field=code
        )
    if number > MAX_AMOUNT:
        raise FeeModelError(
            _("Isian '%(label)s' terlalu besar (lebih dari %(max)s): periksa jumlah angka nolnya.")
            % {"label": label, "max": number_id(MAX_AMOUNT)},
            field=code,
        )
    return number


def _whole_rupiah(amount: Decimal, *, what: str) -> int:
    """Half a rupiah or more rounds up (ROUND_HALF_UP), as on a bill."""
    if amount > MAX_AMOUNT:
        raise FeeModelError(
            _("%(what)s melebihi batas %(max)s: periksa pengaturan biaya dan isian formulir.")
            % {"what": what, "max": rupiah(MAX_AMOUNT)}
        )
    return int(amount.quantize(_ONE, rounding=ROUND_HALF_UP))


# --- none, fixed, per unit --------------------------------------------------------------------------


def _validate_fixed(config: Mapping) -> dict:
    if "amount" not in config:
        raise FeeModelError(_("Isi besar biaya tetap (amount) dalam rupiah, misalnya 150000."))
    return {"amount": _config_int(config["amount"], what=_("Biaya tetap"))}


def _compute_fixed(config: Mapping) -> FeeQuote:
    amount = _validate_fixed(config)["amount"]
    return FeeQuote(amount, [(_("Biaya tetap"), amount)], _("Biaya tetap %(amount)s.") % {"amount": rupiah(amount)})


def _validate_per_unit(config: Mapping, fields_by_code: dict[str, dict] | None) -> dict:
    code = _basis_field(config, fields_by_code)
    if "unit_price" not in config:
        raise FeeModelError(_("Isi harga per satuan (unit_price) dalam rupiah, misalnya 10000."))
    normal = {
        "field": code,
        "unit_price": _config_int(config["unit_price"], what=_("Harga per satuan")),
        "unit_label": _unit_label(config),
        "minimum": _config_int(config.get("minimum") or 0, what=_("Biaya minimum")),
    }
    if fields_by_code is not None:
        normal["labels"] = {code: _field_label(fields_by_code[code])}
    return normal


def _quantity(number: Decimal, unit_label: str) -> str:
    return f"{number_id(number)} {unit_label}" if unit_label else number_id(number)


def _compute_per_unit(config: Mapping, values: Mapping) -> FeeQuote:
    normal = _validate_per_unit(config, None)
    labels = _labels(config)
    code = normal["field"]
    label = labels.get(code, code)
    quantity = _value_number(values, code, labels)
    with localcontext(_CONTEXT):
        subtotal = _whole_rupiah(quantity * normal["unit_price"], what=_("Biaya"))
    step = f"{_quantity(quantity, normal['unit_label'])} × {rupiah(normal['unit_price'])}"
    lines = [(f"{label}: {step}", subtotal)]
    explanation = f"{step} = {rupiah(subtotal)}"
    amount = subtotal
    if subtotal < normal["minimum"]:
        amount = normal["minimum"]
        lines.append((_("Penyesuaian ke biaya minimum"), amount - subtotal))
        explanation += "; " + _("di bawah biaya minimum, dikenakan %(amount)s") % {"amount": rupiah(amount)}
    return FeeQuote(amount, lines, explanation + ".")


# --- tiered -----------------------------------------------------------------------------------------


def _validate_tiered(config: Mapping, fields_by_code: dict[str, dict] | None) -> dict:
    """A bracket table: the first tier whose `up_to` is at least the value applies, and charges either a
    fixed `amount` or `rate` × the whole value (not marginal rates per bracket). The bounds ascend and the
    last tier has no bound (`up_to` null), so every value falls in exactly one tier."""
    code = _basis_field(config, fields_by_code)
    tiers = config.get("tiers")
    example = _('misalnya [{"up_to": 100, "amount": 500000}, {"up_to": null, "rate": 7500}]')
    if not isinstance(tiers, list) or not tiers:
        raise FeeModelError(_("Isi tabel tarif bertingkat (tiers) dengan paling sedikit satu golongan, %(example)s.") % {"example": example})
    if len(tiers) > MAX_TIERS:
        raise FeeModelError(_("Tabel tarif paling banyak %(max)d golongan; gabungkan golongan yang tarifnya sama.") % {"max": MAX_TIERS})
    normal_tiers = []
    previous: Decimal | None = None
    for position, tier in enumerate(tiers, start=1):
        if not isinstance(tier, dict):
            raise FeeModelError(_("Golongan ke-%(n)d harus berisi up_to dan amount atau rate, %(example)s.") % {"n": position, "example": example})
        unknown = sorted(str(key) for key in tier if key not in ("up_to", "amount", "rate"))
        if unknown:
            raise FeeModelError(
                _("Golongan ke-%(n)d tidak mengenal %(keys)s; yang dikenal: up_to, amount, rate.")
                % {"n": position, "keys": ", ".join(unknown)}
            )
        last = position == len(tiers)
        up_to = tier.get("up_to")
        if up_to is None and not last:
            raise FeeModelError(
                _("Hanya golongan terakhir yang boleh tanpa batas atas; isi up_to golongan ke-%(n)d.") % {"n": position}
            )
        if up_to is not None and last:
            raise FeeModelError(
                _("Golongan terakhir harus tanpa batas atas (up_to kosong/null) agar setiap nilai mendapat tarif; tambahkan golongan penutup.")
            )
        bound = None
        if up_to is not None:
            bound = _config_decimal(up_to, what=_("Batas atas golongan ke-%(n)d") % {"n": position})
            if previous is not None and bound <= previous:
                raise FeeModelError(
                    _("Batas atas golongan harus naik: golongan ke-%(n)d (%(bound)s) tidak lebih besar dari golongan sebelumnya (%(previous)s).")
                    % {"n": position, "bound": number_id(bound), "previous": number_id(previous)}
                )
            previous = bound
        if ("amount" in tier) == ("rate" in tier):
            raise FeeModelError(
                _("Golongan ke-%(n)d harus berisi tepat satu dari amount (biaya tetap) atau rate (tarif per satuan).")
                % {"n": position}
            )
        normal_tier: dict = {"up_to": None if bound is None else _json_number(bound)}
        if "amount" in tier:
            normal_tier["amount"] = _config_int(tier["amount"], what=_("Biaya golongan ke-%(n)d") % {"n": position})
        else:
            normal_tier["rate"] = _config_int(tier["rate"], what=_("Tarif golongan ke-%(n)d") % {"n": position})
        normal_tiers.append(normal_tier)
    normal = {"field": code, "tiers": normal_tiers, "unit_label": _unit_label(config)}
    if fields_by_code is not None:
        normal["labels"] = {code: _field_label(fields_by_code[code])}
    return normal


def _compute_tiered(config: Mapping, values: Mapping) -> FeeQuote:
    normal = _validate_tiered(config, None)
    labels = _labels(config)
    code = normal["field"]
    label = labels.get(code, code)
    unit = normal["unit_label"]
    value = _value_number(values, code, labels)
    lower: Decimal | None = None
    for tier in normal["tiers"]:
        bound = None if tier["up_to"] is None else Decimal(str(tier["up_to"]))
        if bound is None or value <= bound:
            break
        lower = bound
    if lower is None and bound is None:
        bracket = _("semua nilai")
    elif lower is None:
        bracket = _("sampai dengan %(bound)s") % {"bound": _quantity(bound, unit)}
    elif bound is None:
        bracket = _("di atas %(lower)s") % {"lower": _quantity(lower, unit)}
    else:
        bracket = _("di atas %(lower)s sampai dengan %(bound)s") % {
            "lower": _quantity(lower, unit),
            "bound": _quantity(bound, unit),
        }
    head = _("%(label)s %(value)s masuk golongan %(bracket)s") % {
        "label": label,
        "value": _quantity(value, unit),
        "bracket": bracket,
    }
    if "amount" in tier:
        amount = tier["amount"]
        step = _("biaya tetap %(amount)s") % {"amount": rupiah(amount)}
    else:
        with localcontext(_CONTEXT):
            amount = _whole_rupiah(value * tier["rate"], what=_("Biaya"))
        step = f"{_quantity(value, unit)} × {rupiah(tier['rate'])} = {rupiah(amount)}"
    return FeeQuote(amount, [(head, amount)], f"{head}: {step}.")


# --- formula ----------------------------------------------------------------------------------------

def _allowed() -> str:
    return _("Rumus hanya boleh berisi angka, isian angka formulir, + - * /, tanda kurung, dan fungsi %(functions)s.") % {
        "functions": ", ".join(FUNCTIONS)
    }


def _refuse(what: str) -> FeeModelError:
    return FeeModelError(f"{what} {_allowed()}", code="formula")


def _expression_text(expression: object) -> str:
    if not isinstance(expression, str) or not expression.strip():
        raise FeeModelError(
            _("Tulis rumus biaya (expression), misalnya 0.25 * lebar * tinggi * lama_hari * tarif_lokasi."), code="formula"
        )
    text = expression.strip()
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise FeeModelError(
            _("Rumus terlalu panjang (%(length)d karakter); batasnya %(max)d karakter. Sederhanakan rumusnya atau pakai tabel tarif.")
            % {"length": len(text), "max": MAX_EXPRESSION_LENGTH},
            code="formula",
        )
    return text


def _parse(text: str) -> ast.expr:
    """The syntax tree of a formula. `ast.parse` only reads the text; nothing in it runs."""
    unreadable = _("Rumus tidak dapat dibaca%(where)s: periksa tanda kurung dan operatornya, dan pakai titik sebagai tanda desimal (0.25).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings about odd literals are not for the user
            tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        where = _(" di sekitar karakter ke-%(n)d") % {"n": error.offset} if isinstance(error.offset, int) else ""
        raise FeeModelError(unreadable % {"where": where}, code="formula") from None
    except (ValueError, RecursionError, MemoryError, OverflowError):
        raise FeeModelError(unreadable % {"where": ""}, code="formula") from None
    depth = 0
    stack = [(tree.body, 1)]
    while stack:  # iterative, so that a deep tree cannot exhaust the stack before it is refused
        node, level = stack.pop()
        depth = max(depth, level)
        if depth > MAX_EXPRESSION_DEPTH:
            raise FeeModelError(
                _("Rumus terlalu bertingkat (lebih dari %(max)d tingkat): sederhanakan rumusnya.") % {"max": MAX_EXPRESSION_DEPTH},
                code="formula",
            )
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))
    return tree.body


def _literal(node: ast.Constant) -> Decimal:
    """A number written in the formula, exactly as written (0.1 is one tenth, not a binary float)."""
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _refuse(_("Nilai %(value)s tidak diperbolehkan dalam rumus.") % {"value": _shown(repr(value))})
    if isinstance(value, float) and not math.isfinite(value):
        raise FeeModelError(_("Angka dalam rumus terlalu besar: tulis angka biasa, misalnya 125000."), code="formula")
    if abs(value) > MAX_AMOUNT:
        raise FeeModelError(
            _("Angka %(value)s dalam rumus terlalu besar (batasnya %(max)s): periksa jumlah angka nolnya.")
            % {"value": _shown(value), "max": number_id(MAX_AMOUNT)},
            code="formula",
        )
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _round_digits(node: ast.expr) -> int | None:
    """The second argument of round(): a whole number written in the formula, possibly negative."""
    negative = False
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        negative, node = True, node.operand
    if isinstance(node, ast.Constant) and type(node.value) is int:
        digits = -node.value if negative else node.value
        if ROUND_DIGITS[0] <= digits <= ROUND_DIGITS[1]:
            return digits
    return None


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_COLLECTIONS = (ast.List, ast.Tuple, ast.Set, ast.Dict)


def _check(node: ast.expr, check_name: Callable[[ast.Name], None]) -> None:
    """Refuse anything but the arithmetic whitelist, with a message that names what was written."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str | bytes):
            raise _refuse(_("Teks (%(value)s) tidak diperbolehkan dalam rumus.") % {"value": _shown(repr(node.value))})
        if isinstance(node.value, bool):
            raise _refuse(_("Nilai benar/salah (%(value)s) tidak diperbolehkan dalam rumus.") % {"value": node.value})
        _literal(node)
    elif isinstance(node, ast.Name):
        check_name(node)
    elif isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Pow):
            raise _refuse(_("Pangkat (**) tidak diperbolehkan: tulis perkaliannya, misalnya lebar * lebar."))
        if isinstance(node.op, ast.FloorDiv | ast.Mod):
            raise _refuse(_("Operator // dan % tidak diperbolehkan: pakai floor(a / b) untuk pembagian bulat."))
        if not isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
            raise _refuse(_("Operator '%(op)s' tidak diperbolehkan.") % {"op": _operator_text(node)})
        _check(node.left, check_name)
        _check(node.right, check_name)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise _refuse(_("Operator '%(op)s' tidak diperbolehkan.") % {"op": _operator_text(node)})
        _check(node.operand, check_name)
    elif isinstance(node, ast.Call):
        _check_call(node, check_name)
    elif isinstance(node, ast.Attribute):
        raise _refuse(_("Akses atribut ('.%(attr)s') tidak diperbolehkan dalam rumus.") % {"attr": _shown(node.attr)})
    elif isinstance(node, ast.Subscript):
        raise _refuse(_("Tanda kurung siku [ ] (indeks) tidak diperbolehkan dalam rumus."))
    elif isinstance(node, ast.Lambda):
        raise _refuse(_("Fungsi lambda tidak diperbolehkan dalam rumus."))
    elif isinstance(node, _COMPREHENSIONS):
        raise _refuse(_("Perulangan (for ... in ...) tidak diperbolehkan dalam rumus."))
    elif isinstance(node, ast.Compare | ast.BoolOp | ast.IfExp):
        raise _refuse(
            _("Perbandingan dan logika (<, ==, and, or, if) tidak diperbolehkan: pakai min(), max() atau model tarif bertingkat.")
        )
    elif isinstance(node, ast.JoinedStr):
        raise _refuse(_("Teks (f-string) tidak diperbolehkan dalam rumus."))
    elif isinstance(node, _COLLECTIONS):
        raise _refuse(_("Daftar atau kumpulan nilai ([ ], ( , ), { }) tidak diperbolehkan dalam rumus."))
    else:
        raise _refuse(_("Bagian rumus '%(part)s' tidak diperbolehkan.") % {"part": _shown(_source(node))})


def _check_call(node: ast.Call, check_name: Callable[[ast.Name], None]) -> None:
    if isinstance(node.func, ast.Attribute):
        raise _refuse(_("Akses atribut ('.%(attr)s') tidak diperbolehkan dalam rumus.") % {"attr": _shown(node.func.attr)})
    if not isinstance(node.func, ast.Name):
        raise _refuse(_("Bagian rumus '%(part)s' tidak diperbolehkan.") % {"part": _shown(_source(node))})
    name = node.func.id
    if name not in FUNCTIONS:
        raise FeeModelError(
            _("Fungsi %(name)s() tidak dikenal. Fungsi yang boleh dipakai: %(functions)s.")
            % {"name": _shown(name), "functions": ", ".join(FUNCTIONS)},
            code="formula",
        )
    if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
        raise _refuse(_("Fungsi %(name)s() hanya menerima nilai yang dipisah koma, tanpa nama=nilai atau *.") % {"name": name})
    count = len(node.args)
    if name in ("min", "max") and count < 2:
        raise FeeModelError(
            _("%(name)s() butuh paling sedikit dua nilai, misalnya %(name)s(lebar, 10).") % {"name": name}, code="formula"
        )
    if name in ("ceil", "floor") and count != 1:
        raise FeeModelError(_("%(name)s() butuh tepat satu nilai, misalnya %(name)s(lebar).") % {"name": name}, code="formula")
    if name == "round":
        if count not in (1, 2):
            raise FeeModelError(
                _("round() butuh satu nilai, atau dua: round(x, 2) membulatkan ke dua angka desimal, round(x, -3) ke ribuan."),
                code="formula",
            )
        if count == 2 and _round_digits(node.args[1]) is None:
            raise FeeModelError(
                _("Angka kedua round() harus bilangan bulat tetap dari %(low)d sampai %(high)d, misalnya round(x, -3) untuk membulatkan ke ribuan.")
                % {"low": ROUND_DIGITS[0], "high": ROUND_DIGITS[1]},
                code="formula",
            )
    for arg in node.args:
        _check(arg, check_name)


def _source(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # only for a message: an odd node must not hide the real refusal
        return type(node).__name__


def _operator_text(node: ast.BinOp | ast.UnaryOp) -> str:
    symbols = {
        ast.BitAnd: "&",
        ast.BitOr: "|",
        ast.BitXor: "^",
        ast.LShift: "<<",
        ast.RShift: ">>",
        ast.MatMult: "@",
        ast.Invert: "~",
        ast.Not: "not",
    }
    return symbols.get(type(node.op), type(node.op).__name__)


def _lookups_structure(lookups: object) -> dict[str, dict[str, Decimal]]:
    """`{"tarif_lokasi": {"A": 125000, "B": 75000}}`: for each choice field, the number each choice stands for."""
    if lookups is None:
        return {}
    example = _('misalnya {"tarif_lokasi": {"A": 125000, "B": 75000}}')
    if not isinstance(lookups, dict):
        raise FeeModelError(_("Tabel tarif pilihan (lookups) harus berbentuk {isian: {pilihan: angka}}, %(example)s.") % {"example": example})
    result: dict[str, dict[str, Decimal]] = {}
    for code, table in lookups.items():
        if not isinstance(code, str) or not isinstance(table, dict) or not table:
            raise FeeModelError(
                _("Tabel tarif untuk '%(code)s' harus berbentuk {pilihan: angka} dengan paling sedikit satu pilihan, %(example)s.")
                % {"code": _shown(code), "example": example}
            )
        result[code] = {
            str(choice): _config_decimal(
                number, what=_("Tarif pilihan '%(choice)s' pada isian '%(code)s'") % {"choice": _shown(choice), "code": code}
            )
            for choice, number in table.items()
        }
    return result


def _rounding(config: Mapping) -> str:
    rounding = config.get("rounding") or "nearest"
    if not isinstance(rounding, str) or rounding not in ROUNDINGS:
        raise FeeModelError(
            _("Pembulatan '%(rounding)s' tidak dikenal. Pilih salah satu: %(choices)s.")
            % {"rounding": _shown(rounding), "choices": ", ".join(ROUNDINGS)}
        )
    return rounding


def _validate_formula(config: Mapping, fields_by_code: dict[str, dict]) -> dict:
    text = _expression_text(config.get("expression"))
    body = _parse(text)
    lookups = _lookups_structure(config.get("lookups"))
    used: set[str] = set()

    def check_name(node: ast.Name) -> None:
        code = node.id
        field = fields_by_code.get(code)
        kind = _field_type(field) if field else ""
        if field is None:
            raise FeeModelError(
                _("Nama '%(name)s' dalam rumus bukan isian formulir jenis izin ini. Isian angka yang tersedia: %(known)s.")
                % {"name": _shown(code), "known": _known_numeric(fields_by_code)},
                code="formula",
            )
        if kind == "choice" and code not in lookups:
            raise FeeModelError(
                _("Isian '%(label)s' berupa pilihan: tambahkan tabel tarif (lookups) yang memberi angka untuk tiap pilihannya, misalnya {\"%(code)s\": {\"A\": 125000}}.")
                % {"label": _field_label(field), "code": code},
                code="formula",
            )
        if kind != "choice" and kind not in NUMERIC_TYPES:
            raise FeeModelError(
                _("Isian '%(label)s' berjenis %(type)s, bukan angka, sehingga tidak dapat dihitung. Isian angka yang tersedia: %(known)s.")
                % {"label": _field_label(field), "type": _type_name(kind), "known": _known_numeric(fields_by_code)},
                code="formula",
            )
        used.add(code)

    _check(body, check_name)

    normal_lookups: dict[str, dict[str, int | str]] = {}
    for code, table in lookups.items():
        field = fields_by_code.get(code)
        if field is None or _field_type(field) != "choice":
            raise FeeModelError(
                _("Tabel tarif (lookups) '%(code)s' hanya untuk isian berjenis pilihan di formulir ini; hapus tabel itu atau ganti namanya.")
                % {"code": _shown(code)}
            )
        if code not in used:
            raise FeeModelError(
                _("Tabel tarif '%(code)s' tidak dipakai dalam rumus: pakai namanya dalam rumus atau hapus tabelnya.") % {"code": code}
            )
        declared = field.get("choices")
        if isinstance(declared, list | tuple) and declared:
            choices = [str(choice[0]) for choice in declared if isinstance(choice, list | tuple) and choice]
            missing = [choice for choice in choices if choice not in table]
            extra = sorted(choice for choice in table if choice not in choices)
            if missing:
                raise FeeModelError(
                    _("Tabel tarif '%(code)s' belum memberi angka untuk pilihan %(missing)s: lengkapi agar setiap pilihan punya tarif.")
                    % {"code": code, "missing": ", ".join(missing)}
                )
            if extra:
                raise FeeModelError(
                    _("Tabel tarif '%(code)s' memuat pilihan yang tidak ada di formulir: %(extra)s. Pilihan yang ada: %(choices)s.")
                    % {"code": code, "extra": ", ".join(extra), "choices": ", ".join(choices)}
                )
        normal_lookups[code] = {choice: _json_number(number) for choice, number in table.items()}
    return {
        "expression": text,
        "rounding": _rounding(config),
        "lookups": normal_lookups,
        "labels": {code: _field_label(fields_by_code[code]) for code in sorted(used)},
    }


class _Formula:
    """One evaluation of a checked formula against an applicant's values."""

    def __init__(self, lookups: dict[str, dict[str, Decimal]], values: Mapping, labels: dict[str, str]):
        self.lookups = lookups
        self.values = values
        self.labels = labels
        self.resolved: dict[str, Decimal] = {}

    def name(self, code: str) -> Decimal:
        if code not in self.resolved:
            if code in self.lookups:
                self.resolved[code] = self._choice(code)
            else:
                self.resolved[code] = _value_number(self.values, code, self.labels)
        return self.resolved[code]

    def _choice(self, code: str) -> Decimal:
        label = self.labels.get(code, code)
        raw = self.values.get(code)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise FeeModelError(
                _("Isian '%(label)s' wajib dipilih untuk menghitung biaya.") % {"label": label}, code="required", field=code
            )
        table = self.lookups[code]
        choice = str(raw).strip()
        if choice not in table:
            raise FeeModelError(
                _("Pilihan %(choice)s pada isian '%(label)s' tidak dikenal; pilih salah satu: %(choices)s.")
                % {"choice": _shown(choice), "label": label, "choices": ", ".join(table)},
                field=code,
            )
        return table[choice]

    def evaluate(self, node: ast.expr) -> Decimal:
        result = self._evaluate(node)
        if abs(result) > _MAX_INTERMEDIATE:
            raise FeeModelError(
                _("Hasil perhitungan rumus terlalu besar: periksa rumus dan isian formulir."), code="formula"
            )
        return result

    def _evaluate(self, node: ast.expr) -> Decimal:
        if isinstance(node, ast.Constant):
            return _literal(node)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.evaluate(node.operand)
            return -operand if isinstance(node.op, ast.USub) else +operand
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
            left, right = self.evaluate(node.left), self.evaluate(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if right == 0:
                raise self._division_by_zero(node.right)
            return left / right
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [self.evaluate(arg) for arg in node.args]
            name = node.func.id
            if name == "min" and len(args) >= 2:
                return min(args)
            if name == "max" and len(args) >= 2:
                return max(args)
            if name == "ceil" and len(args) == 1:
                return args[0].to_integral_value(rounding=ROUND_CEILING)
            if name == "floor" and len(args) == 1:
                return args[0].to_integral_value(rounding=ROUND_FLOOR)
            if name == "round" and len(args) in (1, 2):
                digits = _round_digits(node.args[1]) if len(args) == 2 else 0
                if digits is not None:
                    # half away from zero, as people round by hand (not Python's banker's rounding)
                    return args[0].quantize(_ONE.scaleb(-digits), rounding=ROUND_HALF_UP)
        raise FeeModelError(
            _("Rumus biaya memuat bagian yang tidak diperbolehkan; pengelola layanan perlu memperbaiki dan menyimpan ulang pengaturan biayanya."),
            code="formula",
        )

    def _division_by_zero(self, divisor: ast.expr) -> FeeModelError:
        codes = sorted({child.id for child in ast.walk(divisor) if isinstance(child, ast.Name)})
        fields = ", ".join(f"'{self.labels.get(code, code)}'" for code in codes)
        message = _("Rumus membagi dengan nol pada bagian '%(part)s'.") % {"part": _shown(_source(divisor))}
        if codes:
            message += " " + _("Periksa isian %(fields)s.") % {"fields": fields}
            return FeeModelError(message, code="division_by_zero", field=codes[0])
        return FeeModelError(message + " " + _("Perbaiki rumusnya."), code="division_by_zero")


_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}
_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "×", ast.Div: "/"}


def _render(node: ast.expr, leaf: Callable[[ast.Name], str]) -> tuple[str, int]:
    """The formula as people read it (× for times, Indonesian numbers), with its precedence."""
    if isinstance(node, ast.Constant):
        return number_id(_literal(node)), 4
    if isinstance(node, ast.Name):
        return leaf(node), 4
    if isinstance(node, ast.UnaryOp):
        text, precedence = _render(node.operand, leaf)
        if precedence < 4 or isinstance(node.operand, ast.UnaryOp):
            text = f"({text})"
        return ("-" if isinstance(node.op, ast.USub) else "+") + text, 3
    if isinstance(node, ast.BinOp):
        own = _PRECEDENCE[type(node.op)]
        left, left_precedence = _render(node.left, leaf)
        right, right_precedence = _render(node.right, leaf)
        if left_precedence < own:
            left = f"({left})"
        if right_precedence <= own:
            right = f"({right})"
        return f"{left} {_SYMBOLS[type(node.op)]} {right}", own
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        # a semicolon separates the arguments, since the comma is the decimal mark
        return f"{node.func.id}({'; '.join(_render(arg, leaf)[0] for arg in node.args)})", 4
    return _source(node), 4


_ROUNDING_TEXT = {
    "down": gettext_noop("dibulatkan ke bawah ke rupiah penuh"),
    "up_1000": gettext_noop("dibulatkan ke atas ke kelipatan Rp 1.000"),
    "nearest": gettext_noop("dibulatkan ke rupiah terdekat"),
}


def _to_rupiah(exact: Decimal, rounding: str) -> int:
    """Money is integer rupiah: "nearest" rounds half up, "down" drops the fraction, "up_1000" goes up to
    the next whole thousand (a common rule for local taxes)."""
    if rounding == "down":
        return int(exact.to_integral_value(rounding=ROUND_FLOOR))
    if rounding == "up_1000":
        return int((exact / _THOUSAND).to_integral_value(rounding=ROUND_CEILING) * _THOUSAND)
    return int(exact.quantize(_ONE, rounding=ROUND_HALF_UP))


def _compute_formula(config: Mapping, values: Mapping) -> FeeQuote:
    text = _expression_text(config.get("expression"))
    body = _parse(text)
    _check(body, lambda node: None)  # the names were checked against the form when the type was saved
    lookups = _lookups_structure(config.get("lookups"))
    rounding = _rounding(config)
    formula = _Formula(lookups, values, _labels(config))
    try:
        with localcontext(_CONTEXT):
            exact = formula.evaluate(body)
            if exact < 0:
                raise FeeModelError(
                    _("Biaya hasil rumus negatif (%(amount)s): biaya tidak boleh kurang dari nol. Periksa rumus dan isian formulir.")
                    % {"amount": number_id(exact)},
                    code="formula",
                )
            if exact > MAX_AMOUNT:
                raise FeeModelError(
                    _("Biaya hasil rumus melebihi batas %(max)s: periksa rumus dan isian formulir.")
                    % {"max": rupiah(MAX_AMOUNT)},
                    code="formula",
                )
            amount = _to_rupiah(exact, rounding)
    except DecimalException:
        raise FeeModelError(
            _("Rumus tidak dapat dihitung dengan isian ini (angkanya terlalu besar atau terlalu kecil): periksa isian formulir."),
            code="formula",
        ) from None
    symbolic = _render(body, lambda node: node.id)[0]
    substituted = _render(body, lambda node: number_id(formula.resolved[node.id]))[0]
    explanation = f"{symbolic} = {substituted}" if symbolic != substituted else symbolic
    if amount == exact:
        explanation += f" = {rupiah(amount)}."
    else:
        explanation += f" = {number_id(exact)}, {_(_ROUNDING_TEXT[rounding])}: {rupiah(amount)}."
    return FeeQuote(amount, [(_("Biaya menurut rumus"), amount)], explanation)


# --- the contract -----------------------------------------------------------------------------------


def _model(model: object) -> str:
    if not isinstance(model, str) or model not in MODELS:
        raise FeeModelError(
            _("Model biaya '%(model)s' tidak dikenal. Pilih salah satu: %(models)s.")
            % {"model": _shown(model), "models": ", ".join(MODELS)}
        )
    return model


def fee_config_validate(*, model: str, config: dict, fields: list[dict]) -> dict:
    """Check a permit type's fee settings against its form fields when the type is saved, and return them
    normalised (whole rupiah as int, defaults filled in, the labels of the fields used for messages).

    Raises FeeModelError, and nothing else, for anything the fee could not be computed from: an unknown
    model or key, a missing or negative amount, tiers out of order, a formula outside the arithmetic
    whitelist or naming a field that is not a numeric field of the form.
    """
    model = _model(model)
    if model == "none":
        return {}
    if not isinstance(config, dict):
        raise FeeModelError(_("Pengaturan biaya harus berupa kumpulan isian {nama: nilai}; isi ulang pengaturan biayanya."))
    _refuse_unknown_keys(config, model)
    fields_by_code = _fields_by_code(fields)
    if model == "fixed":
        return _validate_fixed(config)
    if model == "per_unit":
        return _validate_per_unit(config, fields_by_code)
    if model == "tiered":
        return _validate_tiered(config, fields_by_code)
    return _validate_formula(config, fields_by_code)


def fee_compute(*, model: str, config: dict, values: dict) -> FeeQuote:
    """The fee for an applicant's form values (strings as typed, or numbers), with lines that add up to
    the amount and an explanation in Indonesian.

    `config` is what fee_config_validate returned. Raises FeeModelError naming the field when a value the
    fee needs is missing, not a number, negative or unknown, when a formula divides by zero, and when the
    result is negative or above Rp 10^15.
    """
    model = _model(model)
    if model == "none":
        return FeeQuote(0, [], _("Layanan ini tidak dipungut biaya."))
    if not isinstance(config, dict):
        raise FeeModelError(_("Pengaturan biaya jenis izin ini belum lengkap; hubungi pengelola layanan."))
    if values is None:
        values = {}
    if not hasattr(values, "get"):
        raise FeeModelError(_("Isian formulir tidak terbaca; isi ulang formulirnya."))
    if model == "fixed":
        return _compute_fixed(config)
    if model == "per_unit":
        return _compute_per_unit(config, values)
    if model == "tiered":
        return _compute_tiered(config, values)
    return _compute_formula(config, values)
