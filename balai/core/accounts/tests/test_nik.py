import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from balai.core.accounts.nik import birth_date_check, nik_parse, nik_validate

TODAY = datetime.date(2026, 11, 28)
# Kecamatan Serang (36.73.01), Kota Serang; a man born 17 August 1990, serial 0001.
MAN = "3673011708900001"
# The same district and date for a woman: the day carries +40.
WOMAN = "3673015708900001"


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def _error(raw, **kwargs):
    with pytest.raises(ValidationError) as caught:
        nik_validate(raw, today=TODAY, **kwargs)
    return caught.value.code, caught.value.messages[0]


def test_it_accepts_a_real_looking_nik_and_tells_what_it_encodes():
    info = nik_parse(MAN, today=TODAY)
    assert info.number == MAN
    assert info.district.code == "36.73.01"
    assert info.birth_dates == (datetime.date(1990, 8, 17),)
    assert not info.is_female


def test_it_reads_the_womans_day_plus_forty():
    info = nik_parse(WOMAN, today=TODAY)
    assert info.is_female and info.birth_dates == (datetime.date(1990, 8, 17),)


def test_it_accepts_the_spaces_and_dots_people_type_between_groups():
    assert nik_validate("36.73.01 170890 0001", today=TODAY) == MAN


def test_it_matches_the_birth_date_the_person_wrote_in_either_century():
    # The year has two digits: 05 is 1905 or 2005, and the date the person wrote decides.
    assert nik_validate("3673011708050001", birth_date=datetime.date(2005, 8, 17), today=TODAY)
    assert nik_validate("3673011708050001", birth_date=datetime.date(1905, 8, 17), today=TODAY)
    code, _message = _error("3673011708050001", birth_date=datetime.date(1995, 8, 17))
    assert code == "birth_date_mismatch"


def test_a_two_digit_year_later_than_this_year_can_only_be_the_1900s():
    assert nik_parse("3673012812260001", today=TODAY).birth_dates == (datetime.date(1926, 12, 28),)
    assert nik_parse("3673010101260001", today=TODAY).birth_dates == (datetime.date(1926, 1, 1), datetime.date(2026, 1, 1))


def test_it_counts_the_digits_when_the_length_is_wrong():
    code, message = _error(MAN[:15])
    assert code == "length"
    assert "NIK harus 16 angka; yang Anda tulis 15 angka" in message


def test_it_names_the_characters_that_are_not_digits():
    code, message = _error("36730117O8900001")
    assert code == "not_digits"
    assert "“O”" in message and "hanya berisi angka" in message


def test_it_refuses_a_district_code_that_is_not_in_the_official_list():
    code, message = _error("3673991708900001")
    assert code == "district"
    assert "36.73.99" in message and "daftar wilayah Kemendagri" in message


@pytest.mark.parametrize(
    ("nik", "words"),
    [
        ("3673013102900001", "tanggal 31 tidak ada pada bulan 02"),
        ("3673011713900001", "bulan 13 tidak ada"),
        ("3673018208900001", "tanggal 82 tidak mungkin"),
        ("3673010008900001", "tanggal 00 tidak mungkin"),
        ("3673017102900001", "tanggal 31 tidak ada pada bulan 02"),  # a woman's 31 February
    ],
)
def test_it_explains_an_impossible_birth_date_in_digits_seven_to_twelve(nik, words):
    code, message = _error(nik)
    assert code == "birth_date"
    assert "Angka ke-7 sampai ke-12 NIK" in message and words in message


def test_it_accepts_29_february_only_in_a_leap_year():
    assert nik_parse("3673012902000001", today=TODAY).birth_dates == (datetime.date(2000, 2, 29),)
    code, _message = _error("3673012902010001")
    assert code == "birth_date"


def test_it_refuses_a_serial_of_zeros():
    code, message = _error("3673011708900000")
    assert code == "serial"


def test_it_says_when_the_nik_birth_date_differs_from_the_one_entered():
    code, message = _error(MAN, birth_date=datetime.date(1990, 8, 18))
    assert code == "birth_date_mismatch"
    assert "tidak sama dengan tanggal lahir yang Anda isi (18 Agustus 1990)" in message


def test_a_womans_nik_does_not_match_a_different_day():
    code, _message = _error(WOMAN, birth_date=datetime.date(1990, 8, 16))
    assert code == "birth_date_mismatch"


def test_it_refuses_a_birth_date_in_the_future_or_before_1900():
    with pytest.raises(ValidationError) as caught:
        birth_date_check(datetime.date(2027, 1, 1), today=TODAY)
    assert "masa depan" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        birth_date_check(datetime.date(1899, 12, 31), today=TODAY)


def test_an_empty_nik_asks_for_one():
    code, message = _error("  ")
    assert code == "required"
