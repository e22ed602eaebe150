from django import forms
from django.utils.translation import gettext_lazy as _


class TemplateForm(forms.Form):
    subject = forms.CharField(
        label=_("Judul"),
        max_length=300,
        help_text=_("Judul surel dan notifikasi di aplikasi. Boleh memakai variabel, misalnya {{ reference }}."),
        error_messages={"required": _("Tulis judul notifikasi.")},
    )
    body = forms.CharField(
        label=_("Isi"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "true"}),
        help_text=_(
            "Teks biasa dengan variabel {{ nama }} dan tag dasar {% if %} dan {% for %}. Berlaku untuk surel, "
            "notifikasi di aplikasi, SMS, dan WhatsApp. {% load %} dan {% include %} tidak boleh dipakai."
        ),
        error_messages={"required": _("Tulis isi notifikasi.")},
    )
