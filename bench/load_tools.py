"""How long loading the audit tools takes, against merely parsing their YAML.

    python bench/load_tools.py [REPEATS]        (default 50)

Every start of auditui loads every tool file, so the loader must not be
noticed at start-up. This times the real loader (``ToolLibrary.load`` over
the shipped tools: read, YAML 1.2 round-trip parse with line marks, models,
whole-tool checks) against ruamel.yaml merely parsing the same files
(``YAML(typ="safe", pure=True)``), interleaved in one process so both see
the same machine, and prints the medians and the ratio loader / parse. It
also times one load in a fresh interpreter, imports included: what a user
waits for.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ruamel.yaml import YAML

from auditui.tools.library import ToolLibrary, shipped_tools_dir, tool_files

FRESH = """
import time
t0 = time.perf_counter()
from auditui.tools.library import ToolLibrary
t1 = time.perf_counter()
library = ToolLibrary.load([], include_shipped=True)
t2 = time.perf_counter()
assert not library.problems, library.problems
print((t1 - t0) * 1000, (t2 - t1) * 1000)
"""


def load_with_loader() -> int:
    library = ToolLibrary.load([], include_shipped=True)
    if library.problems:
        raise SystemExit("\n".join(library.problems))
    return len(library.tools)


def parse_only(files: list[Path]) -> Callable[[], int]:
    def run() -> int:
        for path in files:
            YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        return len(files)

    return run


def parse_round_trip(files: list[Path]) -> Callable[[], int]:
    """The parse the loader itself does (YAML 1.2, keeping line marks), for the breakdown."""

    def run() -> int:
        for path in files:
            yaml = YAML(typ="rt")
            yaml.version = (1, 2)
            yaml.load(path.read_text(encoding="utf-8"))
        return len(files)

    return run


def timed(fn: Callable[[], int]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def fresh_interpreter() -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, "-c", FRESH], capture_output=True, text=True, check=True, timeout=300
    )
    imports_ms, load_ms = map(float, done.stdout.split())
    return imports_ms, load_ms


def main(repeats: int) -> None:
    files = tool_files(shipped_tools_dir())
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files)
    contenders: dict[str, Callable[[], int]] = {
        "loader": load_with_loader,
        "safe": parse_only(files),
        "rt": parse_round_trip(files),
    }
    first_load_ms = timed(load_with_loader)  # the first load in this process: caches cold
    for fn in contenders.values():
        fn()  # warm up once each
    times: dict[str, list[float]] = {name: [] for name in contenders}
    order = list(contenders)
    for i in range(repeats):
        for name in order if i % 2 == 0 else reversed(order):
            times[name].append(timed(contenders[name]))
    fresh = [fresh_interpreter() for _ in range(5)]

    med = {name: statistics.median(t) for name, t in times.items()}
    low = {name: min(t) for name, t in times.items()}
    print(
        f"Loading the shipped audit tools: {len(files)} files, {lines} lines, "
        f"{repeats} interleaved repeats (medians)"
    )
    for name, label in (
        ("loader", "real loader (ToolLibrary.load)"),
        ("safe", "ruamel safe parse only"),
        ("rt", "ruamel round-trip parse (loader's)"),
    ):
        print(f"  {label:<36} {med[name]:8.2f} ms   (min {low[name]:.2f})")
    print(f"  RATIO loader / safe parse            {med['loader'] / med['safe']:8.2f}")
    print(f"  ratio loader / round-trip parse      {med['loader'] / med['rt']:8.2f}")
    print()
    print("One full load, absolute:")
    print(f"  first load in this process           {first_load_ms:8.2f} ms")
    print(f"  warm load (median)                   {med['loader']:8.2f} ms")
    imports = statistics.median(f[0] for f in fresh)
    loads = statistics.median(f[1] for f in fresh)
    print(
        f"  fresh interpreter (median of 5)      {imports + loads:8.2f} ms"
        f"   = imports {imports:.2f} + load {loads:.2f}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
