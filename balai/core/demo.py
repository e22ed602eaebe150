"""The demo: Banten's tenants and Kota Bandung, with their offices, officers and citizens.

Everything is created through the same services a real Pemda uses, so the demo carries the same
checks (and, as they arrive, the same audit trail). Running it again creates nothing new.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from faker import Faker

from balai.core import registry
from balai.core.accounts import services as accounts
from balai.core.accounts.models import Membership, User
from balai.core.documents.models import IssuedDocument
from balai.core.documents.pdf import PdfEngineUnavailable
from balai.core.documents.services import document_issue
from balai.core.orgs import services as orgs
from balai.core.orgs.demo import demo_org_structure
from balai.core.orgs.models import Employee
from balai.core.orgs.selectors import tenant_today
from balai.core.payments.models import Bill
from balai.core.payments.services import bill_create
from balai.core.tenants import regions
from balai.core.tenants.models import Tenant
from balai.core.tenants.selectors import tenant_module_enabled
from balai.core.tenants.services import tenant_create, tenant_module_configure

# Provinsi Banten with its regencies and cities of the memorandum, and Kota Bandung, whose apps they copy.
DEMO_TENANTS = ["36", "36.04", "36.73", "36.72", "36.03", "36.71", "36.74", "32.73"]
DEMO_PASSWORD = "Demo-Balai-2026"
DEMO_DOMAIN = "demo.balai.id"


@dataclass(frozen=True)
class DemoAccount:
    tenant: Tenant
    role: str
    email: str
    name: str


@dataclass(frozen=True)
class DemoLink:
    tenant: Tenant
    label: str
    path: str


# Tenants whose demo also shows an issued, signed letter and an unpaid bill to pay in the simulator.
SHOWCASE_TENANTS = ["36.73", "32.73"]


# (login name, role label, roles, OPD of the employee who holds the account)
OFFICERS = [
    ("admin", "Administrator Pemda", ["core.tenant_admin", "core.officer"], "DISKOMINFO"),
    ("petugas", "Petugas DPMPTSP", ["core.officer", "permits.frontdesk", "permits.verifier"], "DPMPTSP"),
    ("kepala", "Kepala DPMPTSP", ["core.officer", "permits.approver", "permits.signer"], "DPMPTSP"),
    ("inspektur", "Inspektorat", ["core.inspector"], "INSPEKTORAT"),
]


def email_of(login: str, tenant: Tenant) -> str:
    return f"{login}@{tenant.slug}.{DEMO_DOMAIN}"


def _faker(tenant: Tenant) -> Faker:
    faker = Faker("id_ID")
    faker.seed_instance(int(tenant.code.replace(".", "")))
    return faker


def _tenant(code: str) -> Tenant:
    tenant = Tenant.objects.filter(code=code).first() or tenant_create(code=code)
    for manifest in registry.modules(switchable=True):
        if not tenant_module_enabled(tenant=tenant, module=manifest.code):
            tenant_module_configure(tenant=tenant, module=manifest.code, enabled=True)
    return tenant


def _verified(user: User) -> User:
    if not user.email_verified:
        user = accounts.email_verify(token=accounts.email_verify_token(user=user))
    return user


def _officer(*, tenant: Tenant, login: str, roles: list[str], employee: Employee | None, faker: Faker) -> User:
    email = email_of(login, tenant)
    user = User.objects.filter(email=email).first()
    if user is None or not Membership.objects.filter(tenant=tenant, user=user).exists():
        name = employee.full_name if employee else faker.name()
        membership = accounts.officer_create(tenant=tenant, email=email, full_name=name, roles=roles, actor=None)
        user = membership.user
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user = _verified(user)
    if employee is not None and employee.user_id != user.pk:
        orgs.employee_update(employee=employee, email=email)
    return user


def _nik(*, tenant: Tenant, birth: datetime.date, female: bool, serial: int) -> str:
    # A citizen of the tenant lives in one of its districts (for a province, any district in it).
    district = next(r for r in regions.all_regions(level=3) if r.code.startswith(f"{tenant.code}."))
    day = birth.day + (40 if female else 0)
    return f"{district.code.replace('.', '')}{day:02d}{birth:%m%y}{serial:04d}"


def _citizen(*, tenant: Tenant, login: str, faker: Faker, serial: int) -> User:
    email = email_of(login, tenant)
    user = User.objects.filter(email=email).first()
    if user is None:
        female = serial % 2 == 0
        birth = faker.date_between_dates(date_start=datetime.date(1970, 1, 1), date_end=datetime.date(2004, 12, 31))
        user = accounts.citizen_register(
            tenant=tenant,
            full_name=faker.name_female() if female else faker.name_male(),
            email=email,
            phone=None,
            nik=_nik(tenant=tenant, birth=birth, female=female, serial=serial),
            birth_date=birth,
            password=DEMO_PASSWORD,
        )
    return _verified(user)


def _showcase(*, tenant: Tenant, admin: User, citizen: User) -> list[DemoLink]:
    """A signed letter to verify by QR and a bill to pay, so the demo shows the shared services at work."""
    links: list[DemoLink] = []
    document = IssuedDocument.objects.filter(tenant=tenant, kind="core.letter").first()
    if document is None:
        try:
            document = document_issue(
                tenant=tenant,
                kind="core.letter",
                title="Surat Keterangan Domisili",
                template_context={"body": f"{citizen.full_name} benar berdomisili di wilayah {tenant.name}."},
                recipient_name=citizen.full_name,
                recipient_id=citizen.nik,
                valid_until=datetime.date(tenant_today(tenant).year + 1, 12, 31),
                signer=admin,
                actor=admin,
            )
        except PdfEngineUnavailable:
            document = None  # no Pango on this machine: everything else of the demo still works
    if document is not None:
        links.append(DemoLink(tenant, "Verifikasi dokumen (QR)", reverse("verify:document", kwargs={"code": document.code})))
    bill = Bill.objects.filter(tenant=tenant, purpose="core.demo", status=Bill.Status.UNPAID).first()
    if bill is None:
        bill = bill_create(
            tenant=tenant,
            purpose="core.demo",
            amount=150_000,
            payer_name=citizen.full_name,
            payer_id=citizen.nik,
            payer_user=citizen,
            description="Retribusi contoh (demo)",
            actor=admin,
        )
    links.append(DemoLink(tenant, "Bayar tagihan di simulator", reverse("pay:simulator", kwargs={"code": bill.code})))
    return links


def _business(*, tenant: Tenant, owner: User, faker: Faker) -> None:
    """The first citizen of each demo tenant runs a small business (registered once, with a NIB and an
    NPWP whose check digit is right), so that business applications can be tried."""
    from stdnum import luhn

    from balai.core.parties.models import LegalEntity
    from balai.core.parties.selectors import entities_represented_by
    from balai.core.parties.services import entity_register

    if entities_represented_by(user=owner, kind=LegalEntity.Kind.BUSINESS).exists():
        return
    digits = tenant.code.replace(".", "").ljust(4, "0")
    base = f"0{digits}123"
    npwp = f"{base}{luhn.calc_check_digit(base)}{digits[:3]}000"
    entity_register(
        kind=LegalEntity.Kind.BUSINESS, name=f"CV {faker.last_name()} Mandiri", nib=f"9120{digits}00001",
        npwp=npwp, address=faker.street_address(), regency_code=tenant.code if "." in tenant.code else f"{tenant.code}.71",
        actor=owner,
    )


def demo_seed() -> tuple[list[DemoAccount], list[DemoLink]]:
    """Create (or find) the demo tenants, their structure, officers and citizens; return the accounts
    and a few links worth opening."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The demo data is never loaded in production.")
    found: list[DemoAccount] = []
    links: list[DemoLink] = []
    # The demo's own e-mails (verification links, officer invitations) are not worth printing.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for code in DEMO_TENANTS:
            with transaction.atomic():
                tenant = _tenant(code)
                faker = _faker(tenant)
                structure = demo_org_structure(tenant=tenant, faker=faker)
                heads = {}
                for employee in structure["employees"]:
                    assignment = employee.assignments.filter(end__isnull=True).select_related("position__unit").first()
                    if assignment is None:
                        continue
                    opd = assignment.position.unit
                    while opd.parent_id is not None:
                        opd = opd.parent
                    heads.setdefault(opd.code, []).append(employee)
                for login, label, roles, opd_code in OFFICERS:
                    people = heads.get(opd_code, [])
                    employee = people[0] if login != "petugas" else (people[-1] if people else None)
                    user = _officer(tenant=tenant, login=login, roles=roles, employee=employee, faker=faker)
                    found.append(DemoAccount(tenant, label, user.email, user.full_name))
                citizens = []
                for serial, login in enumerate(["warga", "warga2"], start=1):
                    user = _citizen(tenant=tenant, login=login, faker=faker, serial=serial)
                    citizens.append(user)
                    found.append(DemoAccount(tenant, "Warga", user.email, user.full_name))
                _business(tenant=tenant, owner=citizens[0], faker=faker)
                admin = User.objects.get(email=email_of("admin", tenant))
                # Each module brings its own demo data (a permit catalogue, ...) through its manifest.
                for manifest in registry.modules(switchable=True):
                    if manifest.demo_loader is not None:
                        manifest.demo_loader(tenant=tenant, actor=admin)
                if code in SHOWCASE_TENANTS:
                    links += _showcase(tenant=tenant, admin=admin, citizen=citizens[0])
    return found, links
