"""Helpers for the sync tests: hubs in a real PostgreSQL, workspaces, real finished audits.

Imported by ``conftest.py`` and the test modules (``from sync_support import ...``).
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from auditui.config import Config, SyncConfig, UserConfig
from auditui.services import audits, programme
from auditui.services.cases import import_cases
from auditui.services.demo import generate_demo
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.postgres import init_hub
from auditui.sync.pseudonym import load_or_create_key
from auditui.sync.signing import load_or_create_machine_key
from auditui.sync.trust import init_hub_as_lead

TODAY = dt.date(2026, 3, 2)
"""A Monday: the fixed 'today' of the workspaces made here."""


def role_url(url: str, role: str) -> str:
    """The same database, logged in as ``role`` (pgserver trusts local logins)."""
    parts = urlsplit(url)
    host = parts.netloc.split("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}@{host}"))


@dataclass(frozen=True)
class PgHub:
    admin: str
    submitter: str
    reader: str
    manager: str

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.admin, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()


def new_hub(pg_server: Any, threshold: int = 1) -> PgHub:
    name = f"hub_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_server.get_uri(name)
    init_hub(url, threshold)
    return PgHub(
        admin=url,
        submitter=role_url(url, "auditui_submitter"),
        reader=role_url(url, "auditui_reader"),
        manager=role_url(url, "auditui_manager"),
    )


def make_config(
    root: Path,
    threshold: int = 1,
    share: bool = False,
    user: str = "Priya Shah",
    target: str | None = None,
) -> Config:
    return Config(
        user=UserConfig(name=user),
        sync=SyncConfig(
            target=target,
            key_file=root / "hub-key",
            signing_key_file=root / "signing-key",
            small_group_threshold=threshold,
            share_evidence_text=share,
        ),
    )


def open_workspace(path: Path, config: Config, today: dt.date = TODAY) -> Workspace:
    ws = Workspace.open(path, config=config)
    ws.today = lambda: today
    return ws


def _value_for(ws: Workspace, tool: Any, question: Any, answer: str) -> Any:
    if question.type in ("yes_no", "yes_partly_no"):
        return answer if answer in (question.choice_values(tool.scale_def) or ()) else "yes"
    if question.type == "grade":
        return tool.scale_def.grades[1]
    if question.type == "choice":
        return question.option_ids[0]
    if question.type == "multi":
        return [question.option_ids[0]]
    if question.type == "number":
        return question.min if isinstance(question.min, int) else 1
    if question.type == "date":
        return ws.today().isoformat()
    return "Free text typed by the auditor."


def answer_shown(ws: Workspace, audit_id: str, evidence: str, answer: str = "yes") -> None:
    """Every shown question a person answers (computed ones answer themselves) answered
    ``answer`` (or the nearest sensible value) with ``evidence``."""
    state = audits.load(ws, audit_id)
    tool = ws.library.get(state.audit.tool_id, state.audit.tool_version)
    for _ in range(len(tool.questions) + 1):
        state = audits.load(ws, audit_id)
        todo = [
            q
            for q in state.grading.visible
            if q not in state.answers and q not in state.grading.computed  # computed: from dates
        ]
        if not todo:
            break
        question = tool.question(todo[0])
        assert question is not None
        audits.answer(ws, audit_id, question.id, _value_for(ws, tool, question, answer), evidence)


def answer_and_grade(ws: Workspace, audit_id: str, evidence: str, answer: str = "yes") -> None:
    """``answer_shown``, then every grade still missing set to the suggested one: the audit
    is ready to finalise."""
    answer_shown(ws, audit_id, evidence, answer)
    state = audits.load(ws, audit_id)
    tool = ws.library.get(state.audit.tool_id, state.audit.tool_version)
    for scope in state.grading.missing_grades:
        state = audits.load(ws, audit_id)
        grade = state.grading.overall if scope == "overall" else state.grading.sections[scope]
        audits.set_grade(
            ws, audit_id, scope, grade.suggested or tool.scale_def.grades[1], "Written analysis."
        )


def finish(ws: Workspace, audit_id: str, evidence: str = "Read.") -> None:
    """Answer every shown question of a started audit (a re-audit, a planned audit) yes,
    accept the suggested grades and finalise it today."""
    answer_and_grade(ws, audit_id, evidence)
    audits.finalise(ws, audit_id, on=ws.today())


def finished_audit(
    ws: Workspace,
    case_ref: str,
    evidence: str,
    tool_id: str = "smart-plans",
    answer: str = "yes",
    team: str = "North Locality",
    practitioner: str = "Sam Taylor",
    present: bool = True,
    ended_on: dt.date | None = None,
    finalise: bool = True,
) -> str:
    """A real audit: every shown question answered ``answer`` (or the nearest sensible value),
    ``evidence`` on every answer, every grade accepted, then finalised (or closed)."""
    tool = ws.library.latest(tool_id)
    case_type = (tool.applies_to or ["CIN"])[0]
    audit_id = audits.start_audit(
        ws,
        tool_id,
        case_ref,
        case_type,
        team,
        practitioner,
        present,
        started_on=(ended_on or ws.today()) - dt.timedelta(days=3),
    )
    answer_and_grade(ws, audit_id, evidence, answer)
    if finalise:
        audits.finalise(ws, audit_id, on=ended_on or ws.today())
    else:
        audits.close_incomplete(ws, audit_id, f"Closed: {evidence}", on=ended_on or ws.today())
    return audit_id


def subprocess_env() -> dict[str, str]:
    """This (isolated) environment, importing this checkout's auditui."""
    import os

    import auditui

    env = dict(os.environ)
    src = str(Path(auditui.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    return env


def write_config(path: Path, key_file: Path, threshold: int = 1) -> Path:
    path.write_text(
        f'[sync]\nkey_file = "{key_file}"\nsmall_group_threshold = {threshold}\n', encoding="utf-8"
    )
    return path


def person(
    tmp_path: Path, who: str, target: str | None = None, today: dt.date = TODAY
) -> Workspace:
    """Someone else at their own machine: their own database, data folder and signing key."""
    root = tmp_path / "people" / who.replace(" ", "-").lower()
    root.mkdir(parents=True, exist_ok=True)
    return open_workspace(root / "auditui.db", make_config(root, user=who, target=target), today)


def trust_for_completions(
    hub: str, manager: Workspace | None, teams: list[str], lead_root: Path | None = None
) -> None:
    """The QA lead lets ``manager`` complete actions for ``teams``: on a folder hub, by
    trusting the manager's key (the lead's own key under ``lead_root``); on a PostgreSQL
    hub (``hub`` is the manager's URL), by trusting the manager's login as the admin."""
    from auditui.sync.hub import is_postgres
    from auditui.sync.signing import load_or_create_machine_key
    from auditui.sync.trust import write_trust

    if is_postgres(hub):
        from auditui.sync.pg_users import trust_user

        trust_user(role_url(hub, "postgres"), urlsplit(hub).username or "", teams)
        return
    assert manager is not None, "a folder hub trusts a person's key"
    lead_dir = lead_root or Path(hub).parent / "qa-lead"
    lead_dir.mkdir(parents=True, exist_ok=True)
    lead = load_or_create_machine_key(lead_dir / "signing-key")
    mine = load_or_create_machine_key(manager.config.sync.resolved_signing_key_file())
    write_trust(Path(hub), lead, mine.public_hex, teams, dt.datetime.now(dt.UTC))


def shared_folder(tmp_path: Path) -> Path:
    """A folder hub: an empty shared folder, as a network drive would be."""
    folder = tmp_path / "share" / "hub"
    folder.mkdir(parents=True)
    return folder


def lead_makes_hub(hub: Path, lead: Workspace, name: str = "Quinn Lead") -> None:
    """``lead`` made the folder hub as its QA lead: hub.json names her machine's key."""
    init_hub_as_lead(
        hub, load_or_create_machine_key(lead.config.sync.resolved_signing_key_file()), name
    )


def share_organisation_key(lead: Workspace, others: list[Workspace]) -> None:
    """The lead's organisation key file (for pseudonymised case refs) installed, owner-only,
    on each other machine."""
    organisation = load_or_create_key(lead.config.sync.resolved_key_file())
    for ws in others:
        shutil.copyfile(organisation.path, ws.config.sync.resolved_key_file())
        ws.config.sync.resolved_key_file().chmod(0o600)


LEAD_AND_AUDITORS = ("Quinn Lead", "Ann Khan", "Bob Reid")


def lead_and_auditors(tmp_path: Path, hub: Path, target: bool = False) -> dict[str, Workspace]:
    """Three people at their own machines sharing a folder hub: Quinn made it as QA lead and
    her organisation key file is on Ann's and Bob's machines. With ``target`` each person's
    config names the hub as where they sync."""
    found = {
        name: person(tmp_path, name, target=str(hub) if target else None)
        for name in LEAD_AND_AUDITORS
    }
    quinn = found["Quinn Lead"]
    lead_makes_hub(hub, quinn)
    share_organisation_key(quinn, [ws for ws in found.values() if ws is not quinn])
    return found


def demo_hub_and_empty_reader(tmp_path: Path, today: dt.date) -> tuple[Path, tuple[Any, ...]]:
    """A folder hub holding 60 real (not demo) audits synced from another machine, and the
    ``--db``/``--config`` options of a reader whose own store holds none: a report that
    reads the local store by mistake shows nothing of the hub's."""
    sender = open_workspace(tmp_path / "sender.db", make_config(tmp_path / "s"), today=today)
    generate_demo(sender, 60, seed=9)
    sender.store.conn.execute("UPDATE audits SET demo = 0")  # a real hub takes real audits
    hub = tmp_path / "hub"
    hub.mkdir()
    run_sync(sender, str(hub))
    sender.close()
    empty = tmp_path / "reader" / "empty.db"
    empty.parent.mkdir()
    open_workspace(empty, make_config(tmp_path / "reader")).close()
    config = write_config(tmp_path / "config.toml", tmp_path / "hub-key")
    return hub, ("--db", empty, "--config", config)


def planned(quinn: Workspace, tmp_path: Path) -> programme.Plan:
    """Quinn imports eight North Locality cases and plans four audits this month for Ann and
    Bob (seeded, so the same items every run)."""
    lines = ["case_ref,case_type,team,practitioner"]
    lines += [f"CF{n:04d},CP,North Locality,Worker {n}" for n in range(1, 9)]
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_cases(quinn, path)
    return programme.plan(
        quinn, f"{TODAY:%Y-%m}", "smart-plans", 4, ["Ann Khan", "Bob Reid"], seed="5"
    )


def pg_login(hub: PgHub, role: str) -> str:
    """A new personal login with ``role`` on the PostgreSQL hub; its URL."""
    from auditui.sync.pg_users import add_user

    name = f"{role[:3]}_{uuid.uuid4().hex[:10]}"
    add_user(hub.admin, name, role)
    return role_url(hub.admin, name)


def login_name(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[0]


def pg_lead_and_auditors(
    pg_hub: PgHub, tmp_path: Path
) -> tuple[dict[str, str], dict[str, Workspace]]:
    """Quinn, Ann and Bob each with a personal submitter login on the PostgreSQL hub, Quinn's
    trusted for every team (the QA lead) and her organisation key file on Ann's and Bob's
    machines: each person's hub URL and workspace."""
    from auditui.sync.pg_users import trust_user

    urls = {who: pg_login(pg_hub, "submitter") for who in LEAD_AND_AUDITORS}
    trust_user(pg_hub.admin, login_name(urls["Quinn Lead"]), ["*"])
    people = {who: person(tmp_path, who, target=url) for who, url in urls.items()}
    quinn = people["Quinn Lead"]
    share_organisation_key(quinn, [ws for ws in people.values() if ws is not quinn])
    return urls, people
