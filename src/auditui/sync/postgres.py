"""The PostgreSQL hub: an organisation's graded results in one database.

Sync sends a batch as one transaction: the validated records (JSON) are
COPYed into an unlogged staging table, then ``auditui.submit(batch)``
upserts them in a few set-based statements (a higher revision replaces a
lower one; a lower or equal one is ignored), derives each stored record's
sections, themed answers and actions, and clears the staging rows. The
commit is the hub's confirmation: only after it does the local outbox mark
the batch sent, so a connection dropped at any moment leaves the batch to
be sent again, and sending it again changes nothing. Concurrent syncs lock
rows in id order; a deadlock or serialisation failure is retried."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from auditui.errors import AuditUIError, HubError, NotFoundError, StateError
from auditui.sync import pg_schema
from auditui.sync.hub import BoardAction, Submitted
from auditui.sync.measures import Counted, Counts, ThemeCounts, render_report
from auditui.sync.outbox import HubActionState
from auditui.sync.result import ActionState, GradedResult

CONNECT_TIMEOUT = 5
RETRIES = 5


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the PostgreSQL hub"
    user = f"{info['user']}@" if info.get("user") else ""
    host = str(info.get("host") or "localhost")
    port = f":{info['port']}" if info.get("port") else ""
    dbname = info.get("dbname") or ""
    if host.startswith("/"):  # a Unix socket directory
        return f"postgresql://{user}/{dbname}?host={host}"
    return f"postgresql://{user}{host}{port}/{dbname}"


def connect(url: str) -> psycopg.Connection[Any]:
    """An autocommit connection, or a ``HubError`` in one sentence."""
    try:
        return psycopg.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT, application_name="auditui"
        )
    except psycopg.Error as exc:
        reason = _reason(exc)
        raise HubError(
            f"The PostgreSQL hub {display_url(url)} cannot be reached ({reason}); "
            "nothing was sent and the outbox is kept."
        ) from None


def _reason(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or ["no reason given"])[0]
    for marker in ("failed: ", "error: "):
        if marker in text:
            text = text.rsplit(marker, 1)[1]
    return text.strip().rstrip(".")


@dataclass(frozen=True)
class StagedRows:
    results: list[tuple[str]]
    """One row per graded result: its JSON record."""
    actions: list[tuple[str]]
    """One row per action change: its JSON record."""


def staged_rows(results: Sequence[GradedResult], states: Sequence[ActionState]) -> StagedRows:
    """What COPY sends: whole validated records; the hub derives its rows from them."""
    return StagedRows(
        [(r.model_dump_json(by_alias=True),) for r in results],
        [(s.model_dump_json(by_alias=True),) for s in states],
    )


def copy_rows(
    cur: psycopg.Cursor[Any],
    table: str,
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    batch: uuid.UUID | None = None,
) -> None:
    """COPY ``rows`` into ``table`` (prefixed with the batch id when given)."""
    if not rows:
        return
    cols = (["batch"] if batch is not None else []) + list(columns)
    with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
        if batch is None:
            for row in rows:
                copy.write_row(row)
        else:
            for row in rows:
                copy.write_row((batch, *row))


class PostgresHub:
    def __init__(self, url: str, conn: psycopg.Connection[Any]) -> None:
        self.url = url
        self.conn = conn
        self.display = display_url(url)

    @classmethod
    def connect(cls, url: str) -> PostgresHub:
        conn = connect(url)
        hub = cls(url, conn)
        with hub._errors("read"):
            found = conn.execute("SELECT to_regnamespace('auditui') IS NOT NULL").fetchone()
        if not found or not found[0]:
            conn.close()
            raise HubError(
                f"The PostgreSQL hub {hub.display} has no auditui schema yet; "
                f"run: auditui hub init {hub.display}"
            )
        return hub

    def another(self) -> PostgresHub:
        return PostgresHub.connect(self.url)

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except AuditUIError:
            raise
        except pg_errors.InsufficientPrivilege:
            user = self.conn.info.user
            raise HubError(
                f"The hub {self.display} does not let '{user}' {doing}; "
                f"use the {_role_for(doing)} login."
            ) from None
        except psycopg.OperationalError as exc:
            raise HubError(
                f"The connection to the hub {self.display} failed ({_reason(exc)}); "
                "anything not confirmed stays in the outbox."
            ) from None
        except psycopg.Error as exc:
            message = exc.diag.message_primary or _reason(exc)
            raise HubError(f"The hub {self.display} refused this ({message}).") from None

    # --- sync ------------------------------------------------------------------

    def submit(self, results: Sequence[GradedResult], states: Sequence[ActionState]) -> Submitted:
        rows = staged_rows(results, states)
        for attempt in range(RETRIES):
            try:
                with self._errors("submit results"):
                    return self._submit_once(rows)
            except HubError as exc:
                if not isinstance(
                    exc.__context__, pg_errors.DeadlockDetected | pg_errors.SerializationFailure
                ):
                    raise
                if attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _submit_once(self, rows: StagedRows) -> Submitted:
        batch = uuid.uuid4()
        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                copy_rows(cur, "auditui.staging_results", ("payload",), rows.results, batch)
                copy_rows(cur, "auditui.staging_actions", ("payload",), rows.actions, batch)
                found = cur.execute("SELECT * FROM auditui.submit(%s)", (batch,)).fetchone()
        except (pg_errors.DeadlockDetected, pg_errors.SerializationFailure) as exc:
            raise HubError(f"The hub {self.display} was busy ({_reason(exc)}).") from exc
        assert found is not None
        return Submitted(applied=found[0], ignored=found[1], actions=found[2])

    def action_states(self, action_ids: Sequence[str]) -> dict[str, HubActionState]:
        out: dict[str, HubActionState] = {}
        with self._errors("read action states"):
            for start in range(0, len(action_ids), 10_000):
                chunk = list(action_ids[start : start + 10_000])
                for row in self.conn.execute(
                    "SELECT action_id, status, completed_on, evidence"
                    " FROM auditui.action_states(%s) WHERE status <> 'open'",
                    (chunk,),
                ):
                    out[row[0]] = HubActionState(
                        row[1], row[2].isoformat() if row[2] else None, row[3]
                    )
        return out

    # --- actions board -----------------------------------------------------------

    _BOARD = (
        "SELECT action_id, audit_id, team, tool_id, coalesce(owner, ''), due, status,"
        " completed_on, text FROM auditui.actions_board"
    )

    def board(self) -> list[BoardAction]:
        with self._errors("read the actions board"):
            rows = self.conn.execute(self._BOARD + " ORDER BY due, action_id").fetchall()
        return [BoardAction(*row) for row in rows]

    def complete_action(
        self, action_id: str, on: dt.date, evidence: str | None, now: str
    ) -> BoardAction:
        try:
            with self._errors("complete actions"):
                found = self.conn.execute(
                    "SELECT auditui.complete_action(%s, %s, %s)", (action_id, on, evidence)
                ).fetchone()
                assert found is not None
                row = self.conn.execute(
                    self._BOARD + " WHERE action_id = %s", (found[0],)
                ).fetchone()
        except HubError as exc:
            cause = exc.__context__
            if isinstance(cause, pg_errors.NoDataFound):
                raise NotFoundError(
                    f"The hub {self.display} has no action '{action_id}'."
                ) from None
            if isinstance(cause, pg_errors.RaiseException):
                text = (cause.diag.message_primary or "").removeprefix("auditui: ")
                raise StateError(f"{text[:1].upper()}{text[1:]} on the hub.") from None
            raise
        assert row is not None
        return BoardAction(*row)

    # --- report -----------------------------------------------------------------

    _COUNT_COLUMNS = (
        "audits",
        "finalised",
        "closed_incomplete",
        "with_practitioner",
        "complete",
        "good_or_better",
        "actions",
        "actions_open",
        "actions_done",
        "actions_cancelled",
        "actions_on_time",
        "actions_overdue",
    )

    def report(self, by: str | None, today: dt.date | None = None) -> dict[str, Any]:
        """The measures from the hub's aggregate views (``today`` is the hub's own date)."""
        from auditui.sync.measures import GROUPINGS

        if by is not None and by not in GROUPINGS:
            raise ValueError(by)
        cols = ", ".join(self._COUNT_COLUMNS)
        with self._errors("read reports"):
            info = self.conn.execute(
                "SELECT today, small_group_threshold FROM auditui.report_info"
            ).fetchone()
            assert info is not None
            hub_today, threshold = info[0].isoformat(), int(info[1])
            overall = self.conn.execute(f"SELECT {cols}, grades FROM auditui.report_all").fetchone()
            groups: dict[str, Counts] = {}
            suppressed = 0
            if by is not None:
                for row in self.conn.execute(
                    f"SELECT grp, {cols}, grades FROM auditui.report_{by}"
                ):
                    groups[row[0]] = _counts(row[1:])
                hidden = self.conn.execute(
                    "SELECT groups FROM auditui.report_suppressed WHERE dimension = %s", (by,)
                ).fetchone()
                suppressed = int(hidden[0]) if hidden else 0
            themes = [
                ThemeCounts(r[0], r[1], tuple(r[2]), int(r[3]), int(r[4]), int(r[5]))
                for r in self.conn.execute(
                    "SELECT tool_id, question_id, tags, answered, partly, no"
                    " FROM auditui.report_themes"
                )
            ]
        counted = Counted(_counts(overall) if overall else Counts(), groups, themes)
        return render_report(
            counted, by, hub_today, threshold, f"PostgreSQL hub {self.display}", suppressed
        )


def _counts(row: Sequence[Any]) -> Counts:
    """Counts from a view row: the twelve count columns in ``_COUNT_COLUMNS`` order, then grades."""
    values = dict(zip(PostgresHub._COUNT_COLUMNS, (int(v or 0) for v in row[:12]), strict=True))
    return Counts(**values, grades=dict(row[12] or {}))


def _role_for(doing: str) -> str:
    if doing in ("submit results", "read action states"):
        return pg_schema.SUBMITTER
    if doing == "read reports":
        return pg_schema.READER
    return pg_schema.MANAGER


def init_hub(url: str, small_group_threshold: int = 5) -> str:
    """Create or migrate the hub schema and roles; returns a sentence saying what was done."""
    conn = connect(url)
    hub = PostgresHub(url, conn)
    try:
        with (
            hub._errors("create the hub schema (run hub init as the database owner)"),
            conn.transaction(),
        ):
            conn.execute("SELECT pg_advisory_xact_lock(7271270)")
            for statement in _split(pg_schema.BOOTSTRAP):
                conn.execute(statement)
            row = conn.execute(
                "SELECT value::integer FROM auditui.meta WHERE key = 'schema_version'"
            ).fetchone()
            version = row[0] if row else 0
            if version > pg_schema.SCHEMA_VERSION:
                raise HubError(
                    f"The hub {hub.display} has schema {version}, newer than this auditui knows "
                    f"({pg_schema.SCHEMA_VERSION}); upgrade auditui. Nothing was changed."
                )
            for number in range(version, pg_schema.SCHEMA_VERSION):
                conn.execute(pg_schema.MIGRATIONS[number])
            for view in pg_schema.VIEW_NAMES:
                conn.execute(f"DROP VIEW IF EXISTS auditui.{view}")
            conn.execute(pg_schema.FUNCTIONS)
            conn.execute(pg_schema.VIEWS)
            for statement in pg_schema.role_statements() + pg_schema.grant_statements():
                conn.execute(statement)
            conn.execute(
                "INSERT INTO auditui.meta (key, value) VALUES ('schema_version', %s),"
                " ('small_group_threshold', %s)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (str(pg_schema.SCHEMA_VERSION), str(small_group_threshold)),
            )
    finally:
        conn.close()
    done = (
        "created"
        if version == 0
        else ("migrated" if version < pg_schema.SCHEMA_VERSION else "checked")
    )
    return (
        f"Hub {hub.display} {done} (schema {pg_schema.SCHEMA_VERSION}, groups under "
        f"{small_group_threshold} audits hidden); logins: {pg_schema.SUBMITTER} (sync), "
        f"{pg_schema.READER} (reports), {pg_schema.MANAGER} (actions board)."
    )


def _split(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
