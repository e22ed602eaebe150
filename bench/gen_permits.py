"""Generate N permit applications in one tenant, quickly, with realistic workflow history.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/balai_bench .venv/bin/python bench/gen_permits.py --applications 100000

Creates (or reuses) the tenant Kota Tangerang (`36.71`, slug `kota-bench`) with the demo permit catalogue,
a permit office (verifiers, inspectors, approvers, signers) and a pool of citizens, then bulk-inserts
applications spread over the last twelve months, each with its workflow instance and transitions
(submit, receive, verification with returns for correction, inspection, payment, approval, signing,
issued; or rejected, withdrawn, or still open in some step), clock intervals and due dates computed on
the tenant's real working-day calendar, paid bills for the fees and satisfaction surveys. Finally the
monthly statistics are refreshed.

It writes rows directly (bulk_create), not through the services: the point is volume. The rows follow
the engine's conventions (seq, sla_remaining_days, step_remaining_days, clock_intervals) so that the
pages and statistics read them as they would read real files. `generate()` is also used by tests on
SQLite with a handful of files.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TENANT_CODE, TENANT_SLUG = "36.71", "kota-bench"
SUBJECT_OFFSET = 10**12  # placeholder subject ids, replaced by the applications' ids in one UPDATE


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    import django

    django.setup()


@dataclass
class Staff:
    verifiers: list
    inspectors: list
    approvers: list
    signers: list
    citizens: list


@dataclass
class Plan:
    """One file's life: transitions as (action, from, to, at, actor, step_left), and where it ends."""

    steps: list = field(default_factory=list)
    intervals: list = field(default_factory=list)  # [[start, end|None], ...] as datetimes
    state: str = "verification"
    entered_at: datetime | None = None
    assignee: object = None
    survey: bool = False
    paid_at: datetime | None = None


def _person(email: str, name: str, tenant, roles):
    from balai.core.accounts.models import Membership, User

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=name, email_verified_at=datetime.now(ZoneInfo("UTC")))
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, tenant=tenant, defaults={"roles": roles})
    return user


def prepare(*, tenant=None, citizens: int = 500):
    """The tenant (created when not given), its demo catalogue, the permits module and the staff."""
    from balai.core.tenants.models import Tenant
    from balai.core.tenants.services import tenant_create, tenant_module_configure
    from balai.permits.demo import demo_permit_catalogue

    if tenant is None:
        tenant = Tenant.objects.filter(code=TENANT_CODE).first() or tenant_create(code=TENANT_CODE, slug=TENANT_SLUG)
    tenant_module_configure(tenant=tenant, module="permits", enabled=True)
    types = demo_permit_catalogue(tenant=tenant)
    slug = tenant.slug

    def group(kind, role, n):
        return [
            _person(f"{kind}{i}@{slug}.bench.balai.id", f"{kind.title()} {i}", tenant, [role, "core.officer"])
            for i in range(1, n + 1)
        ]

    staff = Staff(
        verifiers=group("verifikator", "permits.verifier", 6),
        inspectors=group("surveyor", "permits.inspector", 4),
        approvers=group("kepala", "permits.approver", 2),
        signers=group("penandatangan", "permits.signer", 2),
        citizens=[
            _person(f"warga{i}@{slug}.bench.balai.id", f"Warga {i}", tenant, ["core.citizen"]) for i in range(1, citizens + 1)
        ],
    )
    return tenant, types, staff


def _at(calendar, day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(8, 15), rng.randint(0, 59), tzinfo=calendar.zone)


def _plan(calendar, permit_type, submitted: datetime, staff: Staff, rng: random.Random, now: datetime) -> Plan:
    """A plausible life for one file, stopping at `now`."""
    plan = Plan()
    elapsed = 0  # working days the file clock has run in closed intervals
    verifier = rng.choice(staff.verifiers)
    citizen_steps = [("submit", "draft", "submitted", submitted, None, None), ("receive", "submitted", "verification", submitted, None, 1)]
    plan.steps += citizen_steps
    run_start = submitted
    entered = submitted
    state = "verification"

    def move(action, to, days, actor, step_sla, running=True):
        nonlocal entered, state, elapsed, run_start
        at = _at(calendar, calendar.add_working_days(entered, days), rng) if days else entered + timedelta(minutes=rng.randint(5, 90))
        if at > now:
            return False
        step_left = None if step_sla is None else step_sla - calendar.working_days_between(entered, at)
        plan.steps.append((action, state, to, at, actor, step_left))
        entered, state = at, to
        return True

    def pause(at):
        nonlocal elapsed, run_start
        plan.intervals.append([run_start, at])
        elapsed += calendar.working_days_between(run_start, at)
        run_start = None

    def resume(at):
        nonlocal run_start
        run_start = at

    outcome = rng.random()
    done = True
    # Verification, perhaps a return for correction (the clock pauses while the applicant fixes it).
    if rng.random() < 0.12:
        if not move("return", "returned", rng.choice([0, 1, 2]), verifier, 2):
            done = False
        else:
            pause(entered)
            if not move("resubmit", "verification", rng.randint(1, 6), None, 10):
                done = False
            else:
                resume(entered)
    if done and outcome < 0.08:
        if move("reject", "rejected", rng.choice([1, 2, 3]), verifier, 2):
            pause(entered)
            plan.state, plan.survey = "rejected", rng.random() < 0.3
            plan.entered_at = entered
            return plan
        done = False
    if done and outcome < 0.11:
        if move("withdraw", "withdrawn", rng.choice([0, 1]), None, 2):
            pause(entered)
            plan.state, plan.entered_at = "withdrawn", entered
            return plan
        done = False
    if done:
        needs_inspection = permit_type.inspection != "never" and rng.random() < 0.7
        ok = move("verify_inspect" if needs_inspection else "verify", "inspection" if needs_inspection else "awaiting_payment",
                  rng.choice([1, 1, 2, 2, 3]), verifier, 2)
        if ok and needs_inspection:
            ok = move("inspect_done", "awaiting_payment", rng.choice([1, 2, 3, 4]), rng.choice(staff.inspectors), 3)
        if ok:
            pause(entered)
            ok = move("paid" if _has_fee(permit_type) else "no_fee", "approval", rng.choice([0, 1, 2]) if _has_fee(permit_type) else 0, None, None)
            if ok:
                plan.paid_at = entered if _has_fee(permit_type) else None
                resume(entered)
        if ok:
            ok = move("approve", "signing", rng.choice([0, 1, 1, 2]), rng.choice(staff.approvers), 1)
        if ok:
            ok = move("sign", "issued", rng.choice([0, 0, 1]), rng.choice(staff.signers), 1)
        if ok:
            pause(entered)
            plan.state, plan.survey, plan.entered_at = "issued", rng.random() < 0.3, entered
            return plan
    # Still open: in whatever state the last move reached.
    plan.state, plan.entered_at = state, entered
    if run_start is not None:
        plan.intervals.append([run_start, None])
    if state in ("verification",):
        plan.assignee = verifier
    elif state == "inspection":
        plan.assignee = rng.choice(staff.inspectors)
    elif state == "approval":
        plan.assignee = rng.choice(staff.approvers)
    elif state == "signing":
        plan.assignee = rng.choice(staff.signers)
    return plan


def _has_fee(permit_type) -> bool:
    return permit_type.current_version.fee_model != "none"


def _fee(permit_type) -> int:
    return {"reklame": 14_062_500, "pbg": 23_400_000}.get(permit_type.code, 150_000) if _has_fee(permit_type) else 0


def generate(*, tenant, types, staff: Staff, applications: int, seed: int = 2026, now: datetime | None = None,
             months: int = 12, batch: int = 5000, refresh: bool = True, publish_tracking: bool = False,
             progress=None) -> int:
    """Insert `applications` files in `tenant` submitted over the `months` before `now`; returns the count.
    With `publish_tracking`, their public tracking facts are written as the transitions would have
    (`manage.py permits_tracking_publish` does the same later)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast

    from balai.core.payments.models import Bill
    from balai.core.workdays.selectors import calendar_for
    from balai.core.workflow import clock
    from balai.core.workflow.models import Transition, WorkflowInstance
    from balai.core.workflow.services import definition_current
    from balai.permits.models import Application, SurveyResponse
    from balai.permits.services_stats import stats_refresh

    rng = random.Random(seed)
    calendar = calendar_for(tenant)
    now = now or calendar.now()
    start_day = now.date() - timedelta(days=30 * months)
    definitions = {t.code: definition_current(tenant=tenant, code=t.workflow_code) for t in types}
    app_type = ContentType.objects.get_for_model(Application)
    digits = "".join(ch for ch in tenant.code if ch.isdigit())
    base_seq = Application.objects.filter(tenant=tenant).count()
    weights = [{"reklame": 40, "pbg": 10, "sip": 25, "penelitian": 25}.get(t.code, 10) for t in types]
    made = 0
    while made < applications:
        size = min(batch, applications - made)
        plans = []
        for i in range(size):
            permit_type = rng.choices(types, weights)[0]
            # Spread evenly over the period; recent files are the ones still open.
            day = start_day + timedelta(days=int((made + i) * (30 * months) / max(applications, 1)))
            submitted = _at(calendar, calendar.working_day_on_or_after(day), rng)
            if submitted > now:
                submitted = now - timedelta(minutes=1)
            plans.append((permit_type, submitted, _plan(calendar, permit_type, submitted, staff, rng, now)))
        with transaction.atomic():
            instances = []
            for i, (permit_type, submitted, plan) in enumerate(plans):
                definition = definitions[permit_type.code]
                raw = [[s.isoformat(), e.isoformat() if e else None] for s, e in plan.intervals]
                state = definition.parsed.states[plan.state]
                due, due_sla = (None, None)
                if not state.terminal and plan.state != "issued":
                    due, due_sla = clock.due(calendar, definition.parsed, state=plan.state, entered_at=plan.entered_at,
                                             raw=raw, sla_days=permit_type.sla_days)
                seq = base_seq + made + i + 1
                instances.append(
                    WorkflowInstance(
                        tenant=tenant, definition=definition, code=definition.code, queue=permit_type.code,
                        subject_type=app_type, subject_id=SUBJECT_OFFSET + seq,
                        title=f"REG-{digits}-{submitted.year}-{seq:06d} · {permit_type.name}"[:200], state=plan.state,
                        is_terminal=state.terminal, owner=staff.citizens[seq % len(staff.citizens)], assignee=plan.assignee,
                        assigned_at=plan.entered_at if plan.assignee else None, unit_id=permit_type.unit_id,
                        sla_days=permit_type.sla_days, clock_intervals=raw, sla_started_at=submitted,
                        state_entered_at=plan.entered_at, state_entered_seq=len(plan.steps), due_date=due,
                        due_sla_days=due_sla, version=len(plan.steps), created_at=submitted, updated_at=plan.entered_at,
                        closed_at=plan.entered_at if state.terminal else None,
                    )
                )
            WorkflowInstance.objects.bulk_create(instances, batch_size=batch)
            bills = {}
            for i, (permit_type, _submitted, plan) in enumerate(plans):
                if plan.paid_at is not None:
                    seq = base_seq + made + i + 1
                    bills[i] = Bill(
                        tenant=tenant, code=f"B{tenant.pk:03d}{seq:012d}"[:20], purpose="permits.retribution",
                        subject_type="permits.application", subject_id=str(SUBJECT_OFFSET + seq),
                        payer_name=f"Warga {seq}", amount=_fee(permit_type), description=f"Retribusi {permit_type.name}",
                        gateway="simulator", status=Bill.Status.PAID, paid_at=plan.paid_at,
                    )
            Bill.objects.bulk_create(bills.values(), batch_size=batch)
            apps = []
            for i, (permit_type, submitted, plan) in enumerate(plans):
                seq = base_seq + made + i + 1
                citizen = instances[i].owner
                fee_known = any(s[2] == "awaiting_payment" for s in plan.steps)
                apps.append(
                    Application(
                        tenant=tenant, permit_type=permit_type, type_version=permit_type.current_version,
                        registration_number=f"REG-{digits}-{submitted.year}-{seq:06d}", registration_year=submitted.year,
                        registration_seq=seq, applicant=citizen, applicant_name=citizen.full_name,
                        form_data={}, workflow=instances[i], fee_amount=_fee(permit_type) if fee_known else None,
                        bill=bills.get(i), created_at=submitted, updated_at=plan.entered_at, submitted_at=submitted,
                    )
                )
            Application.objects.bulk_create(apps, batch_size=batch)
            WorkflowInstance.objects.filter(tenant=tenant, subject_type=app_type, subject_id__gte=SUBJECT_OFFSET).update(
                subject_id=Subquery(Application.objects.filter(workflow_id=OuterRef("pk")).values("pk")[:1])
            )
            Bill.objects.filter(tenant=tenant, subject_id__startswith="1000000").update(
                subject_id=Cast(
                    Subquery(Application.objects.filter(bill_id=OuterRef("pk")).values("pk")[:1]), CharField()
                )
            )
            rows, surveys = [], []
            for i, (permit_type, _submitted, plan) in enumerate(plans):
                instance = instances[i]
                file_left_base = permit_type.sla_days
                used, run = 0, None
                for n, (action, from_state, to_state, at, actor, step_left) in enumerate(plan.steps, 1):
                    # What remained of the file's SLA when leaving `from_state` (the engine's file_remaining).
                    running_now = used + (calendar.working_days_between(run, at) if run is not None else 0)
                    file_left = file_left_base - running_now if n > 1 else file_left_base
                    if actor is None and action in ("submit", "resubmit", "withdraw"):
                        actor = apps[i].applicant
                    rows.append(
                        Transition(
                            tenant=tenant, instance=instance, seq=n, action=action, from_state=from_state,
                            to_state=to_state, actor=actor, actor_label=(actor.full_name if actor else "Sistem"), at=at,
                            sla_remaining_days=file_left, step_remaining_days=step_left,
                        )
                    )
                    if to_state == "verification" and from_state in ("submitted", "returned"):
                        run = at
                    elif to_state == "approval":
                        run = at
                    elif to_state in ("returned", "awaiting_payment", "issued", "rejected", "withdrawn") and run is not None:
                        used += calendar.working_days_between(run, at)
                        run = None
                if plan.survey:
                    answers = [rng.choices([1, 2, 3, 4], [1, 3, 10, 8])[0] for _ in range(9)]
                    surveys.append(
                        SurveyResponse(
                            tenant=tenant, application=apps[i], permit_type=permit_type, created_at=plan.entered_at + timedelta(hours=2),
                            **{f"u{k}": a for k, a in enumerate(answers, 1)},
                        )
                    )
            Transition.objects.bulk_create(rows, batch_size=batch)
            SurveyResponse.objects.bulk_create(surveys, batch_size=batch)
        made += size
        if progress:
            progress(made)
    if connection.vendor == "postgresql":
        # Fresh planner statistics, as autovacuum would have gathered after a year of real traffic;
        # without them PostgreSQL plans the bulk-loaded tables as if they were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if publish_tracking:
        from balai.permits.services_tracking import tracking_publish_all

        tracking_publish_all(tenant=tenant)
    if refresh:
        month = date(start_day.year, start_day.month, 1)
        while month <= now.date():
            stats_refresh(tenant=tenant, month=month)
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return made


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fresh", action="store_true", help="refuse to add to a tenant that already has files")
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from balai.permits.models import Application

    tenant, types, staff = prepare()
    existing = Application.objects.filter(tenant=tenant).count()
    if existing and args.fresh:
        print(f"{tenant.slug} already has {existing} applications; drop the database or leave out --fresh.")
        return 1
    started = time.perf_counter()
    n = generate(
        tenant=tenant, types=types, staff=staff, applications=args.applications, seed=args.seed,
        progress=lambda made: print(f"  {made} / {args.applications} applications", flush=True),
    )
    print(f"Generated {n} applications in {tenant.slug} in {time.perf_counter() - started:.1f} s "
          f"(now {Application.objects.filter(tenant=tenant).count()} in the tenant).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
