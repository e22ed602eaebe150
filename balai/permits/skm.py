"""The satisfaction index (Indeks Kepuasan Masyarakat, SKM) of PermenPANRB 14/2017.

Nine elements (U1 requirements, U2 procedure, U3 completion time, U4 cost, U5 product, U6 officer
competence, U7 officer conduct, U8 complaint handling, U9 facilities), each answered 1-4 by every
respondent. The index is the mean of the nine element means, times 25, so it lies between 25 and 100:

    IKM = 25 × (NRR_1 + ... + NRR_9) / 9,   NRR_i = (sum of the answers to element i) / respondents

The regulation writes it as Σ (NRR_i × 0.111) × 25; we use the exact weight 1/9 (the printed 0.111 is
that fraction rounded), so a survey where everyone answers 4 gives exactly 100, not 99.9.

Rounding: everything is computed in Decimal without rounding; only the index is rounded, once, to two
decimals ROUND_HALF_UP (the precision of the grade boundaries), and the grade is read from that rounded
index. Element means are shown rounded to two decimals ROUND_HALF_UP for display only.

Grades (mutu pelayanan): A 88.31-100 (sangat baik), B 76.61-88.30 (baik), C 65.00-76.60 (kurang
baik), D 25.00-64.99 (tidak baik).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

ELEMENTS = 9
TWO_PLACES = Decimal("0.01")

# (lowest index of the grade, grade, meaning), best first.
GRADES = (
    (Decimal("88.31"), "A", _("Sangat baik")),
    (Decimal("76.61"), "B", _("Baik")),
    (Decimal("65.00"), "C", _("Kurang baik")),
    (Decimal("25.00"), "D", _("Tidak baik")),
)


@dataclass(frozen=True)
class SkmIndex:
    """The index of a set of answers. `index` and `grade` are None when nobody answered."""

    respondents: int
    element_means: tuple[Decimal, ...]  # NRR per element, unrounded (empty without respondents)
    index: Decimal | None  # 25.00-100.00, rounded to two decimals ROUND_HALF_UP
    grade: str | None
    grade_label: str

    @property
    def element_means_display(self) -> list[Decimal]:
        return [m.quantize(TWO_PLACES, rounding=ROUND_HALF_UP) for m in self.element_means]


def grade_of(index: Decimal) -> tuple[str, str]:
    """The grade (A-D) and its meaning for an index already rounded to two decimals."""
    if not Decimal("25") <= index <= Decimal("100"):
        raise ValueError(f"An SKM index lies between 25 and 100, not {index}.")
    for lowest, grade, label in GRADES:
        if index >= lowest:
            return grade, str(label)
    raise AssertionError("unreachable")  # pragma: no cover


def skm_from_sums(*, respondents: int, sums: Sequence[int]) -> SkmIndex:
    """The index from the number of respondents and the sum of the answers to each of the nine elements
    (what the monthly statistics store, so that months and permit types add up exactly)."""
    if len(sums) != ELEMENTS:
        raise ValueError(f"SKM needs the sums of {ELEMENTS} elements, got {len(sums)}.")
    if respondents <= 0:
        return SkmIndex(0, (), None, None, "")
    if any(not respondents <= s <= 4 * respondents for s in sums):
        raise ValueError("Each element's sum must lie between 1 and 4 times the respondents.")
    means = tuple(Decimal(s) / Decimal(respondents) for s in sums)
    # Exact arithmetic: 25 × Σ sums / (9 × respondents); rounded once, here.
    raw = Decimal(25 * sum(sums)) / Decimal(ELEMENTS * respondents)
    index = raw.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    grade, label = grade_of(index)
    return SkmIndex(respondents, means, index, grade, label)


def skm_index(answers: Iterable[Sequence[int]]) -> SkmIndex:
    """The index of respondents' answers, each a sequence of nine integers 1-4."""
    sums = [0] * ELEMENTS
    respondents = 0
    for row in answers:
        row = list(row)
        if len(row) != ELEMENTS or any(isinstance(a, bool) or not isinstance(a, int) or not 1 <= a <= 4 for a in row):
            raise ValueError("Each respondent answers the nine elements with 1, 2, 3 or 4.")
        respondents += 1
        for i, answer in enumerate(row):
            sums[i] += answer
    return skm_from_sums(respondents=respondents, sums=sums)
