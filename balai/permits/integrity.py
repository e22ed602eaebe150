"""The red-flag checks of Perizinan Online, registered with core.integrity (see stats_registry.register).

    permits.out_of_order_decision   a later file approved or signed (issued) before an earlier file of the
                                    same type that was waiting in the same step, without a reason code
    permits.sla_breaches            officers (and units) whose steps often finished after the step's SLA
                                    in a month
    permits.idle_beyond_sla         open files that have sat in their current step beyond its due date
    permits.fee_changed             fees waived or changed by hand: the fee on the file differs from what the
                                    permit type's fee model computes, the bill differs from the fee, or a
                                    bill was cancelled and a lower one issued
    permits.issued_unpaid           a permit issued without a settled payment (the workflow's guards make it
                                    impossible; this check proves it stays so)
    permits.same_verifier_approver  one officer both verified (or returned) and approved the same file

Each finding names in `concerns` the officers whose conduct it is about (they never see it), and links to
the file's back-office page (`permits:office_detail` when the office pages have it, else the workflow's
file page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.core.accounts.models import Membership
from balai.core.integrity.registry import FindingDraft, IntegrityCheck
from balai.core.payments.models import Bill
from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for
from balai.core.workflow.models import Transition, WorkflowInstance

from .models import Application
from .workflow import OFFICER_STEPS, VERIFY_ACTIONS

# Step → the actions that decide in it and jump the queue when taken out of turn.
# Decisions people take. The system's own (deemed approval when the file's SLA ran out) follow the
# files' deadlines, not anyone's choice, and can carry no reason code: they are not counted as jumps.
DECISIONS = {"approval": ("approve",), "signing": ("sign",)}
# A month with at least this many late steps of one officer (and this share of his steps) is a finding.
OFFICER_BREACHES_MIN = 3
OFFICER_BREACH_SHARE = 0.2
# A unit whose decisions in a month met their SLA less often than this is a finding.
UNIT_SLA_MIN_SHARE = 0.8
UNIT_DECISIONS_MIN = 5
MAX_EXAMPLES = 5

APPROVE_ACTIONS = ("approve", "deem_approved_final")


def _file_url(tenant: Tenant, *, application_id: int | None, instance_id: int) -> str:
    """The file's back-office page: the office area's, when it exists, else the workflow's."""
    if application_id is not None:
        for name in ("permits:office_detail", "permits:office_application"):
            try:
                return reverse(name, kwargs={"tenant": tenant.slug, "pk": application_id})
            except NoReverseMatch:
                continue
    return reverse("workflow:instance_detail", kwargs={"tenant": tenant.slug, "pk": instance_id})


def _apps_by_instance(tenant: Tenant, instance_ids) -> dict[int, Application]:
    ids = list(set(instance_ids))
    found: dict[int, Application] = {}
    for start in range(0, len(ids), 1000):
        for app in Application.objects.filter(tenant=tenant, workflow_id__in=ids[start : start + 1000]).select_related(
            "permit_type"
        ):
            found[app.workflow_id] = app
    return found


def _label(app: Application | None, instance_id: int) -> str:
    if app is None:
        return _("Berkas alur #%(pk)s") % {"pk": instance_id}
    return app.registration_number or str(app)


def _evidence_file(tenant, app, instance_id, text) -> tuple[str, str]:
    return (
        f"{text}: {_label(app, instance_id)}",
        _file_url(tenant, application_id=app.pk if app else None, instance_id=instance_id),
    )


def _permit_instances(tenant: Tenant):
    return WorkflowInstance.objects.filter(tenant=tenant, code__startswith="permits.")


# --- (a) out of order -----------------------------------------------------------------------------


def out_of_order_decision(tenant: Tenant, since: datetime | None) -> Iterator[FindingDraft]:
    """A decision (approve in "approval", sign in "signing") without a reason code while a file of the
    same type (queue) that entered the same step earlier was still waiting there.

    Each visit of a step is [entered, left); visits are swept in order of entry per (type, step), keeping
    the earlier visit that stayed longest: a decision jumped the queue when that visit was still open
    when the decision was taken. Scans the whole history (one query per step); only decisions since the
    last run are reported anew, but re-reporting older ones is harmless (fingerprints)."""
    instances = _permit_instances(tenant)
    for step, actions in DECISIONS.items():
        entries = (
            Transition.objects.filter(tenant=tenant, to_state=step, instance__in=instances)
            .values_list("instance_id", "seq", "at", "instance__queue")
            .order_by("instance__queue", "at", "pk")
        )
        leaves = {
            (row[0], row[1]): row[2:]
            for row in Transition.objects.filter(tenant=tenant, from_state=step, instance__in=instances).values_list(
                "instance_id", "seq", "at", "action", "reason_code", "actor_id", "pk"
            )
        }
        by_queue: dict[str, list] = defaultdict(list)
        for instance_id, seq, entered, queue in entries:
            left = leaves.get((instance_id, seq + 1))
            by_queue[queue].append((entered, instance_id, left))
        jumps = []
        for visits in by_queue.values():
            longest = None  # (left_at or None for still waiting, instance_id, entered)
            for entered, instance_id, left in visits:
                left_at = left[0] if left else None
                if left is not None and left[1] in actions and not (left[2] or "").strip() and longest is not None:
                    waiting_until, other_id, _other_entered = longest
                    if other_id != instance_id and (waiting_until is None or waiting_until > left_at):
                        jumps.append((instance_id, other_id, left))
                if longest is None or (longest[0] is not None and (left_at is None or left_at > longest[0])):
                    longest = (left_at, instance_id, entered)
        apps = _apps_by_instance(tenant, [i for j in jumps for i in j[:2]])
        for instance_id, other_id, (at, action, _reason, actor_id, transition_pk) in jumps:
            app, other = apps.get(instance_id), apps.get(other_id)
            if app is None:
                continue
            what = _("disetujui") if step == "approval" else _("ditandatangani dan diterbitkan")
            yield FindingDraft(
                subject=app,
                summary=_(
                    "Berkas %(later)s %(what)s pada %(at)s tanpa kode alasan, padahal berkas %(earlier)s dengan jenis "
                    "izin yang sama sudah lebih dulu menunggu di langkah yang sama."
                )
                % {"later": _label(app, instance_id), "what": what, "at": f"{at:%Y-%m-%d %H:%M}", "earlier": _label(other, other_id)},
                evidence=[
                    _evidence_file(tenant, app, instance_id, _("Berkas yang didahulukan")),
                    _evidence_file(tenant, other, other_id, _("Berkas yang lebih dulu menunggu")),
                    (_("Aksi: %(action)s, tanpa kode alasan") % {"action": action}, None),
                ],
                concerns=[actor_id] if actor_id else [],
                fingerprint=f"transition:{transition_pk}",
            )


# --- (b) SLA breaches and idle files ----------------------------------------------------------------


def sla_breaches(tenant: Tenant, since: datetime | None) -> Iterator[FindingDraft]:
    """Per month: an officer with at least OFFICER_BREACHES_MIN steps finished after the step's SLA, and
    at least OFFICER_BREACH_SHARE of his steps; a unit whose decisions met the SLA less than
    UNIT_SLA_MIN_SHARE of the time (with at least UNIT_DECISIONS_MIN decisions)."""
    zone = calendar_for(tenant).zone
    steps = (
        Transition.objects.filter(
            tenant=tenant, from_state__in=OFFICER_STEPS, actor__isnull=False, instance__code__startswith="permits."
        )
        .exclude(Q(instance__owner__isnull=False) & Q(actor=F("instance__owner")))
        .annotate(month=TruncMonth("at", tzinfo=zone))
        .values("actor_id", "instance__unit_id", "month")
        .annotate(steps=Count("pk"), late=Count("pk", filter=Q(step_remaining_days__lt=0)))
        .filter(late__gte=OFFICER_BREACHES_MIN)
    )
    memberships = {m.user_id: m for m in Membership.objects.filter(tenant=tenant).select_related("user")}
    for row in steps:
        if row["late"] < OFFICER_BREACH_SHARE * row["steps"]:
            continue
        membership = memberships.get(row["actor_id"])
        if membership is None:
            continue
        month = row["month"]
        name = membership.user.full_name or membership.user.email
        yield FindingDraft(
            subject=membership,
            summary=_("%(name)s menyelesaikan %(late)s dari %(steps)s langkah melewati SLA langkahnya pada %(month)s.")
            % {"name": name, "late": row["late"], "steps": row["steps"], "month": f"{month:%m/%Y}"},
            evidence=[
                (
                    _("Dasbor kepala kantor, %(month)s") % {"month": f"{month:%m/%Y}"},
                    _office_url(tenant, month),
                ),
            ],
            concerns=[row["actor_id"]],
            fingerprint=f"officer:{row['actor_id']}:{row['instance__unit_id'] or 0}:{month:%Y-%m}",
        )

    decisions = (
        Transition.objects.filter(tenant=tenant, to_state__in=("issued", "rejected"), instance__code__startswith="permits.")
        .annotate(month=TruncMonth("at", tzinfo=zone))
        .values("instance__unit_id", "month")
        .annotate(
            total=Count("pk"),
            late=Count("pk", filter=Q(sla_remaining_days__lt=0)),
        )
        .filter(total__gte=UNIT_DECISIONS_MIN)
    )
    from balai.core.orgs.models import Unit

    units = {u.pk: u for u in Unit.objects.filter(tenant=tenant)}
    for row in decisions:
        met = row["total"] - row["late"]
        if met >= UNIT_SLA_MIN_SHARE * row["total"]:
            continue
        month, unit = row["month"], units.get(row["instance__unit_id"])
        late_actors = list(
            Transition.objects.filter(
                tenant=tenant, from_state__in=OFFICER_STEPS, actor__isnull=False, step_remaining_days__lt=0,
                instance__unit_id=row["instance__unit_id"], instance__code__startswith="permits.",
                at__gte=month, at__lt=_next_month(month),
            )
            .exclude(Q(instance__owner__isnull=False) & Q(actor=F("instance__owner")))
            .values_list("actor_id", flat=True)
            .distinct()
        )
        yield FindingDraft(
            subject=unit if unit is not None else tenant,
            summary=_("Pada %(month)s hanya %(met)s dari %(total)s keputusan %(unit)s yang selesai dalam SLA.")
            % {"month": f"{month:%m/%Y}", "met": met, "total": row["total"], "unit": unit.name if unit else tenant.name},
            evidence=[(_("Dasbor kepala kantor, %(month)s") % {"month": f"{month:%m/%Y}"}, _office_url(tenant, month))],
            concerns=sorted(late_actors),
            fingerprint=f"unit:{row['instance__unit_id'] or 0}:{month:%Y-%m}",
        )


def _next_month(month: datetime) -> datetime:
    return month.replace(year=month.year + (month.month == 12), month=month.month % 12 + 1)


def _office_url(tenant: Tenant, month) -> str:
    base = reverse("permits:stats_office", kwargs={"tenant": tenant.slug})
    return f"{base}?tahun={month.year}&bulan={month.month}"


def idle_beyond_sla(tenant: Tenant, since: datetime | None) -> Iterator[FindingDraft]:
    """Open files (not closed, not issued) whose current step's due date has passed: one finding per visit
    of the step, naming who holds the file."""
    today = calendar_for(tenant).today()
    late = list(
        _permit_instances(tenant)
        .filter(is_terminal=False, due_date__lt=today)
        .exclude(state="issued")
        .values_list("pk", "state", "state_entered_seq", "state_entered_at", "due_date", "assignee_id")
        .order_by("due_date", "pk")
    )
    apps = _apps_by_instance(tenant, [row[0] for row in late])
    for pk, state, seq, entered, due, assignee_id in late:
        app = apps.get(pk)
        if app is None:
            continue
        days = calendar_for(tenant).working_days_between(due, today)
        yield FindingDraft(
            subject=app,
            summary=_(
                "Berkas %(file)s berada di langkah «%(state)s» sejak %(entered)s dan melewati tenggat %(due)s "
                "(%(days)s hari kerja)."
            )
            % {"file": _label(app, pk), "state": state, "entered": f"{entered:%Y-%m-%d}", "due": f"{due:%Y-%m-%d}", "days": days},
            evidence=[_evidence_file(tenant, app, pk, _("Berkas"))],
            concerns=[assignee_id] if assignee_id else [],
            fingerprint=f"instance:{pk}:{seq}",
            severity="high" if days > 5 else None,
        )


# --- (c) fees changed by hand -----------------------------------------------------------------------


def _fee_actors(tenant: Tenant, instance_ids) -> dict[int, set[int]]:
    """Who moved each file into payment (the fee is computed then)."""
    found: dict[int, set[int]] = defaultdict(set)
    for instance_id, actor_id in Transition.objects.filter(
        tenant=tenant, instance_id__in=list(instance_ids), to_state="awaiting_payment", actor__isnull=False
    ).values_list("instance_id", "actor_id"):
        found[instance_id].add(actor_id)
    return found


def fee_changed(tenant: Tenant, since: datetime | None) -> Iterator[FindingDraft]:
    """The fee on a file is not what its pinned fee model computes from its answers (waived or edited),
    its live bill asks another amount, or a bill was cancelled and a lower one issued."""
    from .services import fee_quote

    problems: dict[int, list[str]] = defaultdict(list)
    concerns: dict[int, set[int]] = defaultdict(set)
    rows = (
        Application.objects.filter(tenant=tenant, fee_amount__isnull=False)
        .select_related("type_version", "bill")
        .only("pk", "fee_amount", "form_data", "type_version", "bill", "workflow_id", "registration_number")
    )
    apps: dict[int, Application] = {}
    quotes: dict[tuple, int | None] = {}
    for app in rows.iterator(chunk_size=2000):
        key = (app.type_version_id, repr(sorted(app.form_data.items())))
        if key not in quotes:
            try:
                quotes[key] = int(fee_quote(version=app.type_version, form_data=app.form_data).amount)
            except Exception:  # noqa: BLE001 - a form the current engine cannot price is not this check's finding
                quotes[key] = None
        quoted = quotes[key]
        if quoted is not None and quoted != app.fee_amount:
            problems[app.pk].append(
                _("Retribusi pada berkas Rp %(fee)s, sedangkan tarif jenis izin menghitung Rp %(quote)s.")
                % {"fee": f"{app.fee_amount:,}".replace(",", "."), "quote": f"{quoted:,}".replace(",", ".")}
            )
        bill = app.bill
        if bill is not None and bill.status in (Bill.Status.UNPAID, Bill.Status.PAID) and bill.amount != app.fee_amount:
            problems[app.pk].append(
                _("Tagihan %(code)s meminta Rp %(amount)s, berbeda dari retribusi berkas.")
                % {"code": bill.code, "amount": f"{bill.amount:,}".replace(",", ".")}
            )
            if bill.created_by_id:
                concerns[app.pk].add(bill.created_by_id)
        if problems.get(app.pk):
            apps[app.pk] = app
    # A bill cancelled, then a lower one for the same file.
    cancelled = Bill.objects.filter(
        tenant=tenant, purpose="permits.retribution", subject_type="permits.application", status=Bill.Status.CANCELLED
    ).values_list("subject_id", "amount", "code", "created_by_id")
    lower = defaultdict(list)
    for subject_id, amount, code, _by in cancelled:
        if subject_id.isdigit():
            lower[int(subject_id)].append((amount, code))
    if lower:
        for app in (
            Application.objects.filter(tenant=tenant, pk__in=list(lower), bill__isnull=False)
            .select_related("bill")
            .only("pk", "bill", "workflow_id", "registration_number", "fee_amount")
        ):
            for amount, code in lower[app.pk]:
                if app.bill.code != code and app.bill.amount < amount:
                    problems[app.pk].append(
                        _("Tagihan %(old)s sebesar Rp %(old_amount)s dibatalkan lalu diganti %(new)s yang lebih rendah, Rp %(new_amount)s.")
                        % {
                            "old": code, "old_amount": f"{amount:,}".replace(",", "."), "new": app.bill.code,
                            "new_amount": f"{app.bill.amount:,}".replace(",", "."),
                        }
                    )
                    if app.bill.created_by_id:
                        concerns[app.pk].add(app.bill.created_by_id)
                    apps[app.pk] = app
    actors = _fee_actors(tenant, [a.workflow_id for a in apps.values() if a.workflow_id])
    for pk in sorted(apps):
        app = apps[pk]
        people = concerns[pk] | actors.get(app.workflow_id, set())
        yield FindingDraft(
            subject=app,
            summary=_("Retribusi berkas %(file)s diubah atau dihapuskan di luar perhitungan tarif: %(what)s")
            % {"file": _label(app, app.workflow_id or 0), "what": " ".join(problems[pk])},
            evidence=[_evidence_file(tenant, app, app.workflow_id or 0, _("Berkas"))]
            + [(text, None) for text in problems[pk]],
            concerns=sorted(people),
            fingerprint=f"application:{pk}",
        )


# --- (d) issued without payment ---------------------------------------------------------------------


def issued_unpaid(tenant: Tenant, since: datetime | None) -> Iterator[FindingDraft]:
    """A permit issued (state issued or revoked, or a permit document) whose fee is not settled: not
    computed, or positive without a paid bill of that amount, or zero with a bill."""
    unsettled = (
        Q(fee_amount__isnull=True)
        | Q(fee_amount__gt=0, bill__isnull=True)
        | Q(fee_amount__gt=0) & ~Q(bill__status=Bill.Status.PAID)
        | Q(fee_amount__gt=0) & ~Q(bill__amount=F("fee_amount"))
        | Q(fee_amount=0, bill__isnull=False)
    )
    issued = Q(permit_document__isnull=False) | Q(workflow__state__in=("issued", "revoked"))
    apps = list(
        Application.objects.filter(issued, tenant=tenant)
        .filter(unsettled)
        .select_related("bill")
        .order_by("pk")
    )
    signers: dict[int, set[int]] = defaultdict(set)
    for instance_id, actor_id in Transition.objects.filter(
        tenant=tenant, instance_id__in=[a.workflow_id for a in apps], action__in=("approve", "sign"), actor__isnull=False
    ).values_list("instance_id", "actor_id"):
        signers[instance_id].add(actor_id)
    for app in apps:
        if app.bill is None:
            state = _("tanpa tagihan") if app.fee_amount else _("retribusi belum dihitung")
        else:
            state = _("tagihan %(code)s berstatus %(status)s, Rp %(amount)s") % {
                "code": app.bill.code, "status": app.bill.get_status_display(), "amount": f"{app.bill.amount:,}".replace(",", "."),
            }
        yield FindingDraft(
            subject=app,
            summary=_("Izin berkas %(file)s terbit padahal retribusinya belum lunas (%(state)s).")
            % {"file": _label(app, app.workflow_id or 0), "state": state},
            evidence=[_evidence_file(tenant, app, app.workflow_id or 0, _("Berkas"))],
            concerns=sorted(signers.get(app.workflow_id, set())),
            fingerprint=f"application:{app.pk}",
        )


# --- (e) segregation of duties ----------------------------------------------------------------------


def same_verifier_approver(tenant: Tenant, since: datetime | None) -> Iterator[FindingDraft]:
    """An approval by an officer who also verified or returned the same file."""
    verified = Transition.objects.filter(
        tenant=tenant, instance_id=OuterRef("instance_id"), actor_id=OuterRef("actor_id"), action__in=VERIFY_ACTIONS
    )
    rows = list(
        Transition.objects.filter(
            tenant=tenant, action__in=APPROVE_ACTIONS, actor__isnull=False, instance__code__startswith="permits."
        )
        .filter(Exists(verified))
        .values_list("pk", "instance_id", "actor_id", "at")
        .order_by("pk")
    )
    apps = _apps_by_instance(tenant, [r[1] for r in rows])
    for pk, instance_id, actor_id, at in rows:
        app = apps.get(instance_id)
        if app is None:
            continue
        yield FindingDraft(
            subject=app,
            summary=_("Petugas yang sama memverifikasi dan menyetujui berkas %(file)s (persetujuan %(at)s).")
            % {"file": _label(app, instance_id), "at": f"{at:%Y-%m-%d %H:%M}"},
            evidence=[_evidence_file(tenant, app, instance_id, _("Berkas"))],
            concerns=[actor_id],
            fingerprint=f"transition:{pk}",
        )


CHECKS = (
    IntegrityCheck(
        code="permits.out_of_order_decision", module="permits", severity="high", run=out_of_order_decision,
        title=gettext_lazy("Berkas diputuskan tidak urut"),
        description=gettext_lazy(
            "Berkas yang datang belakangan disetujui atau diterbitkan lebih dulu daripada berkas sejenis yang sudah "
            "menunggu, tanpa kode alasan."
        ),
    ),
    IntegrityCheck(
        code="permits.sla_breaches", module="permits", severity="medium", run=sla_breaches,
        title=gettext_lazy("Keterlambatan SLA per petugas dan unit"),
        description=gettext_lazy(
            "Petugas yang sering menyelesaikan langkah melewati SLA dalam sebulan, dan unit yang keputusannya "
            "jarang tepat waktu."
        ),
    ),
    IntegrityCheck(
        code="permits.idle_beyond_sla", module="permits", severity="medium", run=idle_beyond_sla,
        title=gettext_lazy("Berkas mengendap melewati tenggat"),
        description=gettext_lazy("Berkas yang masih berada di satu langkah setelah tenggat langkah itu lewat."),
    ),
    IntegrityCheck(
        code="permits.fee_changed", module="permits", severity="high", run=fee_changed,
        title=gettext_lazy("Retribusi diubah atau dihapuskan"),
        description=gettext_lazy(
            "Retribusi berkas berbeda dari hasil tarif jenis izinnya, tagihan berbeda dari retribusi, atau tagihan "
            "dibatalkan lalu diganti dengan jumlah lebih rendah."
        ),
    ),
    IntegrityCheck(
        code="permits.issued_unpaid", module="permits", severity="high", run=issued_unpaid,
        title=gettext_lazy("Izin terbit tanpa pembayaran lunas"),
        description=gettext_lazy(
            "Izin yang terbit padahal retribusinya belum lunas. Alur kerja mencegahnya; temuan berarti ada "
            "jalan pintas di luar aplikasi."
        ),
    ),
    IntegrityCheck(
        code="permits.same_verifier_approver", module="permits", severity="high", run=same_verifier_approver,
        title=gettext_lazy("Pemisahan tugas dilanggar"),
        description=gettext_lazy("Petugas yang sama memverifikasi dan menyetujui satu berkas."),
    ),
)
