from balai.core.files.services import file_store
from balai.core.files.tests.factories import pdf_bytes
from balai.testing.routes import Route


def build(tw):
    stored = file_store(
        tenant=tw.tenant,
        upload=pdf_bytes(),
        name=f"Surat pernyataan {tw.key}.pdf",
        purpose="tests.requirement",
        actor=tw.people["citizen"],
    )
    tw.objects["files_citizen_upload"] = stored


RULES = [
    # The citizen uploaded it; officers, inspectors and admins hold "dashboard.view" (the default rule);
    # everyone else gets the 404 of a file that does not exist.
    Route(
        "files:download",
        get={"anonymous": 302, "outsider": 404},
        default=200,
        kwargs=lambda tw: {"public_id": tw.objects["files_citizen_upload"].public_id},
    ),
]
