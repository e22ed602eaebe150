"""Reads of the public and applicant pages: the public tracking look-up (kept to a few queries, it is
the busiest public page), the timeline as people read it, and what an applicant may do next with a file.
Every read takes the tenant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for
from balai.core.workflow import clock

from . import selectors
from .models import Application, Complaint, SurveyResponse
from .workflow import WITHDRAWABLE

SURVEY_STATES = ("issued", "rejected", "revoked")


def tracking_lookup(*, tenant: Tenant, number: str) -> dict | None:
    """The public tracking facts of the submitted file with this registration number, or None. One
    query: the facts are kept on the application by every transition (services_tracking). A file
    never published (older rows, bulk imports) has them computed here, without writing."""
    number = "".join((number or "").split()).upper()
    if not number:
        return None
    found = (
        Application.objects.filter(tenant_id=tenant.pk, registration_number=number, workflow_id__isnull=False)
        .order_by()
        .values_list("pk", "tracking_facts")[:1]
    )
    if not found:
        return None
    pk, facts = found[0]
    if facts.get("v") != selectors.FACTS_VERSION:
        application = Application.objects.select_related(
            "permit_type", "permit_type__unit", "workflow", "workflow__definition", "permit_document"
        ).get(tenant=tenant, pk=pk)
        application.tenant = tenant
        facts = selectors.tracking_facts(application=application)
    return facts


@dataclass(frozen=True)
class StepView:
    """One step of the timeline as shown: its date, who acted, the working days it took so far."""

    at: datetime
    label: str
    action_label: str
    by: str
    note: str
    paused: bool
    working_days: int
    sla_remaining_days: int | None
    # As read, in the active language and the tenant's zone: the timeline is the longest part of the
    # busiest public page, and a line of text costs far less here than a dozen template tags.
    at_text: str = ""
    meta_text: str = ""  # "<at> · <action> · <by>"
    days_text: str = ""  # "3 hari kerja pada tahap ini · sisa SLA saat itu: 2 hari kerja"


@dataclass(frozen=True)
class TrackingView:
    tracking: selectors.Tracking
    steps: list[StepView]
    paused_since: datetime | None  # when the clock stopped while the file is with the applicant
    colour_text: str  # the SLA's colour said in words (never colour alone)

    @property
    def late_days(self) -> int:
        remaining = self.tracking.sla_remaining_days
        return -remaining if remaining is not None and remaining < 0 else 0


COLOUR_TEXT = {
    "green": gettext_noop("Sesuai jadwal"),
    "yellow": gettext_noop("Mendekati tenggat"),
    "red": gettext_noop("Terlambat"),
}


def tracking_view(*, application: Application, for_owner: bool = False, now: datetime | None = None) -> TrackingView:
    """The file's timeline with the working days each step took and, while the file is with the
    applicant, since when the clock has stood still (computed from its workflow history now)."""
    at = now or clock.now()
    tracking = selectors.tracking_timeline(application=application, for_owner=for_owner, now=at)
    return _view_of(tracking, calendar=calendar_for(application.tenant), at=at)


def tracking_view_of_facts(facts: dict, *, tenant: Tenant, now: datetime | None = None) -> TrackingView:
    """The same from stored facts (public tracking): no query."""
    at = now or clock.now()
    calendar = calendar_for(tenant)
    return _view_of(selectors.tracking_from_facts(facts, calendar=calendar, now=at), calendar=calendar, at=at)


def _view_of(tracking: selectors.Tracking, *, calendar, at: datetime) -> TrackingView:
    steps: list[StepView] = []
    for index, step in enumerate(tracking.steps):
        if index + 1 < len(tracking.steps):
            end = tracking.steps[index + 1].at
        else:
            end = None if tracking.is_closed else at
        days = max(calendar.working_days_between(step.at, end), 0) if end is not None else 0
        at_text = dateformat.format(step.at.astimezone(calendar.zone), "j F Y H.i")
        days_text = ngettext("%(days)s hari kerja pada tahap ini", "%(days)s hari kerja pada tahap ini", days) % {
            "days": days
        }
        if step.sla_remaining_days is not None:
            days_text += " · " + _("sisa SLA saat itu: %(days)s hari kerja") % {"days": step.sla_remaining_days}
        steps.append(
            StepView(
                at=step.at, label=step.label, action_label=step.action_label, by=step.by, note=step.note,
                paused=step.paused, working_days=days, sla_remaining_days=step.sla_remaining_days,
                at_text=at_text, meta_text=f"{at_text} · {step.action_label} · {step.by}", days_text=days_text,
            )
        )
    paused_since = None
    if tracking.is_paused and tracking.steps:
        paused_since = tracking.steps[-1].at
    if tracking.is_paused:
        colour_text = _("Jam layanan berhenti sementara")
    elif tracking.is_closed or tracking.sla_colour == "grey":
        colour_text = _("Selesai") if tracking.is_closed else _("Tanpa tenggat")
    else:
        colour_text = _(COLOUR_TEXT.get(tracking.sla_colour, "Sesuai jadwal"))
    return TrackingView(tracking=tracking, steps=steps, paused_since=paused_since, colour_text=colour_text)


# --- the applicant's next steps ----------------------------------------------------------------------


def state_of(application: Application) -> str:
    return application.workflow.state if application.workflow_id else "draft"


@dataclass(frozen=True)
class ApplicantActions:
    edit: bool
    correct: bool
    pay: bool
    download: bool
    complain: bool
    survey: bool
    withdraw: bool
    renew: bool
    survey_done: bool


def applicant_actions(*, application: Application, today=None) -> ApplicantActions:
    """What the applicant can do with the file now (the services check again when it is done)."""
    state = state_of(application)
    survey_done = state in SURVEY_STATES and SurveyResponse.objects.filter(
        tenant_id=application.tenant_id, application=application
    ).exists()
    renew = False
    if state == "issued" and application.permit_type.renewable and application.valid_until is not None:
        import datetime

        today = today or calendar_for(application.tenant).local_date(clock.now())
        opens = application.valid_until - datetime.timedelta(days=application.permit_type.renewal_window_days)
        renew = today >= opens
    bill = application.bill if application.bill_id else None
    return ApplicantActions(
        edit=state == "draft",
        correct=state == "returned",
        pay=state == "awaiting_payment" and bill is not None and bill.status == "unpaid",
        download=state == "issued" and application.permit_document_id is not None,
        complain=state != "draft",
        survey=state in SURVEY_STATES and not survey_done,
        withdraw=state in WITHDRAWABLE,
        renew=renew,
        survey_done=survey_done,
    )


def complaints_of(*, application: Application) -> list[Complaint]:
    return list(
        Complaint.objects.filter(tenant_id=application.tenant_id, application=application).order_by("-created_at")
    )
