"""How fast `auditui export csv --table answers` is, against the sqlite3 shell dumping the same rows.

Builds N audits with `auditui demo --audits N` (about ten answers each) in a
temporary database, then times, interleaved R times on the same warm file
(minimum of each reported):

- the sqlite3 command-line shell: ``sqlite3 -csv DB "SELECT * FROM answers"``,
  no joins, no escaping, no BOM: the baseline every ratio is against;
- auditui's export in-process (``export_csv``, what the TUI's worker runs):
  joins question text, tool and section, writes ids, BOM, CRLF, RFC 4180
  quoting and formula-injection escaping; on a large table it reads a share
  itself beside helper processes (a reader per core, up to 4), and again
  reading alone;
- the same through the real command line (``auditui export csv``), so
  Python's start-up and imports are included: as a script runs it again and
  again (the tools' cells come from the user's cache, no tool is loaded), and
  as a first run, with an empty cache each time (the tool files are parsed and
  loaded, and the cells built);
- a plain Python ``csv.writer`` loop over ``SELECT * FROM answers`` (no joins,
  no escaping) and the same loop with formula escaping, for reference.

Before every timed run the earlier outputs are deleted and written-back
(``settle``), so each run pays for its own writes only (the export's fsync of
its own file included).

Each line shows the best wall time and, beside it, the least CPU time of all
the processes of that run (the command, its helpers): the wall time is what
the goal is about, and on a loaded machine it follows the load; the CPU time
much less, so it is what to compare between two versions.

Then peak memory: the maximum resident set of the `auditui export csv`
process, next to that of an `auditui` process that only imports the same
modules, so the difference is what the export itself holds.

Goal (issue 12): the whole command <= 1.5x the shell, escaping included.

Usage: python bench/export_csv.py [N] [--repeat R] [--db PATH]
       (--db reuses a database made by an earlier run, keeping it)
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from auditui.config import Config
from auditui.export import export_csv
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def environment(root: Path) -> dict[str, str]:
    """Every auditui path inside ``root``: no developer's own data is touched."""
    (root / "tools").mkdir(exist_ok=True)
    config = root / "config.toml"
    config.write_text("", encoding="utf-8")
    env = dict(os.environ)
    env.update(
        AUDITUI_CONFIG=str(config),
        AUDITUI_TOOLS=str(root / "tools"),
        HOME=str(root),
        XDG_CONFIG_HOME=str(root / "xdg-config"),
        XDG_DATA_HOME=str(root / "xdg-data"),
        NO_COLOR="1",
    )
    return env


def auditui(*args: str, env: dict[str, str], stdout: int | None = None) -> tuple[float, int]:
    """Run the real command; (seconds, peak resident set in KiB of that process)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditui", *args],
        env=env,
        stdout=stdout if stdout is not None else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"auditui {' '.join(args)} failed: {proc.stderr.read().decode()}")  # type: ignore[union-attr]
    return seconds, usage.ru_maxrss


def cold_cache(env: dict[str, str], root: Path) -> dict[str, str]:
    """``env`` with a new, empty cache folder: the command parses and loads the tools as on
    its first run."""
    folder = Path(tempfile.mkdtemp(prefix="cold-cache-", dir=root))
    return {**env, "XDG_CACHE_HOME": str(folder)}


def time_shell(db: Path, out: Path) -> float:
    started = time.perf_counter()
    with out.open("wb") as stream:
        subprocess.run(
            ["sqlite3", "-csv", str(db), "SELECT * FROM answers"], stdout=stream, check=True
        )
    return time.perf_counter() - started


def time_export(ws: Workspace, out: Path, readers: int | None = None) -> float:
    started = time.perf_counter()
    export_csv(ws, "answers", out, readers=readers)
    return time.perf_counter() - started


def time_csv_writer(db: Path, out: Path, escape: bool) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        if escape:
            for row in conn.execute("SELECT * FROM answers"):
                writer.writerow(
                    ["'" + v if isinstance(v, str) and v[:1] in FORMULA else v for v in row]
                )
        else:
            writer.writerows(conn.execute("SELECT * FROM answers"))
    conn.close()
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU time used so far by this process and every process it has waited for (the
    commands and their helper processes): on a loaded machine the wall time varies with
    the load, this much less."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def settle(*outputs: Path) -> None:
    """Before a timed run: no earlier output to delete, no earlier write still to flush.

    Otherwise a run pays for its predecessor's 100-200 MiB: the export's
    fsync (it is written whole or not at all) would wait for the shell's
    output to reach the disk too, and replacing a file frees its blocks.
    """
    for path in outputs:
        path.unlink(missing_ok=True)
    os.sync()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=10_000, help="audits (default 10000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", type=Path, help="reuse (or create and keep) this database")
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        raise SystemExit("The sqlite3 command-line shell is needed (apt-get install sqlite3).")
    with tempfile.TemporaryDirectory(prefix="auditui-bench-") as tmp:
        root = Path(tmp)
        env = environment(root)
        db = args.db or root / "auditui.db"
        if not db.exists():
            seconds, _ = auditui("--db", str(db), "demo", "--audits", str(args.n), env=env)
            print(f"built {args.n:,} demo audits in {seconds:.1f}s")
        conn = sqlite3.connect(db)
        answers = conn.execute("SELECT count(*) FROM answers").fetchone()[0]
        audits = conn.execute("SELECT count(*) FROM audits").fetchone()[0]
        conn.close()
        print(
            f"database: {audits:,} audits, {answers:,} answers ({db.stat().st_size / 2**20:.0f} MiB)"
        )
        os.environ["XDG_DATA_HOME"] = env["XDG_DATA_HOME"]  # the store's records, in-process too
        ws = Workspace.open(db, ToolLibrary.load(), Config())
        out = root / "out.csv"
        cli_out = root / "cli.csv"
        command = ("--db", str(db), "export", "csv", "--table", "answers", "--out", str(cli_out))
        runs: dict[str, Callable[[], float]] = {
            "sqlite3 shell -csv (baseline)": lambda: time_shell(db, out),
            "auditui export (in-process)": lambda: time_export(ws, out),
            "  the same, one process (no helpers)": lambda: time_export(ws, out, readers=1),
            "auditui export csv (command)": lambda: auditui(*command, env=env)[0],
            "  the same, first run (caches empty)": lambda: auditui(
                *command, env=cold_cache(env, root)
            )[0],
            "python csv.writer, no escaping": lambda: time_csv_writer(db, out, False),
            "python csv.writer + formula escaping": lambda: time_csv_writer(db, out, True),
        }
        time_shell(db, out)  # warm the page cache for everyone
        best = dict.fromkeys(runs, float("inf"))
        cpu = dict.fromkeys(runs, float("inf"))
        for _ in range(args.repeat):
            for name, run in runs.items():
                settle(cli_out if "command" in name or "first run" in name else out)
                before = cpu_seconds()
                best[name] = min(best[name], run())
                cpu[name] = min(cpu[name], cpu_seconds() - before)
        base = best["sqlite3 shell -csv (baseline)"]
        shell_bytes = (time_shell(db, out), out.stat().st_size)[1]
        print(
            f"\nanswers table, {answers:,} rows, best of {args.repeat} (wall; CPU of every process):"
        )
        for name, seconds in best.items():
            print(f"  {name:38s} {seconds / base:5.2f}x   ({seconds:.2f}s; cpu {cpu[name]:.2f}s)")
        print(
            f"  output: shell {shell_bytes / 2**20:.0f} MiB, auditui "
            f"{cli_out.stat().st_size / 2**20:.0f} MiB (adds tool, section, question text)"
        )
        ratio = best["auditui export csv (command)"] / base
        cpu_ratio = cpu["auditui export csv (command)"] / cpu["sqlite3 shell -csv (baseline)"]
        print(
            f"\ngoal (issue 12) <= 1.5x the shell for the whole command: {ratio:.2f}x "
            f"({'met' if ratio <= 1.5 else 'NOT met'}); in-process "
            f"{best['auditui export (in-process)'] / base:.2f}x; load average during the runs "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work slows the helpers); "
            f"CPU of the command over the shell's {cpu_ratio:.2f}x"
        )
        ws.close()

        _, idle = auditui("--db", str(db), "export", "csv", "--help", env=env)
        _, peak = auditui(
            "--db", str(db), "export", "csv", "--table", "answers", "--out", str(cli_out), env=env
        )
        print(
            f"\npeak memory (max RSS, largest of the command and its helper processes) of"
            f" `auditui export csv --table answers`: {peak / 1024:.0f} MiB; of the same"
            f" command's --help (same imports, no export): {idle / 1024:.0f} MiB"
        )


if __name__ == "__main__":
    main()
