from balai.core.workdays.models import DayOff
from balai.core.workdays.selectors import calendar_for
from balai.testing.routes import Route

ADMIN_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403}


def build(tw):
    calendar = calendar_for(tw.tenant)
    # Two working days a few weeks ahead (within the editable years): one recorded, one left free.
    recorded = calendar.add_working_days(calendar.today(), 10)
    tw.objects["workdays_day_off"] = DayOff.objects.create(
        tenant=tw.tenant,
        date=recorded,
        kind=DayOff.Kind.LOCAL,
        name="Hari Jadi Kota",
        created_by=tw.people["admin"],
    )
    tw.objects["workdays_free_date"] = calendar.add_working_days(recorded, 5)


RULES = [
    # The calendar is public information: anyone may read it, in any tenant.
    Route("workdays:calendar"),
    Route(
        "workdays:day_off_add",
        default=405,
        post={**ADMIN_ONLY, "admin": 303},
        post_data=lambda tw: {
            "date": tw.objects["workdays_free_date"].isoformat(),
            "kind": DayOff.Kind.LOCAL,
            "name": "Libur daerah",
        },
    ),
    Route(
        "workdays:day_off_remove",
        default=405,
        post={**ADMIN_ONLY, "admin": 303},
        kwargs=lambda tw: {"pk": tw.objects["workdays_day_off"].pk},
    ),
]
