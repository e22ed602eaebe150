import json

from balai.core.workflow.tests.workflows import CODE, TEST_PERMIT, submitted
from balai.testing.routes import Route

ADMIN_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403}
OFFICERS = {"anonymous": 302, "outsider": 403, "citizen": 403}


def build(tw):
    tw.objects["workflow_instance"] = submitted(tw.tenant, tw.people["citizen"])


RULES = [
    Route("workflow:inbox", get=OFFICERS),
    Route("workflow:instance_detail", get=OFFICERS, kwargs=lambda tw: {"pk": tw.objects["workflow_instance"].pk}),
    Route(
        "workflow:instance_assign",
        default=405,
        # Officers and administrators hold the verification role: the file is theirs to take; an inspector
        # may not hand it out (400 with the reason).
        post={**OFFICERS, "officer": 303, "admin": 303, "inspector": 400},
        post_data=lambda tw: {"assignee": tw.people["officer"].pk, "reason": "Beban kerja"},
        kwargs=lambda tw: {"pk": tw.objects["workflow_instance"].pk},
    ),
    Route("workflow:definition_list", get={**ADMIN_ONLY, "admin": 200}, default=403),
    Route("workflow:definition_detail", get={**ADMIN_ONLY, "admin": 200}, default=403, kwargs=lambda tw: {"code": CODE}),
    Route(
        "workflow:definition_override",
        default=405,
        post={**ADMIN_ONLY, "admin": 303},
        post_data=lambda tw: {"definition": json.dumps(TEST_PERMIT), "note": "Sama dengan bawaan"},
        kwargs=lambda tw: {"code": CODE},
    ),
]
