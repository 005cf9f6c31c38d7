"""What a command pays before it does anything: Python start-up and the imports it needs.

Scripts call `auditui audit answer` once per answer, so every command's
fixed cost counts. Times, interleaved R times (minimum and median reported,
each as a ratio to the baseline), real processes on an empty database in a
temporary folder:

- ``python -c pass``: the interpreter alone;
- ``python -c "import click"``: the baseline; goal: `auditui --version` within 2x;
- ``auditui --version``, ``auditui --help``;
- ``auditui actions`` and ``auditui audit list`` (open the database, print nothing);
- ``auditui export csv --table audits --out FILE``: the export command's fixed cost.

Then, with ``--imports``, the heaviest modules each command imports
(``python -X importtime``, cumulative microseconds, one run).

Usage: python bench/cli_startup.py [R] [--src DIR] [--imports]
       (--src: import auditui from DIR instead, e.g. an older checkout's src, to compare)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE_SRC = Path(__file__).resolve().parent.parent / "src"


def environment(root: Path, src: Path) -> dict[str, str]:
    """Every auditui path inside ``root``; auditui imported from ``src``."""
    (root / "tools").mkdir(exist_ok=True)
    config = root / "config.toml"
    config.write_text("", encoding="utf-8")
    env = dict(os.environ)
    env.update(
        AUDITUI_CONFIG=str(config),
        AUDITUI_TOOLS=str(root / "tools"),
        AUDITUI_DB=str(root / "auditui.db"),
        HOME=str(root),
        XDG_CONFIG_HOME=str(root / "xdg-config"),
        XDG_DATA_HOME=str(root / "xdg-data"),
        XDG_CACHE_HOME=str(root / "xdg-cache"),
        PYTHONPATH=str(src),
        NO_COLOR="1",
    )
    env.pop("PYTHONSTARTUP", None)
    return env


def commands(root: Path) -> dict[str, list[str]]:
    py = [sys.executable]
    au = [*py, "-m", "auditui"]
    return {
        "python -c pass": [*py, "-c", "pass"],
        "import click (baseline)": [*py, "-c", "import click"],
        "auditui --version": [*au, "--version"],
        "auditui --help": [*au, "--help"],
        "auditui actions": [*au, "actions"],
        "auditui audit list": [*au, "audit", "list"],
        "auditui export csv (audits)": [
            *au,
            "export",
            "csv",
            "--table",
            "audits",
            "--out",
            str(root / "out.csv"),
        ],
    }


def run_once(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()}")
    return took


def heaviest_imports(argv: list[str], env: dict[str, str], top: int = 8) -> list[tuple[int, str]]:
    """(cumulative µs, module) of the top-level imports a command makes, heaviest first."""
    done = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    found: list[tuple[int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if not cumulative.strip().isdigit() or name.startswith("   "):
            continue  # the header, or a nested import (counted in its parent)
        found.append((int(cumulative), name.strip()))
    return sorted(found, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repeat", nargs="?", type=int, default=20, help="runs of each (20)")
    parser.add_argument("--src", type=Path, default=HERE_SRC, help="where to import auditui from")
    parser.add_argument("--imports", action="store_true", help="list each command's imports")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="auditui-startup-") as tmp:
        root = Path(tmp)
        env = environment(root, args.src.resolve())
        runs = commands(root)
        run_once(runs["auditui audit list"], env)  # creates the database; warms the caches
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, argv in runs.items():  # interleaved, so drift hits every command alike
                times[name].append(run_once(argv, env))

        base_min = min(times["import click (baseline)"])
        base_median = statistics.median(times["import click (baseline)"])
        print(f"auditui from {args.src}; {args.repeat} runs each; ratios to `import click`")
        print(f"{'command':<30} {'min ms':>8} {'median ms':>10} {'x min':>7} {'x median':>9}")
        for name, found in times.items():
            low, mid = min(found), statistics.median(found)
            print(
                f"{name:<30} {low * 1000:8.1f} {mid * 1000:10.1f} "
                f"{low / base_min:7.2f} {mid / base_median:9.2f}"
            )
        if args.imports:
            for name, argv in runs.items():
                if name.startswith("auditui"):
                    heavy = ", ".join(
                        f"{m} {us / 1000:.1f}" for us, m in heaviest_imports(argv, env)
                    )
                    print(f"\n{name} imports (ms, cumulative): {heavy}")


if __name__ == "__main__":
    main()
