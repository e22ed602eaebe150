"""Carry three fixes of the permit workflows into the versions already stored (files in progress keep the
version they started on, and a tenant's override stays current until replaced):

- fiktif positif deems a file approved only once the FILE's SLA has passed: its automatic escalations get
  ``"basis": "file"`` (they fired when one step ran late, which no regulation allows);
- signing is first in, first out (``"fifo": true`` on ``sign``), so a signer can log the reason code the
  inspectorate's out-of-order check looks for;
- in the module's own default versions (not tenants' overrides, which chose their recipients), a late step
  tells the head of the file's unit (``"unit_head"``) instead of every approver.

Only these keys change; the version numbers stay, the digest is recomputed. Nothing to undo backwards: the
old behaviour was the bug.
"""

import hashlib
import json

from django.db import migrations

DEEMED = ("deem_approved", "deem_approved_final")
APPROVER = "permits.approver"


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def fix(apps, schema_editor):
    WorkflowDefinition = apps.get_model("workflow", "WorkflowDefinition")
    rows = WorkflowDefinition.objects.filter(code__startswith="permits.application")
    for row in rows.iterator():
        data = row.definition
        if not isinstance(data, dict):
            continue
        changed = False
        for escalation in data.get("escalations") or []:
            if escalation.get("do") == "auto_action" and escalation.get("action") in DEEMED:
                if escalation.get("basis") != "file":
                    escalation["basis"] = "file"
                    changed = True
            elif (
                row.source == "default"
                and escalation.get("do") == "notify"
                and escalation.get("notify_roles") == [APPROVER]
            ):
                escalation["notify_roles"] = ["unit_head"]
                changed = True
        for action in data.get("actions") or []:
            if action.get("code") == "sign" and action.get("fifo") is not True:
                action["fifo"] = True
                changed = True
        if changed:
            row.definition = data
            row.digest = _digest(data)
            row.save(update_fields=["definition", "digest"])


class Migration(migrations.Migration):
    dependencies = [
        ("permits", "0006_application_legal_entity"),
        ("workflow", "0002_clock_starts_on"),
    ]

    operations = [migrations.RunPython(fix, migrations.RunPython.noop)]
