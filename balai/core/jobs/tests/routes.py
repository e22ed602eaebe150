from balai.core.jobs.services import job_start
from balai.core.jobs.tasks import EXAMPLE_TASK
from balai.testing.routes import Route

# A job is seen by whoever started it (here the officer) and by the tenant's administrators; to
# everyone else it does not exist.
STARTER_AND_ADMIN = {"anonymous": 302, "officer": 200, "admin": 200}


def build(tw):
    tw.objects["jobs_job"] = job_start(
        tenant=tw.tenant, kind="example", label=f"Contoh {tw.key}", actor=tw.people["officer"],
        task_name=EXAMPLE_TASK, kwargs={"steps": 3},
    )


def _pk(tw):
    return {"pk": tw.objects["jobs_job"].pk}


RULES = [
    Route("jobs:list", get={"anonymous": 302}),
    Route("jobs:detail", get=STARTER_AND_ADMIN, default=404, kwargs=_pk),
    Route("jobs:progress", get=STARTER_AND_ADMIN, default=404, kwargs=_pk),
]
