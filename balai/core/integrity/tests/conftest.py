import pytest

from balai.core.integrity import registry
from balai.core.integrity.registry import FindingDraft, IntegrityCheck


class Scripted:
    """A check whose next answer the test sets: a list of drafts, or an exception to raise."""

    def __init__(self):
        self.answer = []
        self.calls = []

    def __call__(self, tenant, since):
        self.calls.append((tenant, since))
        if isinstance(self.answer, Exception):
            raise self.answer
        return list(self.answer)


@pytest.fixture
def scripted():
    """Registers `core.itest_scripted` (and removes it after the test)."""
    run = Scripted()
    check = IntegrityCheck(
        code="core.itest_scripted", module="core", title="Uji", description="Pemeriksaan uji", severity="medium", run=run
    )
    registry.register_check(check)
    yield run
    registry.unregister_check(check.code)


def draft(subject, fingerprint="a", *, concerns=(), evidence=None, summary="Ada yang janggal.", severity=None):
    return FindingDraft(
        subject=subject,
        summary=summary,
        fingerprint=fingerprint,
        evidence=evidence if evidence is not None else [("Bukti pertama", "/kota-serang/")],
        concerns=list(concerns),
        severity=severity,
    )
