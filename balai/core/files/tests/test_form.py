"""The upload field shows the content check's message beside the field, before any service runs."""

from django import forms

from balai.core.files.forms import ContentCheckedFileField
from balai.core.files.kinds import PDF_ONLY

from .factories import image_bytes, pdf_bytes, upload


class RequirementForm(forms.Form):
    document = ContentCheckedFileField(label="Surat pernyataan", policy=PDF_ONLY)


def test_it_accepts_a_real_pdf_and_keeps_the_check():
    form = RequirementForm(data={}, files={"document": upload(pdf_bytes(), "surat.pdf")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["document"].balai_checked.kind.code == "pdf"


def test_it_puts_the_refusal_beside_the_field():
    form = RequirementForm(data={}, files={"document": upload(image_bytes("PNG"), "surat.pdf")})
    assert not form.is_valid()
    assert form.errors["document"] == [
        "Berkas ini adalah gambar PNG, sedangkan di sini hanya PDF yang diterima. "
        "Simpan atau ubah berkasnya menjadi PDF, lalu unggah lagi."
    ]


def test_an_empty_file_gets_the_content_message():
    form = RequirementForm(data={}, files={"document": upload(b"", "surat.pdf")})
    assert not form.is_valid()
    assert "kosong" in form.errors["document"][0]


def test_the_field_tells_the_browser_and_the_person_what_it_takes():
    html = str(RequirementForm()["document"])
    assert 'accept=".pdf,application/pdf"' in html
    assert str(RequirementForm().fields["document"].help_text) == "PDF, paling besar 5 MB."
