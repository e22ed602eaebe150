import pytest
from django.core.exceptions import ValidationError

from balai.core.orgs import services
from balai.core.orgs.identifiers import job_class_clean, nip_clean, rank_clean

from .conftest import make_employee, nip


def test_it_accepts_a_well_formed_nip_and_strips_spacing():
    assert nip_clean("19850101 201012 1 001") == "198501012010121001"


@pytest.mark.parametrize(
    ("nip", "says"),
    [
        ("19850101", "NIP 19850101 harus 18 angka"),
        ("1985010120101210011", "harus 18 angka"),
        ("19850101201012100A", "hanya boleh berisi angka"),
        ("198513012010121001", "tanggal lahir"),
        ("198502302010121001", "tanggal lahir"),
        ("198501012010131001", "bulan pengangkatan"),
        ("198501011990121001", "terlalu dekat"),
        ("198501012010123001", "angka ke-15"),
        ("", "wajib diisi"),
    ],
)
def test_it_says_what_is_wrong_with_a_nip(nip, says):
    with pytest.raises(ValidationError) as exc:
        nip_clean(nip)
    assert says in exc.value.messages[0]


def test_a_nip_is_unique_in_a_tenant_but_not_across_tenants(world):
    make_employee(world.serang.tenant, 1, "Ani")
    with pytest.raises(ValidationError) as exc:
        make_employee(world.serang.tenant, 1, "Ani Lagi")
    assert "sudah terdaftar" in exc.value.message_dict["nip"][0]
    assert make_employee(world.cilegon.tenant, 1, "Ani di Cilegon").nip == nip(1)


@pytest.mark.parametrize(("raw", "kind", "expected"), [("iii/a", "pns", "III/a"), ("IVb", "pns", "IV/b"), ("9", "pppk", "IX"), ("xvii", "pppk", "XVII"), ("", "pns", "")])
def test_it_writes_ranks_the_way_decrees_do(raw, kind, expected):
    assert rank_clean(raw, employment_type=kind) == expected


@pytest.mark.parametrize(("raw", "kind"), [("V/a", "pns"), ("IV/f", "pns"), ("XVIII", "pppk"), ("0", "pppk")])
def test_it_refuses_unknown_ranks(raw, kind):
    with pytest.raises(ValidationError):
        rank_clean(raw, employment_type=kind)


@pytest.mark.parametrize("raw", ["0", "18", "tujuh", "", None, "-1"])
def test_job_class_is_one_to_seventeen(raw):
    with pytest.raises(ValidationError):
        job_class_clean(raw)
    assert job_class_clean("17") == 17 and job_class_clean(7.0) == 7


def test_an_employee_is_linked_only_to_a_verified_account_with_their_email(world):
    tenant = world.serang.tenant
    officer = world.serang.people["officer"]
    employee = services.employee_create(
        tenant=tenant, nip="198501012010121001", full_name=officer.full_name, employment_type="pns", email=officer.email.upper()
    )
    assert employee.user == officer
    officer.email_verified_at = None
    officer.save(update_fields=["email_verified_at"])
    other = services.employee_create(tenant=world.cilegon.tenant, nip="198501012010121001", full_name="X", employment_type="pns", email=officer.email)
    assert other.user is None
