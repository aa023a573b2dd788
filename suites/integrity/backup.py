"""Backup and recovery round trip: dump a copy of the database, restore it, compare everything.

INT030 A ``pg_dump -Fc`` / ``pg_restore`` round trip lost or changed something (rows, policies,
grants, triggers, functions, RLS flags, ...).

Generic: it needs nothing but the schema. The comparison is by fingerprints read with the same
queries on both databases; each fingerprint is a mapping from an object's name to a value, and
each key missing, extra or different is one finding.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from harness.context import CheckContext
from harness.errors import HarnessError
from harness.pgdist import binary_version, client_tool
from harness.registry import REGISTRY, Finding, Severity, check

SUITE = FAMILY = "integrity"
RESTORED_SUFFIX = "_restored"
TOOL_TIMEOUT_S = 600
MAX_NAME = 63  # PostgreSQL's identifier limit (NAMEDATALEN - 1)
RESTORE_JOBS = 4  # parallel restore (custom format): the partitions' index builds overlap

# Every schema but PostgreSQL's own: auth and storage are data too on a vanilla server.
NOT_SYSTEM = """
    n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp)'
"""

TABLES = f"""
    select format('%I.%I', n.nspname, c.relname) as qname, c.relkind,
           array(select format('%I', a.attname)
                 from pg_index i cross join unnest(i.indkey) with ordinality k(attnum, ord)
                 join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                 where i.indrelid = c.oid and i.indisprimary order by k.ord) as pk
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'm') and {NOT_SYSTEM}
    order by 1
"""

# name -> (query returning (key, value) rows). Values are text so both sides compare exactly.
FINGERPRINTS: dict[str, str] = {
    "policy": """
        select format('%I.%I %s', schemaname, tablename, policyname),
               concat_ws(' | ', permissive, roles::text, cmd, qual, with_check)
        from pg_policies
    """,
    "rls": f"""
        select format('%I.%I', n.nspname, c.relname),
               format('enabled=%s forced=%s', c.relrowsecurity, c.relforcerowsecurity)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and {NOT_SYSTEM}
    """,
    "table grant": f"""
        select format('%I.%I to %s: %s%s', n.nspname, c.relname,
                      coalesce(nullif(a.grantee::regrole::text, '-'), 'PUBLIC'),
                      a.privilege_type, case when a.is_grantable then ' with grant option' end),
               'granted'
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        cross join lateral aclexplode(c.relacl) a
        where {NOT_SYSTEM} and a.grantee <> c.relowner
    """,
    "column grant": f"""
        select format('%I.%I.%I to %s: %s', n.nspname, c.relname, t.attname,
                      coalesce(nullif(a.grantee::regrole::text, '-'), 'PUBLIC'), a.privilege_type),
               'granted'
        from pg_attribute t join pg_class c on c.oid = t.attrelid
        join pg_namespace n on n.oid = c.relnamespace
        cross join lateral aclexplode(t.attacl) a
        where {NOT_SYSTEM} and t.attacl is not null
    """,
    "function grant": f"""
        select format('%s to %s: %s', p.oid::regprocedure,
                      coalesce(nullif(a.grantee::regrole::text, '-'), 'PUBLIC'), a.privilege_type),
               'granted'
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        cross join lateral aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
        where {NOT_SYSTEM} and a.grantee <> p.proowner
    """,
    "schema grant": f"""
        select format('%I to %s: %s', n.nspname,
                      coalesce(nullif(a.grantee::regrole::text, '-'), 'PUBLIC'), a.privilege_type),
               'granted'
        from pg_namespace n cross join lateral aclexplode(n.nspacl) a
        where {NOT_SYSTEM} and a.grantee <> n.nspowner
    """,
    "default privilege": """
        select format('%s in %s on %s', d.defaclrole::regrole,
                      case when d.defaclnamespace = 0 then 'all schemas'
                           else d.defaclnamespace::regnamespace::text end,
                      d.defaclobjtype),
               d.defaclacl::text
        from pg_default_acl d
    """,
    "trigger": f"""
        select format('%I.%I %s', n.nspname, c.relname, t.tgname),
               pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text
        from pg_trigger t join pg_class c on c.oid = t.tgrelid
        join pg_namespace n on n.oid = c.relnamespace
        where not t.tgisinternal and {NOT_SYSTEM}
    """,
    "function": f"""
        select p.oid::regprocedure::text,
               md5(pg_get_functiondef(p.oid)) || ' owner=' || p.proowner::regrole
                 || coalesce(' ' || obj_description(p.oid, 'pg_proc'), '')
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where p.prokind in ('f', 'p', 'w') and {NOT_SYSTEM}
    """,
    "constraint": f"""
        select format('%I.%I %s', n.nspname, c.relname, k.conname),
               pg_get_constraintdef(k.oid) || ' valid=' || k.convalidated
        from pg_constraint k join pg_class c on c.oid = k.conrelid
        join pg_namespace n on n.oid = c.relnamespace
        where {NOT_SYSTEM}
    """,
    "index": f"""
        select format('%I.%I', n.nspname, c.relname), pg_get_indexdef(c.oid)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('i', 'I') and {NOT_SYSTEM}
    """,
    "view": f"""
        select format('%I.%I', n.nspname, c.relname),
               md5(pg_get_viewdef(c.oid)) || coalesce(' ' || array_to_string(c.reloptions, ','), '')
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('v', 'm') and {NOT_SYSTEM}
    """,
    "partition": f"""
        select format('%I.%I', n.nspname, c.relname),
               c.relispartition || ' ' || coalesce(pg_get_expr(c.relpartbound, c.oid), '')
               || ' of ' || coalesce((select i.inhparent::regclass::text from pg_inherits i
                                      where i.inhrelid = c.oid), '-')
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and {NOT_SYSTEM}
    """,
    "sequence": f"""
        select format('%I.%I', s.schemaname, s.sequencename),
               coalesce(s.last_value::text, 'unused') || ' ' || s.increment_by
        from pg_sequences s join pg_namespace n on n.nspname = s.schemaname
        where {NOT_SYSTEM}
    """,
    "extension": "select extname, extversion || ' in ' || extnamespace::regnamespace "
    "from pg_extension",
    "publication": """
        select p.pubname || coalesce(' ' || t.schemaname || '.' || t.tablename, ''),
               format('all=%s ins=%s upd=%s del=%s', p.puballtables, p.pubinsert, p.pubupdate,
                      p.pubdelete)
        from pg_publication p left join pg_publication_tables t on t.pubname = p.pubname
    """,
}


def server_major(conn: psycopg.Connection[Any]) -> int:
    """Return the server's major version (15 for 15.4)."""
    return int(conn.info.server_version) // 10000


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, timeout=TOOL_TIMEOUT_S)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise HarnessError(f"{Path(args[0]).name} failed (exit {done.returncode}):\n{tail}")


def row_fingerprints(conn: psycopg.Connection[Any]) -> dict[str, str]:
    """Return ``count md5`` of every table's rows, ordered by primary key (else by row text)."""
    out: dict[str, str] = {}
    for qname, relkind, pk in conn.execute(TABLES).fetchall():
        order = sql.SQL(", ").join(sql.SQL(c) for c in pk) if pk else sql.SQL("t::text")
        q = sql.SQL(
            "select count(*), md5(coalesce(string_agg(t::text, E'\\n' order by {}), '')) from {} t"
        ).format(order, sql.SQL(qname))
        if relkind == "m":
            # an unpopulated materialized view cannot be read; compare it as such
            scanned = conn.execute(
                "select relispopulated from pg_class where oid = %s::regclass", (qname,)
            ).fetchone()
            if not scanned or not scanned[0]:
                out[qname] = "not populated"
                continue
        row = conn.execute(q).fetchone()
        assert row is not None
        out[qname] = f"{row[0]} rows, md5 {row[1]}"
    return out


def fingerprints(dsn: str) -> dict[str, dict[str, str]]:
    """Return every fingerprint of the database at ``dsn``: rows plus :data:`FINGERPRINTS`."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("set search_path = ''")  # qualified names in every definition
        conn.execute("set statement_timeout = 0")
        out = {"rows": row_fingerprints(conn)}
        for facet, query in FINGERPRINTS.items():
            out[facet] = {str(k): str(v) for k, v in conn.execute(query).fetchall()}
    return out


def differences(
    before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]
) -> Iterator[tuple[str, str, str | None, str | None]]:
    """Yield (facet, object, value before, value after) for every key that differs."""
    for facet, old in before.items():
        new = after.get(facet, {})
        for key in sorted(old.keys() | new.keys()):
            if old.get(key) != new.get(key):
                yield facet, key, old.get(key), new.get(key)


@contextmanager
def restored_database(ctx: CheckContext, source_dsn: str) -> Iterator[str]:
    """Create an empty database named after the source (dropped afterwards); yield its DSN."""
    source = conninfo_to_dict(source_dsn).get("dbname") or "dbh"
    name = (str(source)[: MAX_NAME - len(RESTORED_SUFFIX)]) + RESTORED_SUFFIX
    admin = ctx.admin_dsn or make_conninfo(source_dsn, dbname="postgres")
    ident = sql.Identifier(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(ident))
        # template0: pristine, as on a new server (template1 may hold local additions)
        conn.execute(sql.SQL("create database {} template template0").format(ident))
    try:
        yield make_conninfo(source_dsn, dbname=name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(ident))


@check(
    "INT030",
    title="Backup and restore round trip loses something",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="A backup is only as good as its restore. A copy of the database with its seed "
    "data is dumped with pg_dump -Fc (the server's major version), restored with pg_restore "
    "into a new database, and compared object by object: per-table row counts and checksums "
    "(all schemas, auth and storage included, partitions one by one), policies, RLS flags, "
    "table/column/function/schema grants, default privileges, triggers, function definitions, "
    "constraints, indexes, views, sequences, extensions and publications. Objects outside the "
    "database (roles, database-level settings such as app.settings.encryption_key) are not in "
    "a per-database dump: docs/backup-and-recovery.md says how to bring them along.",
    remedy="Find why the object did not survive: an object owned by an extension or created by "
    "an event trigger, a table excluded by a dump option, data in a table pg_dump skips "
    "(unlogged with --no-unlogged-table-data), a function depending on search_path at restore "
    "time (set search_path on it), a grant to a role missing on the target.",
)
def backup_round_trip(ctx: CheckContext) -> Iterator[Finding]:
    """Dump a clone, restore it into a new database and yield one finding per difference."""
    chk = REGISTRY.get("INT030")
    with ctx.fresh_database() as source:
        with psycopg.connect(source, autocommit=True) as conn:
            major = server_major(conn)
        # Of the server's major, else ToolMissing: an older pg_dump refuses a newer server.
        pg_dump, pg_restore = client_tool("pg_dump", major), client_tool("pg_restore", major)
        version = binary_version(pg_dump)
        with (
            tempfile.TemporaryDirectory(prefix="dbh_backup_") as tmp,
            restored_database(ctx, source) as target,
        ):
            dump = Path(tmp) / "backup.dump"
            ctx.progress(f"INT030: {version}: dumping a copy of the database")
            _run([pg_dump, "--format=custom", f"--file={dump}", f"--dbname={source}"])
            ctx.progress(f"INT030: restoring {dump.stat().st_size} bytes into a new database")
            # Owners kept: the round trip must reproduce them (the roles are cluster-wide).
            _run(
                [
                    pg_restore,
                    "--exit-on-error",
                    f"--jobs={RESTORE_JOBS}",
                    f"--dbname={target}",
                    str(dump),
                ]
            )
            ctx.progress("INT030: comparing rows, policies, grants, triggers and functions")
            before, after = fingerprints(source), fingerprints(target)
    common = {
        "pg_dump": version,
        "server_major": major,
        "compared": {facet: len(keys) for facet, keys in before.items()},
    }
    for facet, key, old, new in differences(before, after):
        if new is None:
            what = "is missing after the restore"
        elif old is None:
            what = "appears only after the restore"
        else:
            what = "differs after the restore"
        yield chk.finding(
            f"{facet}:{key}",
            f"{facet} {key} {what}",
            details={**common, "before": old, "after": new},
        )
