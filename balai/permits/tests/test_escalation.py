"""On SLA breach each permit type's rule applies: tell the head of office, or treat the file as approved
(fiktif positif) where the type allows it."""

from datetime import datetime

import pytest

from balai.core.workflow.services import TransitionDenied, escalate_due, transition
from balai.permits import services
from balai.permits.tests.conftest import WIB

pytestmark = pytest.mark.django_db


def fiktif_type(office):
    base = office.types["penelitian"]
    return services.permit_type_save(
        tenant=office.tenant, actor=None, code="keterangan", name="Surat Keterangan", sla_days=2, is_published=True,
        fiktif_positif=True, escalation="auto_approve",
        form_fields=base.current_version.form_fields, documents=base.current_version.documents,
    )


def test_a_late_file_of_a_fiktif_positif_type_is_deemed_approved(office, draft, moment, django_capture_on_commit_callbacks):
    office.types["keterangan"] = fiktif_type(office)
    moment.set(2026, 3, 16, 9, 0)
    app = draft(code="keterangan", form=_form())
    services.application_submit(application=app, actor=office.citizen)
    app.refresh_from_db()
    assert app.workflow.code == "permits.application_fiktif" and app.workflow.due_date.isoformat() == "2026-03-25"

    late = datetime(2026, 3, 26, 7, 0, tzinfo=WIB)
    moment.value = late
    with django_capture_on_commit_callbacks(execute=True):
        fired = escalate_due(tenant=office.tenant, now=late)
    assert {f.do for f in fired} == {"notify", "auto_action"}
    app.refresh_from_db()
    actions = [t.action for t in app.workflow.transitions.order_by("seq")]
    assert actions[-2:] == ["deem_approved", "no_fee"]
    assert app.workflow.state == "approval"


def test_a_late_file_of_an_ordinary_type_only_alerts_the_head(office, draft, moment):
    moment.set(2026, 3, 16, 9, 0)
    app = draft(code="penelitian")
    services.application_submit(application=app, actor=office.citizen)
    late = datetime(2026, 3, 26, 7, 0, tzinfo=WIB)
    fired = escalate_due(tenant=office.tenant, now=late)
    assert [f.do for f in fired] == ["notify"]
    app.refresh_from_db()
    assert app.workflow.state == "verification"
    with pytest.raises(TransitionDenied):
        transition(instance=app.workflow, action="deem_approved", actor=None)


def _form():
    from balai.permits.tests.conftest import PENELITIAN_FORM

    return dict(PENELITIAN_FORM)
