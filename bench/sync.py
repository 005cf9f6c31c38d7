"""What sync and the monthly report cost, against a raw COPY of the same rows.

On a real PostgreSQL started for the run (pgserver), with N ended audits
from the demo generator in a local store, this times:

1. baseline: a raw COPY of exactly the rows the hub ends up holding (the
   results with their JSON records, sections, themed answers, the themes findings
   raise, actions; built
   and pseudonymised beforehand, untimed) straight into the hub's tables, in
   one transaction;
2. the first sync of the N-row outbox to the same (emptied) tables, as the
   submitter login: read the outbox, build and validate each graded result,
   COPY the records into staging, upsert (the hub derives its rows from
   the records), mark sent, ask for action completions
   (goal: <= 2x the baseline);
3. a repeat sync of the same outbox (goal: a no-op costing <= 0.2x the first);
4. `report --by month` over the N audits: from the hub's aggregate views (as
   the reader login), and from the local store, each as a ratio to the baseline.

Usage: python bench/sync.py [N] [--folder]   (N ended audits, default 10000;
       --folder also times a sync to a folder hub and a report over it)
Only ratios are printed: absolute times depend on the machine.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pgserver
import psycopg

from auditui.config import Config, SyncConfig
from auditui.services.demo import generate_demo
from auditui.services.report import build_report
from auditui.services.sync import run_sync, tool_lookup
from auditui.services.workspace import Workspace
from auditui.sync import pg_schema
from auditui.sync.build import graded_result
from auditui.sync.facts import facts_of
from auditui.sync.postgres import copy_rows, init_hub
from auditui.sync.pseudonym import load_or_create_key
from auditui.sync.result import GradedResult
from auditui.sync.result_extras import result_extras

ROUNDS = 3


def role_url(url: str, role: str) -> str:
    return url.replace("postgres:@", f"{role}@", 1)


def make_outbox(ws: Workspace, n: int) -> int:
    """Demo audits until the outbox holds at least ``n`` ended revisions; trim to exactly n."""
    seed = 1
    while (ws.store.one("SELECT count(*) FROM outbox") or [0])[0] < n:
        generate_demo(ws, max(100, int(n * 0.2)), seed=seed, as_demo=False)
        seed += 1
    with ws.store.transaction() as conn:
        conn.execute(
            "DELETE FROM outbox WHERE rowid NOT IN (SELECT rowid FROM outbox ORDER BY rowid LIMIT ?)",
            (n,),
        )
    return int((ws.store.one("SELECT count(*) FROM outbox") or [0])[0])


def hub_rows(
    results: list[GradedResult],
) -> dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    """The rows the hub ends up holding for these results, by table, in column order."""
    out: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]] = {
        "results": (pg_schema.RESULT_COLUMNS, []),
        "sections": (
            ("audit_id", "section_id", "tool_id", "percent", "suggested", "final", "overridden"),
            [],
        ),
        "themes": (("audit_id", "tool_id", "question_id", "tags", "value"), []),
        "finding_themes": (("audit_id", "kind", "theme"), []),
        "actions": (
            (
                "action_id",
                "audit_id",
                "owner",
                "due",
                "text",
                "fields_at",
                "status",
                "completed_on",
                "evidence",
                "status_at",
            ),
            [],
        ),
    }
    for r in results:
        o = r.overall
        out["results"][1].append(
            (
                r.audit_id,
                r.revision,
                r.status,
                r.recorded_at,
                r.tool_id,
                r.tool_version,
                r.scale,
                r.case_key,
                r.case_type,
                r.team,
                r.auditor,
                r.practitioner_present,
                r.kind,
                r.started_on,
                r.ended_on,
                r.complete,
                o.final,
                o.suggested,
                o.percent,
                o.overridden,
                r.model_dump_json(by_alias=True),
            )
        )
        out["sections"][1].extend(
            (r.audit_id, s.section_id, r.tool_id, s.percent, s.suggested, s.final, s.overridden)
            for s in r.sections
        )
        facts = facts_of(r.dump(), with_actions=False)
        out["themes"][1].extend(
            (r.audit_id, t.tool_id, t.question_id, list(t.tags), t.value) for t in facts.themes
        )
        out["finding_themes"][1].extend(tuple(f) for f in facts.findings)
        out["actions"][1].extend(
            (
                a.id,
                r.audit_id,
                a.owner,
                a.due,
                a.text,
                r.recorded_at,
                a.status,
                a.completed_on,
                None,
                r.recorded_at,
            )
            for a in r.actions
        )
    return out


def prepared_rows(ws: Workspace) -> dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    """The baseline's rows, built (and pseudonymised) once, outside any timing."""
    key = load_or_create_key(ws.config.sync.resolved_key_file())
    tools = tool_lookup(ws)
    rows = ws.store.query("SELECT audit_id, payload, created_at FROM outbox")
    extras = result_extras(ws.store, [r[0] for r in rows])
    results = [
        graded_result(json.loads(payload), created, key, False, tools, extras=extras.get(audit_id))
        for audit_id, payload, created in rows
    ]
    return hub_rows(results)


def empty_hub(admin: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "TRUNCATE auditui.results, auditui.sections, auditui.themes, auditui.finding_themes,"
            " auditui.actions"
        )


def raw_copy(admin: str, tables: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]) -> float:
    """Time a plain COPY of the rows the hub ends up holding, straight into its tables."""
    empty_hub(admin)
    with psycopg.connect(admin) as conn:
        start = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            for table, (columns, rows) in tables.items():
                copy_rows(cur, f"auditui.{table}", columns, rows)
        elapsed = time.perf_counter() - start
    empty_hub(admin)
    return elapsed


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main(n: int, folder: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="auditui-bench-sync-") as tmp:
        root = Path(tmp)
        server = pgserver.get_server(root / "pg", cleanup_mode="stop")
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE hub")
        admin = server.get_uri("hub")
        init_hub(admin, small_group_threshold=5)
        config = Config(sync=SyncConfig(key_file=root / "hub-key"))
        ws = Workspace.open(root / "auditor.db", config=config)
        count = make_outbox(ws, n)
        actions = (
            ws.store.one(
                "SELECT count(*) FROM actions WHERE audit_id IN (SELECT audit_id FROM outbox)"
            )
            or [0]
        )[0]
        print(f"{count} ended audits ({actions} actions) in the outbox")

        tables = prepared_rows(ws)
        submitter = role_url(admin, "auditui_submitter")
        firsts, repeats, baselines = [], [], []
        for _ in range(ROUNDS):  # interleaved, medians: the machine's load varies
            baselines.append(raw_copy(admin, tables))
            ws.store.conn.execute("UPDATE outbox SET sent_at = NULL")
            first, report1 = timed(lambda: run_sync(ws, submitter))
            assert report1.results_sent == count, report1.summary()
            repeat, report2 = timed(lambda: run_sync(ws, submitter))
            assert report2.results_sent == 0
            firsts.append(first / baselines[-1])
            repeats.append(repeat / first)
        baseline = statistics.median(baselines)
        hub_report, by_month = timed(
            lambda: build_report(ws, role_url(admin, "auditui_reader"), "month")
        )
        assert by_month["audits"] == count
        local_report, _ = timed(lambda: build_report(ws, None, "month"))

        print(
            f"first sync / raw COPY of the same rows:   {statistics.median(firsts):6.2f}"
            f"  (goal <= 2; rounds {', '.join(f'{r:.2f}' for r in firsts)})"
        )
        print(
            f"repeat sync / first sync:                 {statistics.median(repeats):6.3f}"
            f"  (goal <= 0.2; rounds {', '.join(f'{r:.3f}' for r in repeats)})"
        )
        print(f"report --by month (PostgreSQL) / raw COPY: {hub_report / baseline:6.3f}")
        print(f"report --by month (local store) / raw COPY: {local_report / baseline:6.3f}")
        if folder:
            hub = root / "folder-hub"
            hub.mkdir()
            ws.store.conn.execute("UPDATE outbox SET sent_at = NULL")
            to_folder, _ = timed(lambda: run_sync(ws, str(hub)))
            again, _ = timed(lambda: run_sync(ws, str(hub)))
            index = root / "index.db"
            ingest, _ = timed(lambda: build_report(ws, str(hub), "month", index))
            incremental, _ = timed(lambda: build_report(ws, str(hub), "month", index))
            print(f"folder sync / raw COPY:                    {to_folder / baseline:6.2f}")
            print(f"repeat folder sync / first:                {again / to_folder:6.3f}")
            print(f"report over folder, first (ingest) / raw COPY:  {ingest / baseline:6.2f}")
            print(
                f"report over folder, next (incremental) / raw COPY: {incremental / baseline:6.3f}"
            )
        ws.close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 10_000, "--folder" in sys.argv)
