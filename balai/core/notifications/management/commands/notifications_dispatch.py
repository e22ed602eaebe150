"""Send due notifications now: for cron on a server without Celery beat (the embedded tier)."""

from django.core.management.base import BaseCommand

from balai.core.notifications.services import dispatch


class Command(BaseCommand):
    help = "Send the notifications that are due (first attempts and retries)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="at most this many messages (default 500)")

    def handle(self, *args, limit, **options):
        summary = dispatch(limit=limit)
        self.stdout.write(f"sent {summary['sent']}, to retry {summary['failed']}, given up {summary['dead']}")
