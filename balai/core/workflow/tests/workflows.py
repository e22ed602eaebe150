"""A test-only workflow shaped like the default permit workflow, and helpers to run files through it.

Registered on import (the tests and the isolation harness import it); roles are the core personas':
the applicant is the owner, core.officer verifies, core.tenant_admin approves (never the verifier).
"""

import copy
import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from balai.core.orgs.models import Unit
from balai.core.workflow import services
from balai.core.workflow.definitions import register_workflow

CODE = "tests.permit"
WIB = ZoneInfo("Asia/Jakarta")

TEST_PERMIT = {
    "code": CODE,
    "label": {"id": "Permohonan uji", "en": "Test application"},
    "sla_days": 5,
    "states": [
        {"code": "draft", "label": "Draf", "start": True},
        {"code": "verification", "label": {"id": "Verifikasi", "en": "Verification"}, "sla_days": 3},
        {"code": "returned", "label": "Dikembalikan untuk diperbaiki", "clock": "paused", "sla_days": 10},
        {"code": "approval", "label": "Persetujuan", "sla_days": 2},
        {"code": "approved", "label": "Disetujui", "terminal": True},
        {"code": "rejected", "label": "Ditolak", "terminal": True},
        {"code": "withdrawn", "label": "Ditarik", "terminal": True},
    ],
    "actions": [
        {"code": "submit", "label": "Ajukan", "from": ["draft"], "to": "verification", "roles": ["owner"],
         "requires": ["documents"]},
        {"code": "return", "label": "Kembalikan", "from": ["verification"], "to": "returned",
         "roles": ["core.officer"], "requires": ["comment"]},
        {"code": "resubmit", "label": "Ajukan ulang", "from": ["returned"], "to": "verification", "roles": ["owner"]},
        {"code": "verify", "label": "Nyatakan lengkap", "from": ["verification"], "to": "approval",
         "roles": ["core.officer"]},
        {"code": "approve", "label": "Setujui", "from": ["approval"], "to": "approved",
         "roles": ["core.tenant_admin", "system"], "forbid_same_actor_as": ["verify"]},
        {"code": "reject", "label": "Tolak", "from": ["verification", "approval"], "to": "rejected",
         "roles": ["core.officer", "core.tenant_admin"], "requires": ["comment"], "style": "danger"},
        {"code": "withdraw", "label": "Tarik permohonan", "from": ["draft", "verification", "returned"],
         "to": "withdrawn", "roles": ["owner"]},
    ],
    "escalations": [
        {"code": "verification_late", "state": "verification", "after_days": 0, "do": "notify",
         "notify_roles": ["core.tenant_admin"]},
        {"code": "approval_fiktif_positif", "state": "approval", "after_days": 1, "do": "auto_action",
         "action": "approve"},
    ],
}

register_workflow(TEST_PERMIT)

_numbers = itertools.count(1)


def definition(**changes) -> dict:
    """A deep copy of the test definition, for building variants."""
    data = copy.deepcopy(TEST_PERMIT)
    data.update(changes)
    return data


def subject(tenant) -> Unit:
    """Something for a file to be about (a unit stands in for a module's case object)."""
    n = next(_numbers)
    return Unit.objects.create(tenant=tenant, kind=Unit.Kind.LAINNYA, code=f"UJI-{n}", name=f"Berkas uji {n}")


def start(tenant, owner, *, actor=None, **kwargs):
    return services.instance_start(
        tenant=tenant, code=CODE, subject=subject(tenant), owner=owner, actor=actor or owner, **kwargs
    )


def submitted(tenant, owner, **kwargs):
    instance = start(tenant, owner, **kwargs)
    services.transition(instance=instance, action="submit", actor=owner, documents=["ktp.pdf"])
    return instance


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)
