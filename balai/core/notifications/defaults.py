"""The notification templates the platform ships, in Indonesian and English, and how to add more.

A template is known by a dotted code (`workflow.transition`). Each code has a subject and a body per
language for all channels (channel ""), and may have a short variant for SMS and WhatsApp. A module
registers its own codes from its AppConfig.ready():

    from balai.core.notifications.defaults import TemplateSpec, register
    register(TemplateSpec(code="permits.ready", label=_("Izin terbit"), sample={...}, texts={...}))

`sample` is the context shown when an administrator previews the template; it also documents the
variables a caller passes. Every template also receives `recipient_name`, `tenant_name` and `url`
(the absolute address of the context's `link`, when there is one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

# channel -> the template rows tried for it, most specific first ("" serves every channel)
CHANNEL_FALLBACK = {"inapp": ["inapp", ""], "email": ["email", ""], "sms": ["sms", ""], "whatsapp": ["whatsapp", "sms", ""]}
LANGUAGES = ("id", "en")
AUTOMATIC = {"recipient_name": "Citra Dewi", "tenant_name": "Kota Serang", "url": "https://balai.example.go.id/kota-serang/"}


@dataclass(frozen=True)
class TemplateSpec:
    code: str
    label: Any
    sample: dict[str, Any]
    # (channel, language) -> (subject, body)
    texts: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def text(self, *, channel: str, language: str) -> tuple[str, str] | None:
        for candidate in CHANNEL_FALLBACK.get(channel, [channel, ""]):
            if (candidate, language) in self.texts:
                return self.texts[(candidate, language)]
        return None

    def sample_context(self) -> dict[str, Any]:
        return {**AUTOMATIC, **self.sample}


_SPECS: dict[str, TemplateSpec] = {}


def register(spec: TemplateSpec) -> TemplateSpec:
    for language in LANGUAGES:
        if ("", language) not in spec.texts:
            raise ValueError(f"Notification template {spec.code} needs a text for every channel in {language!r}.")
    _SPECS[spec.code] = spec
    return spec


def spec(code: str) -> TemplateSpec | None:
    return _SPECS.get(code)


def specs() -> list[TemplateSpec]:
    return sorted(_SPECS.values(), key=lambda s: s.code)


SIGNATURE_ID = "\n\nSalam,\n{{ tenant_name }}\n\nPesan ini dikirim otomatis oleh Balai; mohon tidak membalasnya."
SIGNATURE_EN = "\n\nRegards,\n{{ tenant_name }}\n\nThis message was sent automatically by Balai; please do not reply to it."

register(
    TemplateSpec(
        code="generic",
        label=_("Pesan umum"),
        sample={"subject": "Pemeliharaan sistem", "message": "Layanan tidak tersedia Sabtu pukul 22.00–23.00 WIB."},
        texts={
            ("", "id"): (
                "{{ subject }}",
                "Yth. {{ recipient_name }},\n\n{{ message }}\n{% if url %}\nBuka: {{ url }}{% endif %}" + SIGNATURE_ID,
            ),
            ("", "en"): (
                "{{ subject }}",
                "Dear {{ recipient_name }},\n\n{{ message }}\n{% if url %}\nOpen: {{ url }}{% endif %}" + SIGNATURE_EN,
            ),
            ("sms", "id"): ("{{ subject }}", "{{ tenant_name }}: {{ message|truncatechars:120 }}"),
            ("sms", "en"): ("{{ subject }}", "{{ tenant_name }}: {{ message|truncatechars:120 }}"),
        },
    )
)

register(
    TemplateSpec(
        code="workflow.transition",
        label=_("Perubahan status berkas"),
        sample={
            "reference": "PBG/2026/000123",
            "case_title": "Persetujuan Bangunan Gedung",
            "state_from": "Verifikasi berkas",
            "state_to": "Survei lapangan",
            "actor_name": "Budi Santoso",
            "comment": "Survei dijadwalkan Senin pagi.",
            "link": "/kota-serang/",
        },
        texts={
            ("", "id"): (
                "{{ reference }}: status berubah menjadi {{ state_to }}",
                "Yth. {{ recipient_name }},\n\nStatus {{ case_title|default:\"berkas\" }} {{ reference }} berubah"
                "{% if state_from %} dari {{ state_from }}{% endif %} menjadi {{ state_to }}."
                "{% if comment %}\n\nCatatan petugas: {{ comment }}{% endif %}"
                "{% if url %}\n\nLihat rinciannya: {{ url }}{% endif %}" + SIGNATURE_ID,
            ),
            ("", "en"): (
                "{{ reference }}: status changed to {{ state_to }}",
                "Dear {{ recipient_name }},\n\nThe status of {{ case_title|default:\"your file\" }} {{ reference }} changed"
                "{% if state_from %} from {{ state_from }}{% endif %} to {{ state_to }}."
                "{% if comment %}\n\nOfficer's note: {{ comment }}{% endif %}"
                "{% if url %}\n\nSee the details: {{ url }}{% endif %}" + SIGNATURE_EN,
            ),
            ("sms", "id"): ("", "{{ tenant_name }}: status {{ reference }} kini {{ state_to }}.{% if url %} {{ url }}{% endif %}"),
            ("sms", "en"): ("", "{{ tenant_name }}: {{ reference }} is now {{ state_to }}.{% if url %} {{ url }}{% endif %}"),
        },
    )
)

register(
    TemplateSpec(
        code="accounts.officer_added",
        label=_("Ditambahkan sebagai petugas"),
        sample={"roles": "Petugas, Inspektur", "added_by": "Ayu Lestari", "link": "/accounts/login/"},
        texts={
            ("", "id"): (
                "Anda ditambahkan sebagai petugas {{ tenant_name }}",
                "Yth. {{ recipient_name }},\n\n{% if added_by %}{{ added_by }} menambahkan Anda{% else %}Anda ditambahkan{% endif %} "
                "sebagai petugas {{ tenant_name }} dengan peran: {{ roles }}."
                "\n\nMasuk dengan alamat surel ini{% if url %} di {{ url }}{% endif %}. Petugas wajib memasang "
                "verifikasi dua langkah (aplikasi autentikator) saat pertama kali masuk." + SIGNATURE_ID,
            ),
            ("", "en"): (
                "You were added as an officer of {{ tenant_name }}",
                "Dear {{ recipient_name }},\n\n{% if added_by %}{{ added_by }} added you{% else %}You were added{% endif %} "
                "as an officer of {{ tenant_name }} with the roles: {{ roles }}."
                "\n\nSign in with this e-mail address{% if url %} at {{ url }}{% endif %}. Officers must set up "
                "two-step verification (an authenticator app) the first time they sign in." + SIGNATURE_EN,
            ),
        },
    )
)

register(
    TemplateSpec(
        code="payments.paid",
        label=_("Pembayaran diterima"),
        sample={"billing_code": "3673260000123457", "amount": 1250000, "description": "Retribusi PBG", "link": "/kota-serang/"},
        texts={
            ("", "id"): (
                "Pembayaran {{ billing_code }} diterima",
                "Yth. {{ recipient_name }},\n\nPembayaran sebesar {{ amount|rupiah }} untuk {{ description }} "
                "(kode bayar {{ billing_code }}) sudah kami terima. Terima kasih."
                "{% if url %}\n\nBukti dan rinciannya: {{ url }}{% endif %}" + SIGNATURE_ID,
            ),
            ("", "en"): (
                "Payment {{ billing_code }} received",
                "Dear {{ recipient_name }},\n\nWe have received your payment of {{ amount|rupiah }} for {{ description }} "
                "(billing code {{ billing_code }}). Thank you."
                "{% if url %}\n\nReceipt and details: {{ url }}{% endif %}" + SIGNATURE_EN,
            ),
            ("sms", "id"): ("", "{{ tenant_name }}: pembayaran {{ amount|rupiah }} kode {{ billing_code }} diterima. Terima kasih."),
            ("sms", "en"): ("", "{{ tenant_name }}: payment of {{ amount|rupiah }} for code {{ billing_code }} received. Thank you."),
        },
    )
)
