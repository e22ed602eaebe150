"""The SKM index of PermenPANRB 14/2017, computed by hand on small surveys."""

from decimal import Decimal

import pytest

from balai.permits.skm import grade_of, skm_from_sums, skm_index

# Four respondents, nine elements each (U1 requirements ... U9 facilities).
ANSWERS = [
    [4, 4, 3, 4, 3, 4, 4, 3, 4],
    [3, 3, 3, 4, 3, 3, 4, 3, 3],
    [4, 3, 2, 4, 3, 4, 4, 2, 3],
    [3, 4, 3, 4, 4, 4, 3, 3, 4],
]


def test_it_computes_the_worked_example_by_hand():
    result = skm_index(ANSWERS)
    # Element sums 14, 14, 11, 16, 13, 15, 15, 11, 14 over 4 respondents:
    assert result.element_means == tuple(
        Decimal(x) for x in ("3.5", "3.5", "2.75", "4", "3.25", "3.75", "3.75", "2.75", "3.5")
    )
    # Mean of the means = 123 / 36 = 3.41666...; × 25 = 85.41666... → 85.42, grade B.
    assert result.index == Decimal("85.42")
    assert result.grade == "B" and result.grade_label == "Baik"
    assert result.respondents == 4


def test_it_gives_exactly_100_when_everyone_answers_four_and_25_when_everyone_answers_one():
    assert skm_index([[4] * 9] * 3).index == Decimal("100.00")
    assert skm_index([[4] * 9]).grade == "A"
    low = skm_index([[1] * 9, [1] * 9])
    assert low.index == Decimal("25.00") and low.grade == "D"


def test_it_rounds_the_index_half_up_once():
    # Eight respondents, each element summing to 25: 25 × 225 / 72 = 78.125 → 78.13 (not 78.12).
    result = skm_from_sums(respondents=8, sums=[25] * 9)
    assert result.index == Decimal("78.13") and result.grade == "B"


@pytest.mark.parametrize(
    ("index", "grade"),
    [("100", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"), ("65.00", "C"),
     ("64.99", "D"), ("25.00", "D")],
)
def test_it_grades_on_the_regulation_boundaries(index, grade):
    assert grade_of(Decimal(index))[0] == grade


def test_nobody_answered_gives_no_index():
    result = skm_index([])
    assert result.index is None and result.grade is None and result.respondents == 0


def test_it_refuses_answers_outside_one_to_four_or_not_nine():
    with pytest.raises(ValueError):
        skm_index([[5, 4, 4, 4, 4, 4, 4, 4, 4]])
    with pytest.raises(ValueError):
        skm_index([[4] * 8])
    with pytest.raises(ValueError):
        grade_of(Decimal("24.99"))
