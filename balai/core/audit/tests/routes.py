from datetime import timedelta

from django.utils import timezone

from balai.core.audit.services import audit_digest_publish, audit_record, chain_timezone
from balai.testing.routes import Route

INSPECTORS_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "admin": 403}


def build(tw):
    admin = tw.people["admin"]
    tw.objects["audit_entry"] = audit_record(
        tenant=tw.tenant, actor=admin, action="orgs.unit_create", object_type="orgs.unit", object_id="1"
    )
    yesterday = timezone.localdate(timezone=chain_timezone(tw.tenant)) - timedelta(days=1)
    tw.objects["audit_digest"] = audit_digest_publish(tenant=tw.tenant, day=yesterday)


RULES = [
    Route("audit:digest"),
    Route("audit:digest_json"),
    Route("audit_tenant:digest"),
    Route("audit_tenant:digest_json"),
    Route("audit_tenant:entries", get=INSPECTORS_ONLY),
]
