"""Refuse UPDATE, DELETE and TRUNCATE on the audit tables in the database itself.

PostgreSQL: a plpgsql function raising an integrity error, a row trigger for UPDATE/DELETE and a
statement trigger for TRUNCATE. SQLite: BEFORE UPDATE / BEFORE DELETE triggers that RAISE(ABORT).
Other databases get no trigger (the model and queryset still refuse). The SQL lives in triggers.py,
which also re-installs it after every migrate; change it only together with a new migration.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from balai.core.audit import triggers

    triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from balai.core.audit import triggers

    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
