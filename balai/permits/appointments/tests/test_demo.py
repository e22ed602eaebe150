from balai.permits.appointments.demo import DEMO_DAYS, demo_appointments
from balai.permits.appointments.models import ServiceDay


def test_the_demo_publishes_ten_working_days_once(desk):
    published = demo_appointments(tenant=desk.tenant, actor=desk.admin)
    assert len(published) == DEMO_DAYS
    days = [d.day for d in published]
    assert all(d.weekday() < 5 for d in days) and "2026-08-17" not in {d.isoformat() for d in days}
    assert demo_appointments(tenant=desk.tenant, actor=desk.admin) == []
    assert ServiceDay.objects.filter(tenant=desk.tenant).count() == DEMO_DAYS
