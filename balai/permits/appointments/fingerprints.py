"""Keyed hashes and masks of what a booking remembers about a person or a device (never the raw values)."""

from __future__ import annotations

import ipaddress

from django.utils.crypto import salted_hmac

from balai.permits.models import mask_nik

_NIK_SALT = "balai.permits.appointments.nik"
_DEVICE_SALT = "balai.permits.appointments.device"


def nik_hash(nik: str) -> str:
    """A keyed hash of a NIK: equal NIKs give equal hashes, the NIK cannot be read back (unlike a bare sha256
    of a 16-digit number whose digits are mostly a region and a birth date)."""
    return salted_hmac(_NIK_SALT, nik.strip(), algorithm="sha256").hexdigest()


def nik_masked(nik: str) -> str:
    return mask_nik(nik)


def network_of(ip: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of an address: households and offices share one, people rarely
    own several. Empty for an unparsable address."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def device_hash(request) -> str:
    """A keyed hash of the browser's signature (user agent and languages). Weak on its own, useful in numbers."""
    ua = request.META.get("HTTP_USER_AGENT", "")
    lang = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    if not ua and not lang:
        return ""
    return salted_hmac(_DEVICE_SALT, f"{ua}\n{lang}", algorithm="sha256").hexdigest()
