"""Playing the attacker who holds database superuser rights: lift the triggers, then rewrite rows."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

from balai.core.audit import triggers


@contextmanager
def triggers_lifted():
    """Inside a test's transaction the lifted triggers come back when the block ends (and at rollback)."""
    with triggers.lifted(connection):
        yield


def execute(sql: str, params: list | tuple = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def tamper(sql: str, params: list | tuple = ()) -> int:
    """Run one raw statement on the audit tables with the triggers lifted; returns the rows touched."""
    with triggers_lifted():
        return execute(sql, params)
