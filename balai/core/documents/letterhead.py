"""The default letterhead generated from the tenant's profile, and the context letterheads render with."""

from __future__ import annotations

import base64

from balai.core.tenants.models import Tenant

DEFAULT_HTML = """<table class="kop">
  <tr>
    {% if logo %}<td class="kop-logo"><img src="{{ logo }}" alt="Logo {{ pemda }}"></td>{% endif %}
    <td class="kop-teks">
      <div class="kop-pemerintah">PEMERINTAH {{ pemda|upper }}</div>
      {% if alamat %}<div class="kop-alamat">{{ alamat }}</div>{% endif %}
      <div class="kop-kontak">{% if telepon %}Telepon {{ telepon }}{% endif %}{% if telepon and surel %} · {% endif %}{% if surel %}Surel {{ surel }}{% endif %}{% if situs %} · {{ situs }}{% endif %}</div>
    </td>
  </tr>
</table>
<hr class="kop-garis">
"""

DEFAULT_CSS = """.kop { width: 100%; border-collapse: collapse; }
.kop-logo { width: 2.2cm; vertical-align: middle; }
.kop-logo img { width: 2cm; }
.kop-teks { text-align: center; vertical-align: middle; }
.kop-pemerintah { font-size: 15pt; font-weight: bold; letter-spacing: 0.5pt; }
.kop-alamat, .kop-kontak { font-size: 9pt; }
.kop-garis { border: 0; border-top: 2.5pt double #000; margin: 0.2cm 0 0.6cm; }
"""

_IMAGE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def logo_data_uri(tenant: Tenant) -> str:
    """The tenant's logo as a data: URI (the PDF renderer fetches nothing else), or ""."""
    if not tenant.logo:
        return ""
    try:
        with tenant.logo.open("rb") as f:
            data = f.read(1024 * 1024)
    except OSError:
        return ""
    for magic, mime in _IMAGE_TYPES.items():
        if data.startswith(magic):
            return f"data:{mime};base64,{base64.b64encode(data).decode()}"
    return ""


def letterhead_context(tenant: Tenant) -> dict[str, str]:
    return {
        "pemda": tenant.name,
        "alamat": tenant.address,
        "telepon": tenant.phone,
        "surel": tenant.email,
        "situs": tenant.website,
        "logo": logo_data_uri(tenant),
    }
