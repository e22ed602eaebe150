import datetime

from balai.core.documents.services import document_issue
from balai.testing.routes import Route

ADMIN_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403}
ADMIN_POST = {**ADMIN_ONLY, "admin": frozenset({302, 400})}
NIKS = {"serang": "3673014501900001", "cilegon": "3672015502910002"}


def build(tw):
    document = document_issue(
        tenant=tw.tenant,
        kind="core.letter",
        title="Surat Keterangan",
        template_context={"body": "Surat ini untuk uji akses."},
        recipient_name=tw.people["citizen"].full_name,
        recipient_id=NIKS[tw.key],
        valid_until=datetime.date(2030, 12, 31),
        actor=tw.people["admin"],
    )
    tw.objects.update(documents_document=document, documents_template=document.template)


def _pk(key):
    return lambda tw: {"pk": tw.objects[key].pk}


RULES = [
    Route("documents:document_list", get=ADMIN_ONLY),
    Route("documents:document_detail", get=ADMIN_ONLY, kwargs=_pk("documents_document")),
    Route("documents:document_pdf", get=ADMIN_ONLY, kwargs=_pk("documents_document")),
    Route(
        "documents:document_revoke",
        default=405,
        post=ADMIN_POST,
        kwargs=_pk("documents_document"),
        post_data=lambda tw: {"reason": "Diterbitkan keliru, diganti dokumen baru."},
    ),
    Route("documents:template_list", get=ADMIN_ONLY),
    Route(
        "documents:template_create",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        post_data=lambda tw: {"kind": "core.notice", "name": "Pengumuman", "body": "<h1>{{ title }}</h1>"},
    ),
    Route(
        "documents:template_edit",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        kwargs=_pk("documents_template"),
        post_data=lambda tw: {"name": "Surat", "body": "<h1>{{ title|upper }}</h1><p>{{ number }}</p>"},
    ),
    Route(
        "documents:letterhead_edit",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        post_data=lambda tw: {"html": "<h1>PEMERINTAH {{ pemda|upper }}</h1>", "css": "h1 { font-size: 14pt; }"},
    ),
    # Public, no login: anyone holding a document checks it.
    Route("verify:lookup"),
    Route(
        "verify:document",
        post={},
        post_default=400,  # the comparison form without a file says what is missing
        kwargs=lambda tw: {"code": tw.objects["documents_document"].code},
    ),
]
