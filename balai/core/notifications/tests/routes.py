from balai.core.notifications.services import notify
from balai.testing.routes import Route

ADMIN_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403}
ADMIN_POST = {**ADMIN_ONLY, "admin": frozenset({302, 400})}
TEMPLATE = {"code": "generic", "language": "id"}


def build(tw):
    [message] = notify(
        tenant=tw.tenant,
        recipients=[tw.people["citizen"]],
        template="generic",
        context={"subject": "Uji akses", "message": f"Pesan untuk warga {tw.key}", "link": f"/{tw.tenant.slug}/"},
        channels=["inapp"],
    )
    tw.objects["notifications_message"] = message


RULES = [
    # Anyone signed in has an inbox; it lists only their own notifications in this tenant.
    Route("notifications:inbox", get={"anonymous": 302}),
    Route("notifications:badge", get={"anonymous": 302}),
    # Only the recipient may mark their notification; to anyone else it does not exist.
    Route(
        "notifications:mark_read",
        default=405,
        post={"anonymous": 302, "citizen": 302},
        post_default=404,
        kwargs=lambda tw: {"pk": tw.objects["notifications_message"].pk},
    ),
    Route("notifications:mark_all_read", default=405, post={"anonymous": 302}, post_default=302),
    Route("notifications:template_list", get=ADMIN_ONLY),
    Route(
        "notifications:template_edit",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        kwargs=lambda tw: TEMPLATE,
        post_data=lambda tw: {"subject": "{{ subject }}", "body": "Yth. {{ recipient_name }}, {{ message }}", "action": "save"},
    ),
    Route("notifications:template_reset", default=405, post=ADMIN_POST, kwargs=lambda tw: TEMPLATE),
]
