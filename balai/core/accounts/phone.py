import re

_MOBILE = re.compile(r"^\+628[1-9][0-9]{6,11}$")


def normalize_phone(raw: str) -> str | None:
    """An Indonesian mobile number in E.164 (`+62812...`), or None when it is not one."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("08"):
        digits = "+62" + digits[1:]
    elif digits.startswith("628"):
        digits = "+" + digits
    return digits if _MOBILE.match(digits) else None
