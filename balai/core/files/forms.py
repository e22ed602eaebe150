"""A reusable upload field that checks the file's content in the form, so the message sits beside it.

    document = ContentCheckedFileField(label=_("Surat pernyataan"), policy=PDF_ONLY)

The service (`file_store`) checks again: the form is for the person, the service is the guard.
The field's cleaned value is the uploaded file, with the check's result on `file.balai_checked`.
"""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy

from .kinds import DEFAULT_POLICY, UploadPolicy, check_upload


class ContentCheckedFileField(forms.FileField):
    def __init__(self, *, policy: UploadPolicy = DEFAULT_POLICY, **kwargs):
        self.policy = policy
        kwargs.setdefault("help_text", lazy(policy.describe, str)())
        # An empty file gets the content check's message (what is wrong and what to do).
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": self.policy.accept()}

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file and file is not initial:
            file.balai_checked = check_upload(file, name=getattr(file, "name", None), policy=self.policy)
        return file
