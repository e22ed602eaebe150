"""`manage.py permits_expiry_reminders`: remind permit holders before their permits expire (daily)."""

from django.core.management.base import BaseCommand

from balai.permits.reminders import REMINDER_DAYS, permits_expiry_reminders


class Command(BaseCommand):
    help = "Remind permit holders N days before their permits expire (idempotent; run daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, nargs="+", default=list(REMINDER_DAYS),
            help="Days before expiry to remind at (default: 30 7 1).",
        )

    def handle(self, *args, **options):
        sent = permits_expiry_reminders(thresholds=options["days"])
        self.stdout.write(f"{sent} reminder(s) queued.")
