"""Database triggers that make the audit tables append-only, on PostgreSQL and on SQLite alike.

UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) on `audit_auditentry` and `audit_auditdigest` fail
with an integrity error. Migration 0002 installs them; `install` is idempotent and also runs after
every `migrate` (see apps.py), because SQLite rebuilds a table to alter it and the rebuild loses its
triggers. Only someone who can change the schema (the owner of the tables, or a superuser) can lift
them; that is what `lifted` does, for `flush` and for the tests that play such an attacker.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

TABLES = ("audit_auditentry", "audit_auditdigest")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION balai_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'balai: % on % refused: the audit log is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$
"""


def _pg_names(table: str) -> tuple[str, str]:
    return f"{table}_append_only", f"{table}_no_truncate"


def _sqlite_names(table: str) -> tuple[str, str]:
    return f"{table}_no_update", f"{table}_no_delete"


def _supported(connection) -> bool:
    return connection.vendor in ("postgresql", "sqlite")


def _existing_tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
    return [t for t in TABLES if t in present]


def install(connection) -> None:
    """Create (or re-create and enable) the triggers on every audit table that exists."""
    if not _supported(connection) or present(connection):
        return
    tables = _existing_tables(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for table in tables:
                row_trigger, truncate_trigger = _pg_names(table)
                cursor.execute(f'DROP TRIGGER IF EXISTS "{row_trigger}" ON "{table}"')
                cursor.execute(f'DROP TRIGGER IF EXISTS "{truncate_trigger}" ON "{table}"')
                cursor.execute(
                    f'CREATE TRIGGER "{row_trigger}" BEFORE UPDATE OR DELETE ON "{table}" '
                    "FOR EACH ROW EXECUTE FUNCTION balai_audit_append_only()"
                )
                cursor.execute(
                    f'CREATE TRIGGER "{truncate_trigger}" BEFORE TRUNCATE ON "{table}" '
                    "FOR EACH STATEMENT EXECUTE FUNCTION balai_audit_append_only()"
                )
        else:
            for table in tables:
                for name, op in zip(_sqlite_names(table), ("UPDATE", "DELETE"), strict=True):
                    cursor.execute(
                        f'CREATE TRIGGER IF NOT EXISTS "{name}" BEFORE {op} ON "{table}" BEGIN '
                        f"SELECT RAISE(ABORT, 'balai: {op} on {table} refused: the audit log is append-only'); END"
                    )


def uninstall(connection) -> None:
    if not _supported(connection):
        return
    tables = _existing_tables(connection)
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                for name in _pg_names(table):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            else:
                for name in _sqlite_names(table):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS balai_audit_append_only()")


def present(connection) -> bool:
    """Whether every audit table that exists carries its triggers."""
    if not _supported(connection):
        return False
    tables = _existing_tables(connection)
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = ANY(%s) AND tgenabled <> 'D'",
                    [table, list(_pg_names(table))],
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s AND name IN (%s, %s)",
                    [table, *_sqlite_names(table)],
                )
            if cursor.fetchone()[0] != 2:
                return False
    return bool(tables)


def _pg_alter(connection, tables: list[str], verb: str) -> None:
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            # ALTER TABLE refuses to run while deferred foreign-key checks on the table are pending
            # (Django's foreign keys are INITIALLY DEFERRED): run them now, then defer again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            for name in _pg_names(table):
                cursor.execute(f'ALTER TABLE "{table}" {verb} TRIGGER "{name}"')
        if connection.in_atomic_block:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def lifted(connection) -> Iterator[None]:
    """Lift the triggers for the duration of the block, as the owner of the tables can.

    Used by `flush` (which must empty every table) and by tests that tamper with the log the way a
    database superuser could. Inside a transaction the change is undone with it on both backends.
    """
    if not _supported(connection):
        yield
        return
    tables = _existing_tables(connection)
    if connection.vendor == "postgresql":
        _pg_alter(connection, tables, "DISABLE")
        try:
            yield
        finally:
            _pg_alter(connection, tables, "ENABLE")
    else:
        with connection.cursor() as cursor:
            for table in tables:
                for name in _sqlite_names(table):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        try:
            yield
        finally:
            install(connection)
