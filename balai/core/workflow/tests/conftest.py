import sys
import types

import pytest

from balai.core.workflow import clock
from balai.core.workflow.tests.workflows import wib


class Moment:
    """The engine's clock, held still and moved by hand."""

    def __init__(self):
        self.value = wib(2026, 3, 16, 9, 0)

    def set(self, *args):
        self.value = wib(*args)
        return self.value


@pytest.fixture
def moment(monkeypatch):
    m = Moment()
    monkeypatch.setattr(clock, "now", lambda: m.value)
    return m


@pytest.fixture
def sent(monkeypatch):
    """Notifications the engine queued, captured through the notifications contract."""
    calls = []
    fake = types.ModuleType("balai.core.notifications.services")

    def notify(*, tenant, recipients, template, context, channels=None, actor=None, subject=None):
        calls.append({"tenant": tenant, "recipients": list(recipients), "template": template, "context": context})
        return []

    fake.notify = notify
    monkeypatch.setitem(sys.modules, "balai.core.notifications.services", fake)
    return calls
