"""Access rules of the public permit pages: anyone may read them, in any tenant."""

from balai.testing.routes import Route


def build(tw):
    from balai.permits.demo import demo_permit_catalogue

    demo_permit_catalogue(tenant=tw.tenant)


RULES = [
    Route("permits:public_catalogue"),
    Route("permits:public_type_detail", kwargs=lambda tw: {"code": "reklame"}),
    Route("permits:public_fee_simulator", kwargs=lambda tw: {"code": "reklame"}),
    Route("permits:public_tracking"),
]
