import pytest

from balai.core.payments import codes


def test_it_computes_the_textbook_luhn_digit():
    assert codes.luhn_check_digit("7992739871") == "3"
    assert codes.luhn_valid("79927398713")
    assert not codes.luhn_valid("79927398710")


def test_billing_codes_are_eighteen_digits_led_by_the_tenant_and_pass_luhn():
    code = codes.billing_code_new("36.73")
    assert len(code) == 18 and code.isdigit()
    assert code.startswith("3673")
    assert codes.billing_code_valid(code)


def test_a_province_code_is_padded_to_four_digits():
    assert codes.billing_code_new("36").startswith("3600")


def test_a_mistyped_digit_or_swapped_neighbours_are_caught():
    code = codes.billing_code_new("36.73")
    typo = code[:6] + str((int(code[6]) + 1) % 10) + code[7:]
    assert not codes.billing_code_valid(typo)
    i = next(i for i in range(4, 16) if code[i] != code[i + 1] and {code[i], code[i + 1]} != {"0", "9"})
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
    assert not codes.billing_code_valid(swapped)


def test_codes_are_not_sequential_or_repeated():
    found = {codes.billing_code_new("36.73") for _ in range(2000)}
    assert len(found) == 2000


@pytest.mark.parametrize("value", ["", "1234", "36730000000000000a", "1" * 21])
def test_malformed_codes_are_not_valid(value):
    assert not codes.billing_code_valid(value)


def test_typed_codes_lose_their_spaces_and_dashes():
    assert codes.normalise_code("3673 0000-1234 5678 90") == "367300001234567890"
