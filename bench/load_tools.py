"""How long loading the audit tools takes, against merely parsing their YAML.

    python bench/load_tools.py [REPEATS] [FORMAT2_TOOLS]     (defaults 50 and 8)

Every start of auditui loads every tool file, so the loader must not be
noticed at start-up. This times the real loader (``ToolLibrary.load``: read,
YAML 1.2 parse with line marks, models, whole-tool checks) over the shipped
tools plus FORMAT2_TOOLS format 2 tools (copies of the spec's worked
example: sections that may not apply, detail conditions, computed working
days, measures, `grading: none`, form numbers), against ruamel.yaml merely
parsing the same files (``YAML(typ="safe", pure=True)``), interleaved in one
process so all see the same machine, and prints the medians and the ratios.
The loader is timed twice: as a start-up runs it (valid files served from
the parse cache, still validated and checked) and with no cache (every file
parsed). It also times one load in a fresh interpreter, imports included:
what a user waits for. FORMAT2_TOOLS=0 gives the format 1 figures alone.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ruamel.yaml import YAML

from auditui.tools.library import ToolLibrary, shipped_tools_dir, tool_files

FRESH = """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
from auditui.tools.library import ToolLibrary
t1 = time.perf_counter()
library = ToolLibrary.load([Path(p) for p in sys.argv[1:]], include_shipped=True)
t2 = time.perf_counter()
assert not library.problems, library.problems
print((t1 - t0) * 1000, (t2 - t1) * 1000)
"""

FORMAT2_TOOL = """\
format: 2
id: bench-visits-{n}
version: 1
title: Child's voice and visits dip sample {n}
applies_to: [CIN, CP, CLA]
grading:
  overall: {{rule: lowest_section, rationale: always}}
sections:
  - id: profile
    number: "1"
    title: Case profile
    grading: none
    questions:
      - {{id: allocated_on, number: "1.1", text: Date the case was allocated, type: date, max: today}}
      - id: first_visit_on
        number: "1.2"
        text: Date of the first visit after allocation
        type: date
        min: {{question: allocated_on}}
        max: today
  - id: seen
    number: "2"
    title: Seeing the child
    grading: score
    questions:
      - id: working_days_to_visit
        number: "2.1"
        text: Working days from allocation to the first visit
        type: number
        compute: {{working_days: {{from: allocated_on, to: first_visit_on}}}}
      - id: visit_in_timescale
        number: "2.2"
        text: Was the child visited within 5 working days of allocation?
        type: yes_no
        compute: {{working_days: {{from: allocated_on, to: first_visit_on}}, at_most: 5}}
        points: {{yes: 1, no: 0}}
        limiting: {{answers: [no], cap: requires_improvement}}
        measure: {{label: First visit within 5 working days, target: 95}}
      - id: seen_alone
        number: "2.3"
        text: Was the child seen alone?
        type: yes_no
        allow_na: true
        evidence: when_not_yes
        points: {{yes: 1, no: 0}}
        measure: {{label: Child seen alone, target: 70}}
  - id: voice
    number: "3"
    title: Wishes and feelings
    grading: {{rule: lowest, rationale: always}}
    questions:
      - id: direct_work_tools
        number: "3.1"
        text: Which direct-work tools were used?
        type: multi
        options:
          - {{id: momo, label: Mind of My Own}}
          - {{id: three_houses, label: Three Houses}}
      - id: momo_shared
        number: "3.2"
        text: Were the Mind of My Own statements shared with the child's IRO?
        type: yes_no
        show_if: {{question: direct_work_tools, equals: momo}}
      - {{id: voice_quality, number: "3.3", text: How well does the plan reflect the voice?, type: grade}}
      - id: practitioner_reflection
        number: "3.4"
        text: The practitioner's reflection on the child's voice
        type: text
        required: false
        show_if: {{detail: practitioner_present, equals: true}}
  - id: cla_review
    number: "4"
    title: The child's last looked after review
    show_if: {{detail: case_type, equals: CLA}}
    allow_na: true
    grading: lowest
    questions:
      - {{id: review_participation, number: "4.1", text: How well did the child take part?, type: grade}}
"""


def write_format2_tools(folder: Path, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = folder / f"bench-visits-{n}.yaml"
        path.write_text(FORMAT2_TOOL.format(n=n), encoding="utf-8")
        paths.append(path)
    return paths


def loader(dirs: list[Path], cache: bool) -> Callable[[], int]:
    def run() -> int:
        library = ToolLibrary.load(dirs, include_shipped=True, cache=cache)
        if library.problems:
            raise SystemExit("\n".join(library.problems))
        return len(library.tools)

    return run


def parse_only(files: list[Path]) -> Callable[[], int]:
    def run() -> int:
        for path in files:
            YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        return len(files)

    return run


def timed(fn: Callable[[], int]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def fresh_interpreter(dirs: list[Path]) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, "-c", FRESH, *map(str, dirs)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    imports_ms, load_ms = map(float, done.stdout.split())
    return imports_ms, load_ms


def main(repeats: int, format2_tools: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        extra = write_format2_tools(Path(folder), format2_tools)
        dirs = [Path(folder)] if extra else []
        shipped = tool_files(shipped_tools_dir())
        files = shipped + extra
        lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files)
        contenders: dict[str, Callable[[], int]] = {
            "loader": loader(dirs, cache=True),
            "uncached": loader(dirs, cache=False),
            "safe": parse_only(files),
        }
        first_load_ms = timed(contenders["loader"])  # the first load here: caches cold
        for fn in contenders.values():
            fn()  # warm up once each
        times: dict[str, list[float]] = {name: [] for name in contenders}
        order = list(contenders)
        for i in range(repeats):
            for name in order if i % 2 == 0 else reversed(order):
                times[name].append(timed(contenders[name]))
        fresh = [fresh_interpreter(dirs) for _ in range(5)]

    med = {name: statistics.median(t) for name, t in times.items()}
    low = {name: min(t) for name, t in times.items()}
    print(
        f"Loading audit tools: {len(shipped)} shipped + {len(extra)} format 2 files, "
        f"{lines} lines, {repeats} interleaved repeats (medians)"
    )
    for name, label in (
        ("loader", "real loader (ToolLibrary.load)"),
        ("uncached", "real loader, no parse cache"),
        ("safe", "ruamel safe parse only"),
    ):
        print(f"  {label:<36} {med[name]:8.2f} ms   (min {low[name]:.2f})")
    print(f"  RATIO loader / safe parse            {med['loader'] / med['safe']:8.2f}")
    print(f"  ratio uncached loader / safe parse   {med['uncached'] / med['safe']:8.2f}")
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
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 50,
        int(sys.argv[2]) if len(sys.argv) > 2 else 8,
    )
