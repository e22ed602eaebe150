"""Identifiers of legal persons: NIB (from OSS) and NPWP (tax number).

The one rule for these identifiers. The messages name no form field, so that each caller keys them to
its own (the permits module to a business applicant's `business_nib` / `business_npwp`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import npwp as stdnum_npwp

NIB_LENGTH = 13


def _separators_out(value: str | None) -> str:
    return "".join(ch for ch in (value or "") if not ch.isspace() and ch not in ".-/")


def nib_clean(value: str | None) -> str:
    """An NIB (Nomor Induk Berusaha from OSS) as its 13 digits; spaces and dots allowed in between; "" for none."""
    nib = _separators_out(value)
    if nib and (not (nib.isascii() and nib.isdigit()) or len(nib) != NIB_LENGTH):
        raise ValidationError(_("NIB terdiri atas 13 angka. Periksa NIB pada dokumen OSS Anda."), code="nib")
    return nib


def npwp_clean(value: str | None) -> str:
    """An NPWP as its digits: 15 (old format) or 16 (a 16-digit NPWP may be the owner's NIK), its check
    digit verified by python-stdnum. Dots and dashes as printed on the card are allowed; "" for none."""
    raw = _separators_out(value)
    if not raw:
        return ""
    if not (raw.isascii() and raw.isdigit()) or len(raw) not in (15, 16):
        raise ValidationError(
            _("NPWP terdiri atas 15 atau 16 angka, misalnya 01.312.166.0-091.000. Salin dari kartu NPWP."), code="npwp"
        )
    try:
        stdnum_npwp.validate(raw)
    except StdnumError:
        raise ValidationError(
            _("NPWP %(npwp)s tidak sah: angka pemeriksanya tidak cocok. Periksa lagi setiap angkanya pada kartu NPWP.")
            % {"npwp": raw},
            code="npwp",
        ) from None
    return raw


def npwp_display(npwp: str) -> str:
    """A 15-digit NPWP as printed on the card (01.312.166.0-091.000); a 16-digit one as it is."""
    return stdnum_npwp.format(npwp) if len(npwp) == 15 else npwp
