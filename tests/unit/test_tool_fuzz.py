"""Fuzzing tool files: any bytes give a tool or line-precise problems, never a crash or hang.

Cases are the shipped tools and the spec's example, mutated by hypothesis
with what hostile or careless hands put in YAML (anchors and aliases, deep
brackets, huge numbers, impossible dates, tags, tabs, control and non-UTF-8
bytes, cut lines, repeated keys). The in-process property checks that every
outcome is an ``AuditTool`` or a ``ToolFileError`` whose every line has the
spec's ``path:line: tool/section/question: problem`` form, each case under an
alarm; the subprocess property runs the real `auditui tools validate` over a
folder of mutated files with a timeout and an address-space limit, so a hang
or a memory blow-up fails the test instead of the machine. Bounded to run in
well under a minute.
"""

from __future__ import annotations

import datetime as dt
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditui.errors import ToolFileError
from auditui.tools.library import shipped_tools_dir, tool_files
from auditui.tools.loader import load_tool_file
from auditui.tools.models import AuditTool

SEEDS = [p.read_bytes() for p in tool_files(shipped_tools_dir())]
SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "audit-tool-format.md"
if SPEC.exists():
    _example = SPEC.read_text(encoding="utf-8").split("## A complete small example", 1)[-1]
    _block = re.search(r"```yaml\n(.*?)```", _example, re.S)
    if _block:
        SEEDS.append(_block.group(1).encode("utf-8"))

HOSTILE = [
    b"&a ",
    b"*a",
    b"&a [*a, *a]",
    b"[" * 300,
    b"]" * 300,
    b"{a: " * 100,
    b"!!python/object:os.system ",
    b"!!str ",
    b"!foo ",
    b"2026-02-30",
    b"9" * 5000,
    b"9223372036854775808",
    b"-9223372036854775809",
    b"0x" + b"f" * 40,
    b".nan",
    b"-.inf",
    b"1e400",
    b"\t",
    b"\x00",
    b"\x1b[31m",
    b"\xe9",
    b"\xff\xfe",
    b"\n---\n",
    b"\n...\n",
    b"%YAML 1.1\n---\n",
    b"? ",
    b"<<: ",
    b"'",
    b'"',
    b"\\",
    b"|",
    b">-",
    b"yes",
    b"~",
    b"format: 2\n",
    b"format: 1\n",
    b"version: 0\n",
    b"compute: {working_days: {from: a, to: b}}",
    b"show_if: {detail: case_type, in: [CP]}",
    b"min: {question: q}",
    b"\xf0\x9f\x98\x80",
]

PROBLEM = re.compile(r"^.+?:\d+: [^\n]+?: .+$", re.S)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "bytes"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE))
        elif action == "delete":
            data[at : at + draw(st.integers(1, 200))] = b""
        elif action == "replace":
            data[at : at + draw(st.integers(1, 20))] = draw(st.sampled_from(HOSTILE))
        elif action == "duplicate":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data[end:end] = data[start:end]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    """Fail a case that takes longer than ``seconds`` instead of hanging the suite."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"a tool file took more than {seconds} s to load")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_tool_or_problems(path: Path) -> None:
    try:
        tool = load_tool_file(path)
    except ToolFileError as exc:
        assert exc.problems, "a refusal names at least one problem"
        for problem in exc.problems:
            assert problem.startswith(f"{path}:"), problem
            assert PROBLEM.match(problem), problem
    else:
        assert isinstance(tool, AuditTool)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=mutated())
def test_any_mutated_tool_file_loads_or_is_refused_line_by_line(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "fuzzed.yaml"
    path.write_bytes(content)
    with alarm(10):
        assert_tool_or_problems(path)


@settings(max_examples=150)
@given(
    st.text(
        alphabet=st.sampled_from(list("[]{}&*!:,-? \n\t'\"#|>%@`0123456789abyn.~")),
        max_size=400,
    )
)
def test_any_short_yaml_like_text_loads_or_is_refused(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "short.yaml"
        path.write_text(text, encoding="utf-8")
        with alarm(10):
            assert_tool_or_problems(path)


MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: an alias bomb needed three


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource limits")
@settings(max_examples=6, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(mutated(), min_size=4, max_size=8))
def test_the_real_command_survives_a_folder_of_fuzzed_tools(
    tmp_path_factory: pytest.TempPathFactory, child_env: dict[str, str], files: list[bytes]
) -> None:
    folder = tmp_path_factory.mktemp("fuzzed-tools")
    for i, content in enumerate(files):
        (folder / f"fuzzed-{i}.yaml").write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "auditui", "tools", "validate", str(folder)],
        capture_output=True,
        text=True,
        errors="replace",
        env=child_env,
        timeout=60,
        preexec_fn=_limit_memory,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    for line in done.stderr.splitlines():
        assert PROBLEM.match(line) or line.startswith("auditui: "), line


# --- ANSWERS.json for `tools grade` ---------------------------------------------------------

_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(
        ["yes", "no", "na", "good", "2026-04-01", "2026-02-30", "momo", "CLA", "themed"]
    )
)
_json = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "answers",
                    "evidence",
                    "grades",
                    "rationales",
                    "sections_na",
                    "details",
                    "case_type",
                    "kind",
                    "practitioner_present",
                    "calendar",
                    "seen_alone",
                    "allocated_on",
                    "first_visit_on",
                    "direct_work_tools",
                    "voice",
                    "overall",
                    "cla_review",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


_QIDS = [
    "allocated_on",
    "first_visit_on",
    "working_days_to_visit",
    "visit_in_timescale",
    "seen_alone",
    "direct_work_tools",
    "momo_shared",
    "voice_quality",
    "practitioner_reflection",
    "review_participation",
]
_SIDS = ["profile", "seen", "voice", "cla_review", "overall"]
_dates = st.dates(
    min_value=dt.date(2025, 1, 1),
    max_value=dt.date(2026, 12, 31),
).map(lambda d: d.isoformat())
_answers_files = st.fixed_dictionaries(
    {
        "answers": st.dictionaries(
            st.sampled_from(_QIDS),
            _json_scalars
            | _dates
            | st.lists(st.sampled_from(["momo", "three_houses", "other", "x"]), max_size=3),
            max_size=8,
        )
    },
    optional={
        "evidence": st.dictionaries(st.sampled_from(_QIDS), st.text(max_size=5), max_size=3),
        "grades": st.dictionaries(
            st.sampled_from(_SIDS),
            st.sampled_from(["good", "outstanding", "inadequate", "met"]),
            max_size=3,
        ),
        "rationales": st.dictionaries(st.sampled_from(_SIDS), st.text(max_size=5), max_size=3),
        "sections_na": st.dictionaries(st.sampled_from(_SIDS), st.text(max_size=5), max_size=2),
        "details": st.fixed_dictionaries(
            {},
            optional={
                "case_type": st.none() | st.sampled_from(["CIN", "CP", "CLA", "EH"]),
                "kind": st.none() | st.sampled_from(["themed", "deep_dive", "x"]),
                "practitioner_present": st.none() | st.booleans() | st.just("yes"),
                "calendar": st.sampled_from(["scotland", "england-and-wales", "wales"]),
            },
        ),
    },
)


@settings(max_examples=300)
@given(data=_json | _answers_files)
def test_any_answers_file_is_graded_or_refused_in_one_sentence(data: object) -> None:

    from auditui.domain.grade_input import read_grade_input
    from auditui.domain.grading import grade_audit
    from auditui.errors import InvalidAnswerError

    tool = _example_tool()
    try:
        given_ = read_grade_input(tool, data, "answers.json", dt.date(2026, 6, 1))
    except InvalidAnswerError as exc:
        assert exc.message.startswith("answers.json: ")
        return
    result = grade_audit(
        tool,
        given_.answers,
        given_.evidence,
        given_.grades,
        rationales=given_.rationales,
        sections_na=given_.sections_na,
        details=given_.details,
        calendar=given_.calendar,
    )
    import json

    json.dumps(result.to_json())


_EXAMPLE: list[AuditTool] = []


def _example_tool() -> AuditTool:
    if not _EXAMPLE:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "example.yaml"
            path.write_bytes(SEEDS[-1])
            _EXAMPLE.append(load_tool_file(path))
    return _EXAMPLE[0]
