"""The public face: choose your region, a tenant's services, the officer dashboard shell."""

from dataclasses import dataclass

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from balai.core.accounts.access import tenant_perm_required
from balai.core.accounts.selectors import membership_for
from balai.core.integrity.selectors import open_count as integrity_open_count
from balai.core.tenants.selectors import tenant_list, tenant_modules


def landing(request):
    tenants = tenant_list()
    provinces = [t for t in tenants if t.kind == t.Kind.PROVINCE]
    groups = [(p, [t for t in tenants if t.parent_id == p.pk]) for p in provinces]
    orphans = [t for t in tenants if t.kind != t.Kind.PROVINCE and t.parent_id is None]
    return render(request, "portal/landing.html", {"groups": groups, "orphans": orphans, "tenant_count": len(tenants)})


def tenant_home(request):
    services = [
        (s, reverse(s.manifest.entry_url_name, kwargs={"tenant": request.tenant.slug}) if s.manifest.entry_url_name else None)
        for s in tenant_modules(tenant=request.tenant)
    ]
    return render(request, "portal/tenant_home.html", {"services": services})


@dataclass(frozen=True)
class Tile:
    title: str
    text: str
    url: str
    count: int | None = None


def _tiles(request, perms: frozenset[str], membership_roles: list[str]) -> tuple[list[Tile], list[Tile]]:
    """The officer's places to work and (for administrators) to manage, by permission."""
    slug = request.tenant.slug
    work: list[Tile] = [
        Tile(_("Kotak masuk"), _("Berkas yang menunggu tindakan Anda, urut tenggat."), reverse("workflow:inbox", kwargs={"tenant": slug})),
        Tile(_("Notifikasi"), _("Pemberitahuan untuk Anda."), reverse("notifications:inbox", kwargs={"tenant": slug})),
        Tile(_("Token API"), _("Token pribadi untuk aplikasi yang memanggil API."), reverse("api_tokens:list", kwargs={"tenant": slug})),
    ]
    manage: list[Tile] = []
    held = set(membership_roles)
    for service in tenant_modules(tenant=request.tenant):
        manifest = service.manifest
        if manifest.office_url_name and held & {role.code for role in manifest.roles}:
            work.insert(0, Tile(manifest.name, _("Berkas layanan ini yang Anda tangani."), reverse(manifest.office_url_name, kwargs={"tenant": slug})))
    if perms & {"orgs.view", "orgs.manage"}:
        work.append(Tile(_("Struktur organisasi"), _("OPD, bidang, seksi, jabatan dan pegawai."), reverse("orgs:unit_list", kwargs={"tenant": slug})))
    work.append(Tile(_("Tagihan"), _("Tagihan retribusi dan pembayarannya."), reverse("payments:bill_list", kwargs={"tenant": slug})))
    work.append(Tile(_("Kalender kerja"), _("Hari libur nasional, cuti bersama dan libur daerah."), reverse("workdays:calendar", kwargs={"tenant": slug})))
    if "integrity.view" in perms:
        open_findings = integrity_open_count(tenant=request.tenant, viewer=request.user)
        work.append(Tile(_("Temuan integritas"), _("Tanda bahaya yang perlu ditelaah."), reverse("integrity:finding_list", kwargs={"tenant": slug}), open_findings))
        work.append(Tile(_("Jejak audit"), _("Setiap keputusan, tercatat dan berantai."), reverse("audit_tenant:entries", kwargs={"tenant": slug})))
    if "accounts.manage_officers" in perms:
        manage.append(Tile(_("Akun petugas"), _("Tambah petugas dan atur perannya."), reverse("tenant_accounts:officer_list", kwargs={"tenant": slug})))
    if "tenants.manage" in perms:
        for service in tenant_modules(tenant=request.tenant):
            if service.manifest.admin_url_name:
                manage.append(Tile(
                    service.manifest.name, _("Katalog dan pengaturan layanan ini."),
                    reverse(service.manifest.admin_url_name, kwargs={"tenant": slug}),
                ))
        manage.append(Tile(_("Pengaturan Pemda"), _("Layanan aktif, kop surat dan logo."), reverse("tenant_admin:settings", kwargs={"tenant": slug})))
        manage.append(Tile(_("Dokumen dan templat"), _("Templat surat, kop surat, dokumen terbit."), reverse("documents:template_list", kwargs={"tenant": slug})))
        manage.append(Tile(_("Alur kerja"), _("Definisi alur kerja dan versi milik Pemda."), reverse("workflow:definition_list", kwargs={"tenant": slug})))
        manage.append(Tile(_("Templat notifikasi"), _("Isi surel, SMS dan notifikasi dalam dua bahasa."), reverse("notifications:template_list", kwargs={"tenant": slug})))
        manage.append(Tile(_("Pekerjaan latar"), _("Impor dan ekspor yang sedang atau sudah berjalan."), reverse("jobs:list", kwargs={"tenant": slug})))
    return work, manage


@tenant_perm_required("dashboard.view")
def dashboard(request):
    membership = membership_for(user=request.user, tenant=request.tenant)
    work, manage = _tiles(request, membership.permissions, membership.roles)
    return render(
        request,
        "portal/dashboard.html",
        {
            "roles": membership.role_labels(),
            "services": tenant_modules(tenant=request.tenant),
            "work_tiles": work,
            "admin_tiles": manage,
        },
    )


@cache_control(public=True, max_age=3600)
def tenant_logo(request):
    if not request.tenant.logo:
        raise Http404
    return FileResponse(request.tenant.logo.open("rb"))
