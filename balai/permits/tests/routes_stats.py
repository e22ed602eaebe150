"""Access rules of the statistics pages: public statistics and downloads for everyone; the head of
office's dashboard for tenant administrators and approvers only."""

from datetime import date

from balai.testing.routes import Route


def build(tw):
    from balai.permits.demo import demo_permit_catalogue
    from balai.permits.services_stats import stats_refresh

    demo_permit_catalogue(tenant=tw.tenant)
    stats_refresh(tenant=tw.tenant, month=date(2026, 3, 1))


HEAD_OF_OFFICE = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403, "admin": 200}

RULES = [
    Route("permits:stats_index"),
    Route("permits:stats_download"),
    Route("permits:stats_office", get=HEAD_OF_OFFICE),
    Route("permits:stats_office_download", get=HEAD_OF_OFFICE),
]
