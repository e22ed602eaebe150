from datetime import UTC, datetime

import pytest


@pytest.fixture
def march_2026(monkeypatch):
    """Now is Monday 2 March 2026, 10:00 WIB, so that 2026 is this year whenever the tests run (the
    administrator may change last year, this year and next year)."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
