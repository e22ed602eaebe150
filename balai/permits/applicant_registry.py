"""What the applicant area registers at startup (called from PermitsConfig.ready through `register()`):
the notification template "permits.expiry_reminder" (Indonesian and English) used by
`balai.permits.reminders`, and the reminders' Celery task.

Who may download an issued permit's PDF is decided by `hooks.may_download_document`, the rule of every
document the module issues (the permit is issued with its application as subject).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SIGNATURE_ID = (
    "\n\nSalam,\n{{ tenant_name }}\n\nPesan ini dikirim otomatis oleh Balai; mohon tidak membalasnya."
)
SIGNATURE_EN = "\n\nRegards,\n{{ tenant_name }}\n\nThis message was sent automatically by Balai; please do not reply to it."


def _expiry_template():
    from balai.core.notifications.defaults import TemplateSpec

    return TemplateSpec(
        code="permits.expiry_reminder",
        label=_("Izin segera berakhir"),
        sample={
            "permit_type": "Izin Reklame",
            "registration_number": "REG-3673-2026-000123",
            "permit_number": "503/0001/DPMPTSP/2026",
            "valid_until": "06-04-2027",
            "days_left": 30,
            "renewable": True,
            "link": "/kota-serang/izin/saya/1/",
        },
        texts={
            ("", "id"): (
                "{{ permit_type }} Anda berakhir {{ days_left }} hari lagi",
                "Yth. {{ recipient_name }},\n\n{{ permit_type }}{% if permit_number %} nomor {{ permit_number }}{% endif %} "
                "(permohonan {{ registration_number }}) berlaku sampai {{ valid_until }}, {{ days_left }} hari lagi."
                "{% if renewable %}\n\nAjukan perpanjangan sebelum tanggal itu; isian izin lama sudah terisi otomatis."
                "{% else %}\n\nIzin ini tidak dapat diperpanjang; ajukan permohonan baru bila masih diperlukan.{% endif %}"
                "{% if url %}\n\nBuka: {{ url }}{% endif %}" + SIGNATURE_ID,
            ),
            ("", "en"): (
                "Your {{ permit_type }} expires in {{ days_left }} days",
                "Dear {{ recipient_name }},\n\nYour {{ permit_type }}{% if permit_number %} number {{ permit_number }}{% endif %} "
                "(application {{ registration_number }}) is valid until {{ valid_until }}, {{ days_left }} days from now."
                "{% if renewable %}\n\nApply for renewal before that date; the form is prefilled from your current permit."
                "{% else %}\n\nThis permit cannot be renewed; submit a new application if you still need it.{% endif %}"
                "{% if url %}\n\nOpen: {{ url }}{% endif %}" + SIGNATURE_EN,
            ),
            ("sms", "id"): (
                "",
                "{{ tenant_name }}: {{ permit_type }} Anda berakhir {{ valid_until }} ({{ days_left }} hari lagi)."
                "{% if renewable %} Ajukan perpanjangan di Balai.{% endif %}",
            ),
            ("sms", "en"): (
                "",
                "{{ tenant_name }}: your {{ permit_type }} expires {{ valid_until }} (in {{ days_left }} days)."
                "{% if renewable %} Apply for renewal on Balai.{% endif %}",
            ),
        },
    )


def register() -> None:
    from balai.core.notifications.defaults import register as register_template

    from . import reminders  # noqa: F401 - registers the Celery task

    register_template(_expiry_template())
