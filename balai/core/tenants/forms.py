from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.core.registry import ModuleManifest

LOGO_MAX_BYTES = 512 * 1024
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def module_settings_form(manifest: ModuleManifest, *, data=None, enabled: bool, values: dict) -> forms.Form:
    """A form built from a module's declared settings; the manifest, not the form, validates values."""
    fields: dict[str, forms.Field] = {
        "enabled": forms.BooleanField(label=_("Aktifkan layanan ini"), required=False, initial=enabled)
    }
    for spec in manifest.settings:
        common = {"label": spec.label, "help_text": spec.help_text, "initial": values.get(spec.name, spec.default)}
        if spec.type is bool:
            fields[spec.name] = forms.BooleanField(required=False, **common)
        elif spec.type is int:
            fields[spec.name] = forms.IntegerField(min_value=spec.min_value, max_value=spec.max_value, **common)
        elif spec.choices:
            fields[spec.name] = forms.ChoiceField(choices=spec.choices, **common)
        else:
            fields[spec.name] = forms.CharField(max_length=500, **common)
    form_class = type(f"{manifest.code.title()}SettingsForm", (forms.Form,), fields)
    return form_class(data=data, prefix=manifest.code)


class TenantProfileForm(forms.Form):
    address = forms.CharField(label=_("Alamat kantor"), max_length=255, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=32, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    website = forms.URLField(label=_("Situs web"), required=False, assume_scheme="https")
    logo = forms.FileField(
        label=_("Logo"), required=False, help_text=_("Berkas PNG atau JPEG, paling besar 512 KB.")
    )

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo:
            return None
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError(_("Logo terlalu besar (%(kb)s KB). Kecilkan sampai paling besar 512 KB.") % {"kb": logo.size // 1024})
        head = logo.read(8)
        logo.seek(0)
        if not head.startswith(_IMAGE_SIGNATURES):
            raise ValidationError(_("Berkas ini bukan gambar PNG atau JPEG. Simpan logo sebagai PNG atau JPEG lalu unggah lagi."))
        return logo
