"""The notification templates the workflow engine sends besides `workflow.transition` (which the
notifications app ships): a file assigned to an officer, and a late file escalated."""

from django.utils.translation import gettext_lazy as _

SIGNATURE_ID = "\n\nSalam,\n{{ tenant_name }}\n\nPesan ini dikirim otomatis oleh Balai; mohon tidak membalasnya."
SIGNATURE_EN = "\n\nRegards,\n{{ tenant_name }}\n\nThis message was sent automatically by Balai; please do not reply to it."


def register_templates() -> None:
    try:
        from balai.core.notifications.defaults import TemplateSpec, register, spec
    except ImportError:  # the notifications app is optional for the engine
        return
    if spec("workflow.assigned") is None:
        register(
            TemplateSpec(
                code="workflow.assigned",
                label=_("Berkas ditugaskan kepada petugas"),
                sample={
                    "reference": "REG-3673-2026-000123",
                    "case_title": "Izin Reklame",
                    "state_to": "Verifikasi",
                    "due_date": "26 Maret 2026",
                    "reason": "Penugasan otomatis",
                    "link": "/kota-serang/alur/",
                },
                texts={
                    ("", "id"): (
                        "{{ reference }} ditugaskan kepada Anda",
                        "Yth. {{ recipient_name }},\n\nBerkas {{ case_title }} {{ reference }} pada tahap {{ state_to }} "
                        "ditugaskan kepada Anda{% if due_date %}, tenggat {{ due_date }}{% endif %}."
                        "{% if reason %}\n\nAlasan: {{ reason }}{% endif %}"
                        "{% if url %}\n\nBuka berkas: {{ url }}{% endif %}" + SIGNATURE_ID,
                    ),
                    ("", "en"): (
                        "{{ reference }} is assigned to you",
                        "Dear {{ recipient_name }},\n\nThe file {{ case_title }} {{ reference }} at the {{ state_to }} step "
                        "is assigned to you{% if due_date %}, due {{ due_date }}{% endif %}."
                        "{% if reason %}\n\nReason: {{ reason }}{% endif %}"
                        "{% if url %}\n\nOpen the file: {{ url }}{% endif %}" + SIGNATURE_EN,
                    ),
                },
            )
        )
    if spec("workflow.escalated") is None:
        register(
            TemplateSpec(
                code="workflow.escalated",
                label=_("Berkas melewati tenggat"),
                sample={
                    "reference": "REG-3673-2026-000123",
                    "case_title": "Izin Reklame",
                    "state_to": "Verifikasi",
                    "due_date": "26 Maret 2026",
                    "link": "/kota-serang/alur/",
                },
                texts={
                    ("", "id"): (
                        "{{ reference }} melewati tenggat",
                        "Yth. {{ recipient_name }},\n\nBerkas {{ case_title }} {{ reference }} masih di tahap {{ state_to }} "
                        "dan melewati tenggatnya{% if due_date %} ({{ due_date }}){% endif %}. Mohon segera ditindaklanjuti."
                        "{% if url %}\n\nBuka berkas: {{ url }}{% endif %}" + SIGNATURE_ID,
                    ),
                    ("", "en"): (
                        "{{ reference }} is past its due date",
                        "Dear {{ recipient_name }},\n\nThe file {{ case_title }} {{ reference }} is still at the {{ state_to }} "
                        "step and past its due date{% if due_date %} ({{ due_date }}){% endif %}. Please act on it."
                        "{% if url %}\n\nOpen the file: {{ url }}{% endif %}" + SIGNATURE_EN,
                    ),
                },
            )
        )
