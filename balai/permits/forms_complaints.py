"""Forms of the office's complaint pages: the list's filter and the answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors_complaints import ANSWERED, OPEN


class ComplaintFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tampilkan"),
        required=False,
        choices=[("", _("Semua pengaduan")), (OPEN, _("Belum dijawab")), (ANSWERED, _("Sudah dijawab"))],
    )


class ComplaintAnswerForm(forms.Form):
    response = forms.CharField(
        label=_("Jawaban untuk pemohon"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Pemohon membaca jawaban ini di halaman permohonannya. Jawaban tidak dapat diubah setelah dikirim."
        ),
        error_messages={
            "required": _("Tulis jawaban untuk pemohon: apa yang sudah atau akan dilakukan kantor."),
            "max_length": _("Jawaban paling banyak 4000 karakter. Persingkat isinya."),
        },
    )
