"""Billing codes: the number a payer types at the bank or that a virtual account carries.

Format (18 digits): the tenant's Kemendagri code as four digits (`36.73` -> `3673`, a province `36`
-> `3600`), thirteen random digits from `secrets` (ten trillion per tenant, so that a code cannot be
guessed from another one), and a Luhn check digit that catches a mistyped digit or two swapped
neighbours before the bank is even asked.
"""

from __future__ import annotations

import re
import secrets

RANDOM_DIGITS = 13
CODE_LENGTH = 4 + RANDOM_DIGITS + 1
CODE_RE = re.compile(r"^\d{16,20}$")


def luhn_check_digit(digits: str) -> str:
    """The digit that, appended to `digits`, makes the whole pass the Luhn check."""
    total = 0
    # Walking from the right, the digit next to the (future) check digit is doubled.
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def luhn_valid(code: str) -> bool:
    return bool(code) and code.isdigit() and luhn_check_digit(code[:-1]) == code[-1]


def tenant_prefix(tenant_code: str) -> str:
    digits = re.sub(r"\D", "", tenant_code)
    if not digits or len(digits) > 4:
        raise ValueError(f"Tenant code {tenant_code!r} does not give the four digits of a billing code.")
    return digits.ljust(4, "0")


def billing_code_new(tenant_code: str) -> str:
    body = tenant_prefix(tenant_code) + f"{secrets.randbelow(10**RANDOM_DIGITS):0{RANDOM_DIGITS}d}"
    return body + luhn_check_digit(body)


def billing_code_valid(code: str) -> bool:
    """Well-formed: 16 to 20 digits passing the Luhn check (other gateways may issue other lengths)."""
    return bool(CODE_RE.match(code or "")) and luhn_valid(code)


def normalise_code(value: str) -> str:
    """What a person typed (spaces, dashes) as bare digits."""
    return re.sub(r"[\s\-.]", "", value or "")
