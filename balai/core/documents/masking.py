"""Masking of personal data shown on public pages (UU 27/2022): identifiers and names."""

from __future__ import annotations


def mask_identifier(value: str | None) -> str:
    """`3673012345670001` -> `3673********0001`: the region prefix and the last four stay readable."""
    value = "".join((value or "").split())
    if not value:
        return ""
    if len(value) >= 12:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if len(value) > 4:
        return "*" * (len(value) - 2) + value[-2:]
    return "*" * len(value)


def mask_name(name: str) -> str:
    """`Citra Dewi Lestari` -> `Ci*** De** Le*****`: enough to recognise, not enough to look someone up."""
    words = []
    for word in name.split():
        keep = 2 if len(word) > 3 else 1
        words.append(word[:keep] + "*" * (len(word) - keep))
    return " ".join(words)
