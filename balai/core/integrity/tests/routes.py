from balai.core.integrity.models import CheckRun, Finding
from balai.core.integrity.services import checks_run
from balai.testing.routes import Route

INSPECTORS_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "admin": 403}
INSPECTORS_POST = {**INSPECTORS_ONLY, "inspector": frozenset({302, 400})}


def build(tw):
    # No persona has a TOTP device yet, so this raises one finding per officer; the harness uses the
    # officer's, which the inspector may see (the inspector's own is hidden from them).
    run = checks_run(tenant=tw.tenant, codes=["core.officer_without_2fa"], trigger=CheckRun.Trigger.ON_DEMAND)
    officer = tw.people["officer"]
    tw.objects["integrity_run"] = run
    tw.objects["integrity_finding"] = Finding.objects.get(
        tenant=tw.tenant, check_code="core.officer_without_2fa", concerned__user=officer
    )


def _finding(tw):
    return {"pk": tw.objects["integrity_finding"].pk}


RULES = [
    Route("integrity:finding_list", get=INSPECTORS_ONLY),
    Route("integrity:finding_detail", get=INSPECTORS_ONLY, kwargs=_finding),
    Route(
        "integrity:finding_triage", default=405, post=INSPECTORS_POST, post_default=405, kwargs=_finding,
        post_data=lambda tw: {"status": "explained", "note": "Petugas sudah diminta memasang TOTP."},
    ),
    Route("integrity:run_list", get=INSPECTORS_ONLY),
    Route(
        "integrity:run_create", default=405, post=INSPECTORS_POST, post_default=405,
        post_data=lambda tw: {"check": "core.officer_without_2fa"},
    ),
    Route("integrity:run_detail", get=INSPECTORS_ONLY, kwargs=lambda tw: {"pk": tw.objects["integrity_run"].pk}),
]
