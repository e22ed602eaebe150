"""The permit fee engine: each fee model, the safe formula language and its refusals.

What an applicant sees in the fee simulator (the amount, its lines and the explanation), and what a
tenant administrator sees when a fee setting is refused at save time.
"""

import ast
import inspect
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balai.permits import fees
from balai.permits.fees import MODELS, FeeModelError, FeeQuote, fee_compute, fee_config_validate

REKLAME_FIELDS = [
    {"code": "lebar", "label": "Lebar papan (m)", "type": "decimal"},
    {"code": "tinggi", "label": "Tinggi papan (m)", "type": "decimal"},
    {"code": "lama_hari", "label": "Lama pemasangan (hari)", "type": "integer"},
    {
        "code": "tarif_lokasi",
        "label": "Lokasi strategis",
        "type": "choice",
        "choices": [["A", "Jalan protokol"], ["B", "Jalan kolektor"]],
    },
    {"code": "alamat", "label": "Alamat papan", "type": "text"},
    {"code": "mulai", "label": "Tanggal mulai", "type": "date"},
    {"code": "menyala", "label": "Papan bercahaya", "type": "boolean"},
]
REKLAME_LOOKUPS = {"tarif_lokasi": {"A": 125000, "B": 75000}}
REKLAME_VALUES = {"lebar": "3", "tinggi": "5", "lama_hari": "30", "tarif_lokasi": "A"}

PBG_FIELDS = [
    {"code": "luas_lantai", "label": "Luas lantai (m²)", "type": "decimal"},
    {"code": "indeks", "label": "Indeks terintegrasi", "type": "decimal"},
    {"code": "jenis", "label": "Jenis permohonan", "type": "choice", "choices": [["baru", "Bangunan baru"], ["ubah", "Perubahan bentuk"]]},
]
PBG = {
    "expression": "luas_lantai * indeks * 1500000 * jenis",
    "lookups": {"jenis": {"baru": 1, "ubah": 0.65}},
}


def formula(expression, *, fields=REKLAME_FIELDS, **extra):
    config = {"expression": expression, **extra}
    return fee_config_validate(model="formula", config=config, fields=fields)


def refusal(model, config, fields=REKLAME_FIELDS):
    with pytest.raises(FeeModelError) as caught:
        fee_config_validate(model=model, config=config, fields=fields)
    return caught.value.messages[0]


def compute_refusal(model, config, values):
    with pytest.raises(FeeModelError) as caught:
        fee_compute(model=model, config=config, values=values)
    return caught.value


# --- the spec's worked examples ------------------------------------------------------------------


def test_it_computes_the_dki_billboard_nsr_and_tax():
    nsr = formula("lebar * tinggi * lama_hari * tarif_lokasi", lookups=REKLAME_LOOKUPS)
    assert fee_compute(model="formula", config=nsr, values=REKLAME_VALUES).amount == 56_250_000

    tax = formula("0.25 * lebar * tinggi * lama_hari * tarif_lokasi", lookups=REKLAME_LOOKUPS)
    quote = fee_compute(model="formula", config=tax, values=REKLAME_VALUES)

    assert quote == FeeQuote(
        14_062_500,
        [("Biaya menurut rumus", 14_062_500)],
        "0,25 × lebar × tinggi × lama_hari × tarif_lokasi = 0,25 × 3 × 5 × 30 × 125.000 = Rp 14.062.500.",
    )


def test_it_prices_a_cheaper_location_from_the_lookup_table():
    tax = formula("0.25 * lebar * tinggi * lama_hari * tarif_lokasi", lookups=REKLAME_LOOKUPS)
    quote = fee_compute(model="formula", config=tax, values={**REKLAME_VALUES, "tarif_lokasi": "B"})
    assert quote.amount == 8_437_500


def test_it_computes_a_pbg_retribution_with_the_change_of_form_factor():
    config = fee_config_validate(model="formula", config=PBG, fields=PBG_FIELDS)
    new = fee_compute(model="formula", config=config, values={"luas_lantai": "120", "indeks": "0,42", "jenis": "baru"})
    changed = fee_compute(model="formula", config=config, values={"luas_lantai": "120", "indeks": "0,42", "jenis": "ubah"})

    assert new.amount == 75_600_000
    assert changed.amount == 49_140_000
    assert changed.explanation.endswith("= 120 × 0,42 × 1.500.000 × 0,65 = Rp 49.140.000.")


def test_it_rounds_a_pbg_retribution_up_to_the_next_thousand_and_says_so():
    config = fee_config_validate(model="formula", config={**PBG, "rounding": "up_1000"}, fields=PBG_FIELDS)
    quote = fee_compute(model="formula", config=config, values={"luas_lantai": "123.45", "indeks": "0.42", "jenis": "ubah"})

    assert quote.amount == 50_553_000  # exactly 50.552.775
    assert "= 50.552.775, dibulatkan ke atas ke kelipatan Rp 1.000: Rp 50.553.000." in quote.explanation


# --- none, fixed ---------------------------------------------------------------------------------


def test_it_charges_nothing_for_a_free_service():
    assert fee_config_validate(model="none", config={}, fields=[]) == {}
    quote = fee_compute(model="none", config={}, values={})
    assert (quote.amount, quote.lines) == (0, [])
    assert "tidak dipungut biaya" in quote.explanation


def test_it_charges_a_fixed_fee_whatever_the_form_says():
    config = fee_config_validate(model="fixed", config={"amount": "150000"}, fields=[])
    assert config == {"amount": 150000}
    quote = fee_compute(model="fixed", config=config, values={"lebar": "999"})
    assert quote == FeeQuote(150000, [("Biaya tetap", 150000)], "Biaya tetap Rp 150.000.")


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, "Isi besar biaya tetap (amount)"),
        ({"amount": -5}, "tidak boleh negatif"),
        ({"amount": "150.000"}, "tanpa titik atau koma, misalnya 150000"),
        ({"amount": 12.5}, "bilangan bulat rupiah"),
        ({"amount": True}, "bilangan bulat rupiah"),
        ({"amount": 10**16}, "melebihi batas Rp 1.000.000.000.000.000"),
        ({"amount": 1, "biaya": 2}, "tidak mengenal biaya"),
    ],
)
def test_it_refuses_a_bad_fixed_fee(config, expected):
    assert expected in refusal("fixed", config)


def test_it_refuses_an_unknown_model_and_lists_the_known_ones():
    message = refusal("gratis", {})
    assert "Model biaya 'gratis' tidak dikenal" in message
    assert "none, fixed, per_unit, tiered, formula" in message
    with pytest.raises(FeeModelError, match="tidak dikenal"):
        fee_compute(model="gratis", config={}, values={})


# --- per unit ------------------------------------------------------------------------------------

PER_UNIT = {"field": "lebar", "unit_price": 10000, "unit_label": "m²"}


def test_it_charges_per_unit_and_accepts_a_decimal_comma():
    config = fee_config_validate(model="per_unit", config=PER_UNIT, fields=REKLAME_FIELDS)
    assert config == {
        "field": "lebar",
        "unit_price": 10000,
        "unit_label": "m²",
        "minimum": 0,
        "labels": {"lebar": "Lebar papan (m)"},
    }
    quote = fee_compute(model="per_unit", config=config, values={"lebar": "2,5"})
    assert quote.amount == 25000
    assert quote.lines == [("Lebar papan (m): 2,5 m² × Rp 10.000", 25000)]
    assert quote.explanation == "2,5 m² × Rp 10.000 = Rp 25.000."


def test_it_rounds_half_a_rupiah_up():
    config = fee_config_validate(model="per_unit", config={"field": "lebar", "unit_price": 3}, fields=REKLAME_FIELDS)
    assert fee_compute(model="per_unit", config=config, values={"lebar": "2.5"}).amount == 8
    assert fee_compute(model="per_unit", config=config, values={"lebar": "2.1"}).amount == 6


def test_it_raises_a_small_per_unit_fee_to_the_minimum_with_a_line_for_the_difference():
    config = fee_config_validate(model="per_unit", config={**PER_UNIT, "minimum": 50000}, fields=REKLAME_FIELDS)
    quote = fee_compute(model="per_unit", config=config, values={"lebar": 2})

    assert quote.amount == 50000
    assert quote.lines == [("Lebar papan (m): 2 m² × Rp 10.000", 20000), ("Penyesuaian ke biaya minimum", 30000)]
    assert "di bawah biaya minimum, dikenakan Rp 50.000" in quote.explanation
    assert fee_compute(model="per_unit", config=config, values={"lebar": 7}).amount == 70000


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"unit_price": 1}, "Pilih isian angka yang menjadi dasar perhitungan biaya (field). Isian angka yang tersedia: lama_hari, lebar, tinggi."),
        ({**PER_UNIT, "field": "luas"}, "Isian 'luas' tidak ada di formulir jenis izin ini. Pilih salah satu isian angka: lama_hari, lebar, tinggi."),
        ({**PER_UNIT, "field": "alamat"}, "Isian 'Alamat papan' berjenis teks, bukan angka."),
        ({"field": "lebar"}, "Isi harga per satuan (unit_price)"),
        ({**PER_UNIT, "minimum": -1}, "Biaya minimum tidak boleh negatif"),
        ({**PER_UNIT, "unit_label": "x" * 21}, "paling banyak 20 karakter"),
    ],
)
def test_it_refuses_a_bad_per_unit_fee(config, expected):
    assert expected in refusal("per_unit", config)


def test_it_says_there_are_no_numeric_fields_yet():
    message = refusal("per_unit", PER_UNIT, fields=[{"code": "alamat", "label": "Alamat", "type": "text"}])
    assert "tambahkan dulu isian berjenis angka ke formulir" in message


@pytest.mark.parametrize(
    ("value", "expected", "code"),
    [
        (None, "Isian 'Lebar papan (m)' wajib diisi untuk menghitung biaya.", "required"),
        ("  ", "Isian 'Lebar papan (m)' wajib diisi untuk menghitung biaya.", "required"),
        ("tiga", "Isian 'Lebar papan (m)' harus berupa angka, misalnya 12 atau 2,5 (tanpa pemisah ribuan); yang diisi: tiga.", "invalid"),
        ("1.500,5", "harus berupa angka", "invalid"),
        ("NaN", "harus berupa angka", "invalid"),
        (float("inf"), "harus berupa angka", "invalid"),
        (True, "harus berupa angka", "invalid"),
        ("-2", "Isian 'Lebar papan (m)' tidak boleh negatif", "invalid"),
        ("1" * 17, "terlalu besar", "invalid"),
    ],
)
def test_it_names_the_field_when_a_value_is_missing_or_wrong(value, expected, code):
    config = fee_config_validate(model="per_unit", config=PER_UNIT, fields=REKLAME_FIELDS)
    error = compute_refusal("per_unit", config, {"lebar": value})
    assert expected in error.messages[0]
    assert (error.field, error.code) == ("lebar", code)


def test_it_treats_an_absent_value_as_missing():
    config = fee_config_validate(model="per_unit", config=PER_UNIT, fields=REKLAME_FIELDS)
    assert compute_refusal("per_unit", config, {}).field == "lebar"


# --- tiered --------------------------------------------------------------------------------------

TIERED = {
    "field": "lebar",
    "unit_label": "m",
    "tiers": [
        {"up_to": 2, "amount": 100000},
        {"up_to": 5.5, "rate": 30000},
        {"up_to": None, "rate": 20000},
    ],
}


@pytest.mark.parametrize(
    ("value", "amount", "explanation"),
    [
        ("1", 100000, "Lebar papan (m) 1 m masuk golongan sampai dengan 2 m: biaya tetap Rp 100.000."),
        ("2", 100000, "Lebar papan (m) 2 m masuk golongan sampai dengan 2 m: biaya tetap Rp 100.000."),
        ("2.01", 60300, "Lebar papan (m) 2,01 m masuk golongan di atas 2 m sampai dengan 5,5 m: 2,01 m × Rp 30.000 = Rp 60.300."),
        ("5,5", 165000, "masuk golongan di atas 2 m sampai dengan 5,5 m: 5,5 m × Rp 30.000 = Rp 165.000."),
        ("9", 180000, "Lebar papan (m) 9 m masuk golongan di atas 5,5 m: 9 m × Rp 20.000 = Rp 180.000."),
    ],
)
def test_it_applies_the_first_tier_whose_bound_holds_the_value(value, amount, explanation):
    config = fee_config_validate(model="tiered", config=TIERED, fields=REKLAME_FIELDS)
    quote = fee_compute(model="tiered", config=config, values={"lebar": value})
    assert quote.amount == amount
    assert explanation in quote.explanation
    assert sum(line[1] for line in quote.lines) == amount


def test_it_normalises_tier_bounds_for_storage():
    config = fee_config_validate(model="tiered", config=TIERED, fields=REKLAME_FIELDS)
    assert config["tiers"] == [
        {"up_to": 2, "amount": 100000},
        {"up_to": "5.5", "rate": 30000},
        {"up_to": None, "rate": 20000},
    ]
    assert fee_config_validate(model="tiered", config=config, fields=REKLAME_FIELDS) == config


def test_a_single_open_tier_covers_every_value():
    config = fee_config_validate(model="tiered", config={"field": "lebar", "tiers": [{"up_to": None, "amount": 5000}]}, fields=REKLAME_FIELDS)
    quote = fee_compute(model="tiered", config=config, values={"lebar": 0})
    assert quote.amount == 5000
    assert "golongan semua nilai" in quote.explanation


@pytest.mark.parametrize(
    ("tiers", "expected"),
    [
        (None, "Isi tabel tarif bertingkat (tiers)"),
        ([], "Isi tabel tarif bertingkat (tiers)"),
        ([{"up_to": 5, "amount": 1}, {"up_to": 5, "amount": 2}, {"up_to": None, "amount": 3}], "Batas atas golongan harus naik: golongan ke-2 (5)"),
        ([{"up_to": 5, "amount": 1}, {"up_to": 10, "amount": 2}], "Golongan terakhir harus tanpa batas atas"),
        ([{"up_to": None, "amount": 1}, {"up_to": None, "amount": 2}], "Hanya golongan terakhir yang boleh tanpa batas atas"),
        ([{"up_to": None, "amount": 1, "rate": 2}], "tepat satu dari amount (biaya tetap) atau rate"),
        ([{"up_to": None}], "tepat satu dari amount (biaya tetap) atau rate"),
        ([{"up_to": -1, "amount": 1}, {"up_to": None, "amount": 1}], "Batas atas golongan ke-1 tidak boleh negatif"),
        ([{"up_to": "lima", "amount": 1}, {"up_to": None, "amount": 1}], "Batas atas golongan ke-1 harus berupa angka"),
        ([{"up_to": None, "rate": -3}], "Tarif golongan ke-1 tidak boleh negatif"),
        ([{"sampai": 3, "amount": 1}], "Golongan ke-1 tidak mengenal sampai"),
        ([[3, 1]], "Golongan ke-1 harus berisi up_to"),
        ([{"up_to": n, "amount": 1} for n in range(60)] + [{"up_to": None, "amount": 1}], "paling banyak 50 golongan"),
    ],
)
def test_it_refuses_a_bad_tier_table(tiers, expected):
    assert expected in refusal("tiered", {"field": "lebar", "tiers": tiers})


# --- formula: arithmetic -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "values", "amount"),
    [
        ("lebar * 1000 / 3", {"lebar": 1}, 333),
        ("lebar * 1000 / 3", {"lebar": 2}, 667),
        ("(lebar + tinggi) * 2", {"lebar": 1, "tinggi": 2}, 6),
        ("lebar - tinggi + 10", {"lebar": 1, "tinggi": 2}, 9),
        ("-lebar + 10", {"lebar": 4}, 6),
        ("min(lebar, 10) * 100", {"lebar": 25}, 1000),
        ("max(lebar, tinggi, 3) * 100", {"lebar": 1, "tinggi": 2}, 300),
        ("round(lebar) * 100", {"lebar": "2.5"}, 300),  # half up, not Python's banker's rounding (2)
        ("round(lebar, 1) * 100", {"lebar": "2.25"}, 230),
        ("round(lebar * 1000, -3)", {"lebar": "12.5"}, 13000),
        ("ceil(lebar) * 100", {"lebar": "2.1"}, 300),
        ("floor(lebar) * 100", {"lebar": "2.9"}, 200),
        ("1_000 * lebar", {"lebar": 2}, 2000),
        ("0.1 * 3 * 1000", {}, 300),  # Decimal literals: 0.1 is one tenth exactly
    ],
)
def test_it_evaluates_the_whitelisted_arithmetic(expression, values, amount):
    config = formula(expression)
    assert fee_compute(model="formula", config=config, values=values).amount == amount


@pytest.mark.parametrize(
    ("rounding", "amount", "said"),
    [
        ("nearest", 1235, "dibulatkan ke rupiah terdekat: Rp 1.235."),
        ("down", 1234, "dibulatkan ke bawah ke rupiah penuh: Rp 1.234."),
        ("up_1000", 2000, "dibulatkan ke atas ke kelipatan Rp 1.000: Rp 2.000."),
    ],
)
def test_it_turns_the_result_into_whole_rupiah_by_the_configured_rule(rounding, amount, said):
    config = formula("lebar * 1", rounding=rounding)
    quote = fee_compute(model="formula", config=config, values={"lebar": "1234.5"})
    assert quote.amount == amount
    assert quote.explanation == f"lebar × 1 = 1.234,5 × 1 = 1.234,5, {said}"


def test_it_keeps_an_exact_thousand_when_rounding_up_to_thousands():
    config = formula("lebar * 1000", rounding="up_1000")
    assert fee_compute(model="formula", config=config, values={"lebar": 14}).amount == 14000


def test_it_shows_parentheses_where_they_change_the_meaning():
    config = formula("lebar * (tinggi + 1) - (lama_hari - 2) / min(lebar, 2)")
    quote = fee_compute(model="formula", config=config, values={"lebar": 3, "tinggi": 1, "lama_hari": 6})
    assert quote.explanation == (
        "lebar × (tinggi + 1) - (lama_hari - 2) / min(lebar; 2) = 3 × (1 + 1) - (6 - 2) / min(3; 2) = Rp 4."
    )


def test_it_explains_a_constant_formula_once():
    quote = fee_compute(model="formula", config=formula("25000"), values={})
    assert quote.explanation == "25.000 = Rp 25.000."


def test_it_refuses_division_by_zero_and_names_the_field():
    config = formula("lebar / (tinggi - 5)")
    error = compute_refusal("formula", config, {"lebar": 3, "tinggi": 5})
    assert error.messages == ["Rumus membagi dengan nol pada bagian 'tinggi - 5'. Periksa isian 'Tinggi papan (m)'."]
    assert error.field == "tinggi"


def test_it_refuses_division_by_a_constant_zero_when_it_is_computed():
    error = compute_refusal("formula", formula("lebar / 0"), {"lebar": 1})
    assert "Rumus membagi dengan nol pada bagian '0'. Perbaiki rumusnya." in error.messages[0]


def test_it_refuses_a_negative_fee():
    error = compute_refusal("formula", formula("lebar - tinggi"), {"lebar": 1, "tinggi": 3})
    assert "Biaya hasil rumus negatif (-2)" in error.messages[0]


def test_it_refuses_a_fee_above_ten_to_the_fifteen():
    error = compute_refusal("formula", formula("lebar * tinggi"), {"lebar": 10**9, "tinggi": 10**7})
    assert "melebihi batas Rp 1.000.000.000.000.000" in error.messages[0]
    error = compute_refusal("formula", formula("lebar * tinggi * lama_hari"), {"lebar": 10**15, "tinggi": 10**15, "lama_hari": 10**15})
    assert "terlalu besar" in error.messages[0]


def test_it_refuses_an_unknown_choice_and_lists_the_known_ones():
    config = formula("lebar * tarif_lokasi", lookups=REKLAME_LOOKUPS)
    error = compute_refusal("formula", config, {"lebar": 1, "tarif_lokasi": "Z"})
    assert error.messages == ["Pilihan Z pada isian 'Lokasi strategis' tidak dikenal; pilih salah satu: A, B."]
    assert error.field == "tarif_lokasi"
    missing = compute_refusal("formula", config, {"lebar": 1})
    assert missing.messages == ["Isian 'Lokasi strategis' wajib dipilih untuk menghitung biaya."]


def test_it_normalises_a_formula_config_and_accepts_its_own_output():
    config = formula("  0.25 * lebar * tarif_lokasi ", lookups={"tarif_lokasi": {"A": "125000", "B": 0.5}})
    assert config == {
        "expression": "0.25 * lebar * tarif_lokasi",
        "rounding": "nearest",
        "lookups": {"tarif_lokasi": {"A": 125000, "B": "0.5"}},
        "labels": {"lebar": "Lebar papan (m)", "tarif_lokasi": "Lokasi strategis"},
    }
    assert fee_config_validate(model="formula", config=config, fields=REKLAME_FIELDS) == config


# --- formula: refusals ---------------------------------------------------------------------------

WHITELIST = "Rumus hanya boleh berisi angka, isian angka formulir, + - * /, tanda kurung, dan fungsi min, max, round, ceil, floor."


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("__import__('os').system('id')", "tidak diperbolehkan"),
        ("__import__('os')", "Fungsi __import__() tidak dikenal. Fungsi yang boleh dipakai: min, max, round, ceil, floor."),
        ("import os", "Rumus tidak dapat dibaca di sekitar karakter ke-1"),
        ("().__class__.__bases__", "Akses atribut ('.__bases__') tidak diperbolehkan dalam rumus. " + WHITELIST),
        ("lebar.__class__", "Akses atribut ('.__class__') tidak diperbolehkan"),
        ("lebar.real * 2", "Akses atribut ('.real') tidak diperbolehkan"),
        ("open('/etc/passwd')", "Fungsi open() tidak dikenal."),
        ("eval('1')", "Fungsi eval() tidak dikenal."),
        ("(lambda: 1)()", "Bagian rumus"),
        ("lambda: 1", "Fungsi lambda tidak diperbolehkan dalam rumus."),
        ("[x for x in lebar]", "Perulangan (for ... in ...) tidak diperbolehkan"),
        ("sum(x for x in (1, 2))", "Fungsi sum() tidak dikenal."),
        ("'abc'", "Teks ('abc') tidak diperbolehkan dalam rumus."),
        ("lebar * 'x'", "Teks ('x') tidak diperbolehkan"),
        ("f'{lebar}'", "Teks (f-string) tidak diperbolehkan"),
        ("True * 2", "Nilai benar/salah (True) tidak diperbolehkan"),
        ("None", "Nilai None tidak diperbolehkan"),
        ("2 ** 1000", "Pangkat (**) tidak diperbolehkan: tulis perkaliannya, misalnya lebar * lebar."),
        ("lebar ** 2", "Pangkat (**) tidak diperbolehkan"),
        ("lebar // 2", "Operator // dan % tidak diperbolehkan"),
        ("lebar % 2", "Operator // dan % tidak diperbolehkan"),
        ("lebar << 2", "Operator '<<' tidak diperbolehkan."),
        ("~lebar", "Operator '~' tidak diperbolehkan."),
        ("not lebar", "Operator 'not' tidak diperbolehkan."),
        ("lebar > 2", "Perbandingan dan logika"),
        ("lebar and tinggi", "Perbandingan dan logika"),
        ("lebar if tinggi else 2", "Perbandingan dan logika"),
        ("lebar[0]", "Tanda kurung siku [ ] (indeks) tidak diperbolehkan"),
        ("[lebar, tinggi]", "Daftar atau kumpulan nilai"),
        ("{}", "Daftar atau kumpulan nilai"),
        ("(x := 3)", "Bagian rumus '(x := 3)' tidak diperbolehkan."),
        ("min(lebar, default=2)", "tanpa nama=nilai atau *"),
        ("max(*lebar)", "tanpa nama=nilai atau *"),
        ("min(lebar)", "min() butuh paling sedikit dua nilai"),
        ("ceil(lebar, 2)", "ceil() butuh tepat satu nilai"),
        ("round(lebar, tinggi)", "Angka kedua round() harus bilangan bulat tetap dari -12 sampai 6"),
        ("round(lebar, 7)", "Angka kedua round() harus bilangan bulat tetap"),
        ("round()", "round() butuh satu nilai, atau dua"),
        ("lebarr * 2", "Nama 'lebarr' dalam rumus bukan isian formulir jenis izin ini. Isian angka yang tersedia: lama_hari, lebar, tinggi."),
        ("system * 2", "Nama 'system' dalam rumus bukan isian formulir"),
        ("alamat * 2", "Isian 'Alamat papan' berjenis teks, bukan angka, sehingga tidak dapat dihitung."),
        ("mulai * 2", "Isian 'Tanggal mulai' berjenis tanggal, bukan angka"),
        ("menyala * 2", "Isian 'Papan bercahaya' berjenis ya/tidak, bukan angka"),
        ("tarif_lokasi * 2", "Isian 'Lokasi strategis' berupa pilihan: tambahkan tabel tarif (lookups)"),
        ("1" + " + lebar" * 100, "Rumus terlalu panjang (801 karakter); batasnya 500 karakter."),
        ("-" * 60 + "lebar", "Rumus terlalu bertingkat (lebih dari 40 tingkat)"),
        ("lebar * 1e999", "Angka dalam rumus terlalu besar"),
        ("lebar * 10000000000000000", "Angka 10000000000000000 dalam rumus terlalu besar"),
        ("lebar * 2j", "Nilai 2j tidak diperbolehkan"),
        ("lebar * (2", "Rumus tidak dapat dibaca"),
        ("lebar * 0,25", "Daftar atau kumpulan nilai"),
        ("lebar\x00", "Rumus tidak dapat dibaca"),
        ("", "Tulis rumus biaya (expression)"),
        ("   ", "Tulis rumus biaya (expression)"),
    ],
)
def test_it_refuses_anything_but_arithmetic_at_save(expression, expected):
    assert expected in refusal("formula", {"expression": expression})


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"expression": "lebar", "rounding": "up"}, "Pembulatan 'up' tidak dikenal. Pilih salah satu: nearest, down, up_1000."),
        ({"expression": "lebar * tarif_lokasi", "lookups": {"tarif_lokasi": {"A": 1}}}, "belum memberi angka untuk pilihan B"),
        ({"expression": "lebar * tarif_lokasi", "lookups": {"tarif_lokasi": {"A": 1, "B": 2, "C": 3}}}, "tidak ada di formulir: C. Pilihan yang ada: A, B."),
        ({"expression": "lebar", "lookups": REKLAME_LOOKUPS}, "Tabel tarif 'tarif_lokasi' tidak dipakai dalam rumus"),
        ({"expression": "lebar", "lookups": {"lebar": {"A": 1}}}, "hanya untuk isian berjenis pilihan"),
        ({"expression": "lebar * tarif_lokasi", "lookups": {"tarif_lokasi": {"A": -1, "B": 2}}}, "Tarif pilihan 'A' pada isian 'tarif_lokasi' tidak boleh negatif"),
        ({"expression": "lebar * tarif_lokasi", "lookups": {"tarif_lokasi": []}}, "harus berbentuk {pilihan: angka}"),
        ({"expression": "lebar", "lookups": [1]}, "harus berbentuk {isian: {pilihan: angka}}"),
        ({"expression": "lebar", "kode": "x"}, "tidak mengenal kode"),
        ({"expression": 5}, "Tulis rumus biaya (expression)"),
    ],
)
def test_it_refuses_a_bad_formula_setting(config, expected):
    assert expected in refusal("formula", config)


def test_it_refuses_a_config_that_is_not_a_mapping():
    assert "Pengaturan biaya harus berupa kumpulan isian" in refusal("fixed", [("amount", 1)])


def test_the_engine_never_calls_eval_exec_or_compile():
    tree = ast.parse(inspect.getsource(fees))
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert not called & {"eval", "exec", "compile", "__import__", "getattr"}


def test_a_stored_formula_is_checked_again_when_it_is_computed():
    # a configuration saved before a rule tightened, or written past the validator, still cannot run code
    with pytest.raises(FeeModelError, match="Akses atribut"):
        fee_compute(model="formula", config={"expression": "lebar.__class__"}, values={"lebar": 1})
    with pytest.raises(FeeModelError, match="Fungsi open"):
        fee_compute(model="formula", config={"expression": "open('x')"}, values={})


# --- properties ----------------------------------------------------------------------------------

NAMES = ("lebar", "tinggi", "lama_hari")
small = st.decimals(min_value=0, max_value=99, places=2, allow_nan=False, allow_infinity=False)
leaves = st.one_of(st.sampled_from(NAMES).map(lambda name: ("name", name)), small.map(lambda number: ("number", number)))
trees = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.tuples(st.sampled_from("+-*"), children, children),
        st.tuples(st.just("neg"), children),
    ),
    max_leaves=8,
)


def render(tree):
    kind = tree[0]
    if kind == "name":
        return tree[1]
    if kind == "number":
        return str(tree[1])
    if kind == "neg":
        return f"-({render(tree[1])})"
    return f"({render(tree[1])} {kind} {render(tree[2])})"


def reference(tree, values):
    kind = tree[0]
    if kind == "name":
        return values[tree[1]]
    if kind == "number":
        return tree[1]
    if kind == "neg":
        return -reference(tree[1], values)
    left, right = reference(tree[1], values), reference(tree[2], values)
    return {"+": left + right, "-": left - right, "*": left * right}[kind]


@settings(max_examples=300, deadline=None)
@given(tree=trees, values=st.fixed_dictionaries({name: small for name in NAMES}))
def test_the_evaluator_agrees_with_a_reference_decimal_computation(tree, values):
    with localcontext() as exact:
        exact.prec = 100  # 8 leaves of 4 significant digits: exact at this precision
        expected = reference(tree, values)
    config = formula(render(tree))
    typed = {name: str(value).replace(".", ",") for name, value in values.items()}  # as an applicant types

    if expected < 0 or expected > fees.MAX_AMOUNT:
        with pytest.raises(FeeModelError):
            fee_compute(model="formula", config=config, values=typed)
        return
    quote = fee_compute(model="formula", config=config, values=typed)
    assert quote.amount == int(expected.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert quote.explanation.endswith(f"Rp {quote.amount:,}.".replace(",", "."))
    assert sum(amount for _label, amount in quote.lines) == quote.amount


@settings(max_examples=200, deadline=None)
@given(
    price=st.integers(min_value=0, max_value=10**7),
    minimum=st.integers(min_value=0, max_value=10**8),
    quantity=st.decimals(min_value=0, max_value=10**6, places=3),
)
def test_per_unit_lines_always_add_up_to_the_amount(price, minimum, quantity):
    config = fee_config_validate(
        model="per_unit", config={"field": "lebar", "unit_price": price, "minimum": minimum}, fields=REKLAME_FIELDS
    )
    quote = fee_compute(model="per_unit", config=config, values={"lebar": quantity})
    assert sum(amount for _label, amount in quote.lines) == quote.amount >= minimum


TOKENS = [
    "lebar", "tinggi", "tarif_lokasi", "alamat", "(", ")", "+", "-", "*", "/", "**", "//", "%", ".", ",", "[", "]",
    "0.25", "1e308", "9" * 20, "0", "1_0", "0x1f", "1j", "'", '"', "__class__", "__import__", "lambda", ":",
    "min", "max", "round", "ceil", "floor", "if", "else", "for", "in", "<", "==", "not", "True", "None", "=",
    " ", "\\", "\n", "#", "@", "~", "{", "}", ";", "await", "yield", "\x00", "é", "١",
]
expressions = st.one_of(
    st.text(max_size=600),
    st.lists(st.sampled_from(TOKENS), max_size=80).map("".join),
    trees.map(render),
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8), st.decimals()),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=12,
)
config_keys = st.sampled_from(
    ["amount", "field", "unit_price", "unit_label", "minimum", "tiers", "expression", "rounding", "lookups", "labels", "up_to", "rate"]
)
configs = st.one_of(
    json_values,
    st.dictionaries(config_keys, json_values, max_size=6),
    st.builds(
        lambda expression, lookups, rounding: {"expression": expression, "lookups": lookups, "rounding": rounding},
        expressions,
        st.one_of(st.just(REKLAME_LOOKUPS), json_values),
        st.sampled_from(["nearest", "down", "up_1000", "", None, 3]),
    ),
    st.builds(
        lambda field, tiers: {"field": field, "tiers": tiers},
        st.sampled_from(["lebar", "alamat", "x"]),
        st.lists(st.dictionaries(st.sampled_from(["up_to", "amount", "rate"]), json_values, max_size=3), max_size=4),
    ),
)
form_values = st.dictionaries(
    st.sampled_from(["lebar", "tinggi", "lama_hari", "tarif_lokasi", "alamat"]),
    st.one_of(json_values, st.text(alphabet="0123456789.,-+eE AB", max_size=12)),
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression=expressions, values=form_values)
def test_a_random_formula_is_either_refused_clearly_or_computed(expression, values):
    try:
        config = formula(expression, lookups=REKLAME_LOOKUPS) if "tarif_lokasi" in expression else formula(expression)
    except FeeModelError as error:
        assert error.messages[0]
        return
    try:
        quote = fee_compute(model="formula", config=config, values=values)
    except FeeModelError as error:
        assert error.messages[0]
        return
    assert 0 <= quote.amount <= fees.MAX_AMOUNT


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=st.one_of(st.sampled_from(MODELS), json_values), config=configs, values=form_values)
def test_a_random_configuration_raises_nothing_but_fee_model_error(model, config, values):
    for call in (
        lambda: fee_config_validate(model=model, config=config, fields=REKLAME_FIELDS),
        lambda: fee_compute(model=model, config=config, values=values),
    ):
        try:
            result = call()
        except FeeModelError as error:
            assert error.messages[0]
        else:
            assert isinstance(result, dict | FeeQuote)
