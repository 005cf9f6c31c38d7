"""The PostgreSQL hub: an organisation's graded results in one database.

Sync sends a batch as one transaction: the validated records (JSON) are
COPYed into an unlogged staging table, then ``auditui.submit(batch)``
upserts them in a few set-based statements (a higher revision replaces a
lower one; a lower or equal one is ignored), derives each stored record's
sections, themed answers and actions, and clears the staging rows. The
commit is the hub's confirmation: only after it does the local outbox mark
the batch sent, so a connection dropped at any moment leaves the batch to
be sent again, and sending it again changes nothing. Concurrent syncs lock
rows in id order; a deadlock or serialisation failure is retried.

What the hub believes, and from whom, is decided in SQL (``pg_users``): an
audit belongs to the login that first submitted it, completions come only
from its owner or a login trusted for its team, and impossible completion
dates and demo records are refused. The checks here say the same earlier,
in plain words, before anything is sent."""

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
from auditui.sync.facts import completion_problem
from auditui.sync.hub import BoardAction, Submitted
from auditui.sync.measures import Counted, Counts, Period, ThemeCounts, render_report, with_period
from auditui.sync.outbox import HubActionState
from auditui.sync.pg_users import iso_or_none as _iso
from auditui.sync.pg_users import latest_completion_date
from auditui.sync.pg_views import COUNT_COLUMNS
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
        self._delivery_id: str | None = None

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

    @property
    def delivery_id(self) -> str:
        """What the local outbox records deliveries to this hub under: the hub's own id,
        the same whichever login or address reaches it (so a person moving from the
        shared login to their own is not sent everything again)."""
        if self._delivery_id is None:
            try:
                row = self.conn.execute("SELECT auditui.hub_id()").fetchone()
            except psycopg.Error:  # a hub from before schema 2, until hub init is run
                row = None
            self._delivery_id = f"postgresql:{row[0]}" if row and row[0] else self.display
        return self._delivery_id

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
                f"use a login in the {_role_for(doing)} role."
            ) from None
        except psycopg.OperationalError as exc:
            raise HubError(
                f"The connection to the hub {self.display} failed ({_reason(exc)}); "
                "anything not confirmed stays in the outbox."
            ) from None
        except psycopg.Error as exc:
            message = (exc.diag.message_primary or _reason(exc)).removeprefix("auditui: ")
            raise HubError(f"The hub {self.display} refused this: {message}.") from None

    # --- sync ------------------------------------------------------------------

    def submit(self, results: Sequence[GradedResult], states: Sequence[ActionState]) -> Submitted:
        self._refuse_impossible(results, states)
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

    def _refuse_impossible(
        self, results: Sequence[GradedResult], states: Sequence[ActionState]
    ) -> None:
        """What the hub's SQL refuses, said before sending (the SQL checks it again), by
        the one rule of ``facts.completion_problem``."""
        latest = latest_completion_date().isoformat()
        for result in results:
            if result.demo:
                raise HubError(
                    f"Audit {result.audit_id} is a demo audit; the PostgreSQL hub {self.display} "
                    "is a real hub and takes no demo records. Nothing was sent."
                )
            for action in result.actions:
                agreed = action.agreed_on or result.started_on
                problem = completion_problem(
                    action.status, _iso(action.completed_on), agreed.isoformat(), latest
                )
                if problem:
                    raise HubError(
                        f"Audit {result.audit_id}: action {action.id} was {problem}; "
                        "nothing was sent."
                    )
        for state in states:
            problem = completion_problem(
                state.status, _iso(state.completed_on), _iso(state.agreed_on), latest
            )
            if problem:
                raise HubError(f"Action {state.action_id} was {problem}; nothing was sent.")

    def held(self, audit_ids: Sequence[str]) -> dict[str, int]:
        """Audit id -> the highest revision the hub holds (it holds only what it believes)."""
        out: dict[str, int] = {}
        with self._errors("read what the hub holds"):
            for start in range(0, len(audit_ids), 10_000):
                chunk = list(audit_ids[start : start + 10_000])
                for audit_id, revision in self.conn.execute(
                    "SELECT audit_id, revision FROM auditui.held(%s)", (chunk,)
                ):
                    out[audit_id] = int(revision)
        return out

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
        problem = completion_problem("done", _iso(on), None, latest_completion_date().isoformat())
        if problem:
            raise StateError(f"Refused: an action {problem}; nothing was recorded.")
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
                text = text.replace("<hub>", self.display)
                raise StateError(f"{text[:1].upper()}{text[1:]}.") from None
            raise
        assert row is not None
        return BoardAction(*row)

    # --- report -----------------------------------------------------------------

    _COUNT_COLUMNS = COUNT_COLUMNS

    def report(
        self, by: str | None, today: dt.date | None = None, period: Period | None = None
    ) -> dict[str, Any]:
        """The measures from the hub's report functions (``today`` is the hub's own date),
        over the audits that ended in ``period`` (ISO first and last day, inclusive)."""
        from auditui.sync.measures import GROUPINGS

        if by is not None and by not in GROUPINGS:
            raise ValueError(by)
        start, end = period or (None, None)
        cols = ", ".join(self._COUNT_COLUMNS)
        with self._errors("read reports"):
            info = self.conn.execute(
                "SELECT today, small_group_threshold FROM auditui.report_info"
            ).fetchone()
            assert info is not None
            hub_today, threshold = info[0].isoformat(), int(info[1])
            overall = self.conn.execute(
                f"SELECT {cols}, grades FROM auditui.report_groups('all', %s, %s)"
                " WHERE grp IS NOT NULL",
                (start, end),
            ).fetchone()
            groups: dict[str, Counts] = {}
            suppressed = 0
            if by is not None:
                for row in self.conn.execute(
                    f"SELECT grp, {cols}, grades FROM auditui.report_groups(%s, %s, %s)",
                    (by, start, end),
                ):
                    if row[0] is None:
                        suppressed += 1
                    else:
                        groups[row[0]] = _counts(row[1:])
            themes = [
                ThemeCounts(r[0], r[1], tuple(r[2]), int(r[3]), int(r[4]), int(r[5]))
                for r in self.conn.execute(
                    "SELECT tool_id, question_id, tags, answered, partly, no"
                    " FROM auditui.report_theme_counts(%s, %s)",
                    (start, end),
                )
            ]
        counts = _counts(overall) if overall else Counts()
        if overall is None:  # hidden: the views say only that something is there
            with self._errors("read reports"):
                hidden = self.conn.execute(
                    "SELECT count(*) FROM auditui.report_groups('all', %s, %s)", (start, end)
                ).fetchone()
            counts = Counts(audits=1 if hidden and hidden[0] else 0)
        counted = Counted(counts, groups, themes)
        report = render_report(
            counted, by, hub_today, threshold, f"PostgreSQL hub {self.display}", suppressed
        )
        return with_period(report, period)


def _counts(row: Sequence[Any]) -> Counts:
    """Counts from a view row: the twelve count columns in ``_COUNT_COLUMNS`` order, then grades."""
    values = dict(zip(PostgresHub._COUNT_COLUMNS, (int(v or 0) for v in row[:12]), strict=True))
    return Counts(**values, grades=dict(row[12] or {}))


def _role_for(doing: str) -> str:
    if doing in ("submit results", "read action states", "read what the hub holds"):
        return pg_schema.SUBMITTER
    if doing == "read reports":
        return pg_schema.READER
    return pg_schema.MANAGER


def init_hub(url: str, small_group_threshold: int = 5) -> str:
    """Create or migrate the hub schema and roles (``pg_init.init_hub``)."""
    from auditui.sync.pg_init import init_hub as init

    return init(url, small_group_threshold)
