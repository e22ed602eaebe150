"""Reconcile a day's gateway statement with our payments, per tenant; meant for the nightly schedule."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from balai.core.payments.gateways import active_gateway, gateway_get
from balai.core.payments.services import reconcile
from balai.core.tenants.models import Tenant


class Command(BaseCommand):
    help = "Compare a day's gateway statement with recorded payments; record discrepancies for people to resolve."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="slug of one tenant (default: every active tenant)")
        parser.add_argument("--day", help="YYYY-MM-DD (default: yesterday in each tenant's time zone)")
        parser.add_argument("--gateway", help="gateway code (default: BALAI_PAYMENT_GATEWAY)")

    def handle(self, *args, tenant=None, day=None, gateway=None, **options):
        try:
            gw = gateway_get(gateway) if gateway else active_gateway()
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        tenants = Tenant.objects.filter(is_active=True).order_by("code")
        if tenant:
            tenants = tenants.filter(slug=tenant)
            if not tenants.exists():
                raise CommandError(f"No active tenant with slug {tenant!r}.")
        the_day = None
        if day:
            try:
                the_day = datetime.date.fromisoformat(day)
            except ValueError:
                raise CommandError(f"--day {day!r} is not a date like 2026-11-27.") from None
        found = 0
        for t in tenants:
            on = the_day or datetime.datetime.now(ZoneInfo(t.timezone)).date() - datetime.timedelta(days=1)
            report = reconcile(tenant=t, day=on, gateway=gw.code)
            found += report.discrepancy_count
            self.stdout.write(
                f"{t.slug} {on.isoformat()} {gw.code}: matched {len(report.matched)}, "
                f"missing here {len(report.missing_here)}, missing at gateway {len(report.missing_at_gateway)}, "
                f"amount mismatches {len(report.amount_mismatches)}"
            )
        self.stdout.write(f"{found} discrepancies recorded." if found else "No discrepancies.")
