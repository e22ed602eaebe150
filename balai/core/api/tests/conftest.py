import datetime

import pytest
from django.test import Client

from balai.core.api import services
from balai.core.api.models import ApiToken
from balai.core.orgs import services as orgs_services
from balai.core.orgs.models import Unit


@pytest.fixture
def api(world):
    """A client without a session, and a helper that makes tokens."""
    return Client()


def make_token(tw, *, kind="client", person="admin", scopes=("orgs:read",), **extra) -> str:
    fields = {"client_name": "SIMDA Keuangan"} if kind == ApiToken.Kind.CLIENT else {"user": tw.people[person]}
    _token, raw = services.token_create(
        tenant=tw.tenant, kind=kind, scopes=list(scopes), actor=tw.people["admin"], **fields, **extra
    )
    return raw


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def units(world):
    """Two units in each tenant."""
    found = {}
    for tw in (world.serang, world.cilegon):
        opd = orgs_services.unit_create(
            tenant=tw.tenant, code="DPMPTSP", name=f"DPMPTSP {tw.key}", kind=Unit.Kind.OPD,
            valid_from=datetime.date(2020, 1, 1),
        )
        bidang = orgs_services.unit_create(
            tenant=tw.tenant, code="DPMPTSP.1", name="Bidang Pelayanan", kind=Unit.Kind.BIDANG, parent=opd,
            valid_from=datetime.date(2020, 1, 1),
        )
        found[tw.key] = [opd, bidang]
    return found
