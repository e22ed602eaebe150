"""Reads of the public and applicant pages: the public tracking look-up (kept to a few queries, it is
the busiest public page), the timeline as people read it, and what an applicant may do next with a file.
Every read takes the tenant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django.db import connection
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import get_language, gettext_noop, ngettext, ngettext_lazy
from django.utils.translation import gettext as _

from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for
from balai.core.workflow import clock

from . import selectors
from .models import Application, SurveyResponse
from .workflow import WITHDRAWABLE

SURVEY_STATES = ("issued", "rejected", "revoked")


def tracking_lookup(*, tenant: Tenant, number: str) -> dict | None:
    """The public tracking facts of the submitted file with this registration number, or None. One
    query: the facts are kept on the application by every transition (services_tracking). A file
    never published (older rows, bulk imports) has them computed here, without writing."""
    number = "".join((number or "").split()).upper()
    if not number:
        return None
    sql, order = _lookup_statement()
    values = {_NUMBER: number, _TENANT: tenant.pk}
    with connection.cursor() as cursor:
        cursor.execute(sql, [values[marker] for marker in order])
        found = cursor.fetchone()
    if found is None:
        return None
    pk, facts = found
    if not isinstance(facts, dict):  # the JSON text, as the backends hand it to JSONField
        facts = _FACTS_FIELD.from_db_value(facts, None, connection)
    if not isinstance(facts, dict) or facts.get("v") != selectors.FACTS_VERSION:
        application = Application.objects.select_related(
            "permit_type", "permit_type__unit", "workflow", "workflow__definition", "permit_document"
        ).get(tenant=tenant, pk=pk)
        application.tenant = tenant
        facts = selectors.tracking_facts(application=application)
    return facts


# The look-up's SQL, written by the ORM once per process and database vendor: building the queryset
# costs several times more than running it (about 0.3 ms against 0.04 ms on SQLite), and this is the
# busiest public query. The markers stand for the tenant and the number; `order` is where each goes.
_NUMBER, _TENANT = "\x00number", -7_000_001
_FACTS_FIELD = Application._meta.get_field("tracking_facts")
_STATEMENTS: dict[str, tuple[str, tuple]] = {}


def _lookup_statement() -> tuple[str, tuple]:
    found = _STATEMENTS.get(connection.vendor)
    if found is None:
        query = (
            Application.objects.filter(
                tenant_id=_TENANT, registration_number=_NUMBER, workflow_id__isnull=False
            )
            .order_by()
            .values_list("pk", "tracking_facts")[:1]
        ).query
        sql, params = query.sql_with_params()
        if sorted(params, key=str) != sorted([_NUMBER, _TENANT], key=str):
            raise RuntimeError(f"Unexpected parameters in the tracking look-up: {params!r}")
        found = _STATEMENTS[connection.vendor] = (sql, tuple(params))
    return found


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
    """The tracking as people read it. The `*_text` fields are the page's sentences in the active
    language (dates in the tenant's zone), written here for the same reason as StepView's."""

    tracking: selectors.Tracking
    steps: list[StepView]
    paused_since: datetime | None  # when the clock stopped while the file is with the applicant
    colour_text: str  # the SLA's colour said in words (never colour alone)
    colour_class: str = "text-bg-secondary"  # the badge's Bootstrap class for the SLA's colour
    submitted_text: str = ""  # "24 Maret 2025 08.42"
    paused_text: str = ""  # "berkas dikembalikan ke pemohon sejak ... untuk diperbaiki."
    paused_days_text: str = ""  # "Sudah berhenti 3 hari kerja." (empty before a whole day)
    sla_text: str = ""  # "5 hari kerja"
    remaining_text: str = ""  # "sisa 2 hari kerja" or "terlambat 1 hari kerja"
    due_text: str = ""  # "Selasa, 31 Maret 2026"
    elapsed_text: str = ""  # "3 hari kerja"
    valid_until_text: str = ""  # "17 Maret 2031"
    inspection_text: str = ""  # "Survei dijadwalkan 12 Maret 2026, pukul 09.00–12.00"

    @property
    def late_days(self) -> int:
        remaining = self.tracking.sla_remaining_days
        return -remaining if remaining is not None and remaining < 0 else 0


COLOUR_TEXT = {
    "green": gettext_noop("Sesuai jadwal"),
    "yellow": gettext_noop("Mendekati tenggat"),
    "red": gettext_noop("Terlambat"),
}
COLOUR_CLASS = {"green": "text-bg-success", "yellow": "text-bg-warning", "red": "text-bg-danger"}


def tracking_view(
    *, application: Application, for_owner: bool = False, now: datetime | None = None
) -> TrackingView:
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


def date_text(day: date) -> str:
    """A date as the `date:"j F Y"` filter writes it in the active language (without its parser)."""
    return f"{day.day} {_month(get_language(), day.month)} {day.year:04d}"


def moment_text(moment: datetime, zone, *, language: str | None = None) -> str:
    """An instant in `zone` as `|timezone:zone|date:"j F Y H.i"` writes it in the active language."""
    local = moment.astimezone(zone)
    month = _month(language or get_language(), local.month)
    return f"{local.day} {month} {local.year:04d} {local.hour:02d}.{local.minute:02d}"


# A language's words do not change while the process runs (Django keeps each catalogue for the life of
# the process too); `language` is part of the key, so that each answer is in the reader's language.
@lru_cache(maxsize=64)
def _month(language: str, month: int) -> str:
    return str(MONTHS[month])


@lru_cache(maxsize=1024)
def _days_in(language: str, singular: str, days: int) -> str:
    # The same msgid as the templates' {% blocktranslate count days=... %}...{% endblocktranslate %}.
    return ngettext(singular, singular, days) % {"days": days}


def _days(singular: str, days: int, *, language: str | None = None) -> str:
    return _days_in(language or get_language(), singular, days)


# The sentences `_days` is given, written out so that makemessages finds them (it cannot read a variable).
_DAYS_SENTENCES = (
    ngettext_lazy("%(days)s hari kerja", "%(days)s hari kerja", 1),
    ngettext_lazy("%(days)s hari kerja pada tahap ini", "%(days)s hari kerja pada tahap ini", 1),
    ngettext_lazy("Sudah berhenti %(days)s hari kerja.", "Sudah berhenti %(days)s hari kerja.", 1),
    ngettext_lazy("sisa %(days)s hari kerja", "sisa %(days)s hari kerja", 1),
    ngettext_lazy("terlambat %(days)s hari kerja", "terlambat %(days)s hari kerja", 1),
)


def _view_of(tracking: selectors.Tracking, *, calendar, at: datetime) -> TrackingView:
    zone, language = calendar.zone, get_language()
    steps: list[StepView] = []
    tail = _("sisa SLA saat itu: %(days)s hari kerja")
    for index, step in enumerate(tracking.steps):
        if index + 1 < len(tracking.steps):
            end = tracking.steps[index + 1].at
        else:
            end = None if tracking.is_closed else at
        days = max(calendar.working_days_between(step.at, end), 0) if end is not None else 0
        at_text = moment_text(step.at, zone, language=language)
        days_text = _days("%(days)s hari kerja pada tahap ini", days, language=language)
        if step.sla_remaining_days is not None:
            days_text += " · " + tail % {"days": step.sla_remaining_days}
        steps.append(
            StepView(
                at=step.at,
                label=step.label,
                action_label=step.action_label,
                by=step.by,
                note=step.note,
                paused=step.paused,
                working_days=days,
                sla_remaining_days=step.sla_remaining_days,
                at_text=at_text,
                meta_text=f"{at_text} · {step.action_label} · {step.by}",
                days_text=days_text,
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
    return TrackingView(
        tracking=tracking,
        steps=steps,
        paused_since=paused_since,
        colour_text=colour_text,
        colour_class=COLOUR_CLASS.get(tracking.sla_colour, "text-bg-secondary"),
        submitted_text=moment_text(tracking.submitted_at, zone) if tracking.submitted_at else "",
        paused_text=_paused_text(tracking, paused_since, zone) if paused_since else "",
        paused_days_text=(
            _days("Sudah berhenti %(days)s hari kerja.", tracking.paused_days) if tracking.paused_days else ""
        ),
        sla_text=_days("%(days)s hari kerja", tracking.sla_days) if tracking.sla_days else "",
        remaining_text=_remaining_text(tracking.sla_remaining_days),
        due_text=f"{WEEKDAYS[tracking.due_date.weekday()]}, {date_text(tracking.due_date)}"
        if tracking.due_date
        else "",
        elapsed_text=_days("%(days)s hari kerja", tracking.elapsed_days) if tracking.sla_days else "",
        valid_until_text=date_text(tracking.valid_until) if tracking.valid_until else "",
        inspection_text=_inspection_text(tracking.inspection),
    )


def _inspection_text(fact: dict | None) -> str:
    if not fact:
        return ""
    from .appointments.selectors_file import inspection_note_text

    return inspection_note_text(fact) or ""


def _paused_text(tracking: selectors.Tracking, since: datetime, zone) -> str:
    values = {"since": moment_text(since, zone)}
    if tracking.state == "returned":
        return _("berkas dikembalikan ke pemohon sejak %(since)s untuk diperbaiki.") % values
    if tracking.state == "awaiting_payment":
        return _("menunggu pembayaran retribusi oleh pemohon sejak %(since)s.") % values
    return _("berkas berada pada pemohon sejak %(since)s.") % values


def _remaining_text(remaining: int | None) -> str:
    if remaining is None:
        return ""
    if remaining >= 0:
        return _days("sisa %(days)s hari kerja", remaining)
    return _days("terlambat %(days)s hari kerja", -remaining)


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


def applicant_actions(*, application: Application, viewer=None, today=None) -> ApplicantActions:
    """What the applicant can do with the file now (the services check again when it is done). A `viewer`
    other than the applicant (a representative following a colleague's file for their business) reads
    it: they may only download the issued permit."""
    state = state_of(application)
    download = state == "issued" and application.permit_document_id is not None
    if viewer is not None and viewer.pk != application.applicant_id:
        return ApplicantActions(
            edit=False,
            correct=False,
            pay=False,
            download=download,
            complain=False,
            survey=False,
            withdraw=False,
            renew=False,
            survey_done=False,
        )
    survey_done = (
        state in SURVEY_STATES
        and SurveyResponse.objects.filter(tenant_id=application.tenant_id, application=application).exists()
    )
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
        download=download,
        complain=state != "draft",
        survey=state in SURVEY_STATES and not survey_done,
        withdraw=state in WITHDRAWABLE,
        renew=renew,
        survey_done=survey_done,
    )
