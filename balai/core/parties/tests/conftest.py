import pytest

from balai.core.parties import services
from balai.core.parties.models import LegalEntity
from balai.testing.personas import make_person

NIB = "9120001234567"
NPWP = "01.312.166.0-091.000"  # check digit valid


@pytest.fixture
def citra(world):
    """Citra Dewi, a citizen of Kota Serang, who runs a business."""
    return world.serang.people["citizen"]


@pytest.fixture
def hadi(db):
    """Hadi, Citra's business partner, with an account of his own."""
    user = make_person("Hadi Saputra")
    user.phone = "+6281234567890"
    user.save(update_fields=["phone"])
    return user


@pytest.fixture
def business(citra):
    return services.entity_register(
        kind=LegalEntity.Kind.BUSINESS, name="CV Maju Jaya", nib=NIB, npwp=NPWP, address="Jl. Ahmad Yani No. 10",
        regency_code="36.73", actor=citra,
    )
