from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "balai.core.tenants"
    label = "tenants"
    verbose_name = _("Pemda")

    def ready(self) -> None:
        from balai.core.registry import ModuleManifest, Role, register_module

        register_module(
            ModuleManifest(
                code="core",
                name=_("Platform"),
                switchable=False,
                roles=(
                    Role(
                        "core.tenant_admin",
                        _("Administrator Pemda"),
                        frozenset({"tenants.manage", "accounts.manage_officers", "orgs.manage", "dashboard.view"}),
                        description=_("Mengelola layanan, pengaturan, struktur organisasi dan akun petugas."),
                    ),
                    Role(
                        "core.officer",
                        _("Petugas (ASN)"),
                        frozenset({"dashboard.view", "orgs.view"}),
                        description=_("Aparatur sipil negara yang bekerja di aplikasi."),
                    ),
                    Role(
                        "core.inspector",
                        _("Inspektorat"),
                        frozenset({"dashboard.view", "orgs.view", "integrity.view"}),
                        description=_("Menelaah tanda bahaya (red flag) dan jejak audit."),
                    ),
                    Role("core.citizen", _("Warga / pemohon"), frozenset({"citizen.apply"}), officer=False),
                ),
            )
        )
