"""What the applicant area registers at startup (called from PermitsConfig.ready through `register()`):

- the download rule of issued permits' PDFs (purpose "documents.permits.permit"): the holder of the
  permit, the current representatives of the business it was issued to, the permits staff and the
  inspectorate may download it; nobody else (the same 404 as a missing file);
- the notification template "permits.expiry_reminder" (Indonesian and English) used by
  `balai.permits.reminders`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PERMIT_PURPOSE = "documents.permits.permit"


def may_download_permit(user, tenant, stored_file) -> bool:
    """The applicant whose application the permit was issued for, a current representative of the business
    it was issued to, a holder of a permits role or the inspectorate (not officers of other modules)."""
    from .models import Application
    from .selectors_business import may_follow
    from .selectors_office import may_open_files

    issued_for = Application.objects.filter(tenant=tenant, permit_document__pdf_file=stored_file).first()
    if issued_for is not None and (issued_for.applicant_id == user.pk or may_follow(user=user, application=issued_for)):
        return True
    return may_open_files(tenant=tenant, user=user)


SIGNATURE_ID = "\n\nSalam,\n{{ tenant_name }}\n\nPesan ini dikirim otomatis oleh Balai; mohon tidak membalasnya."
SIGNATURE_EN = "\n\nRegards,\n{{ tenant_name }}\n\nThis message was sent automatically by Balai; please do not reply to it."


def _expiry_template():
    from balai.core.notifications.defaults import TemplateSpec

    return TemplateSpec(
        code="permits.expiry_reminder",
        label=_("Izin segera berakhir"),
        sample={
            "permit_type": "Izin Reklame", "registration_number": "REG-3673-2026-000123",
            "permit_number": "503/0001/DPMPTSP/2026", "valid_until": "06-04-2027", "days_left": 30,
            "renewable": True, "link": "/kota-serang/izin/saya/1/",
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
    from balai.core.files.rules import register_download_rule
    from balai.core.notifications.defaults import register as register_template

    from . import reminders  # noqa: F401 - registers the Celery task

    register_download_rule(PERMIT_PURPOSE, may_download_permit)
    register_template(_expiry_template())
