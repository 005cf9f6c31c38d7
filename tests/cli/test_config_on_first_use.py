"""The config is read when a command first needs it, and its errors are told there.

`auditui export csv --table answers`, the command a script may run again and
again, never needs the config, so it neither reads it nor imports the code
that does (issue 12's figure); a command that needs it still refuses a broken
one in the same words as before. The workspace reads it once, whichever
thread asks first.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from auditui.services.workspace import OnFirstUse

RunCli = Any
IsolatedEnv = Any


def test_a_broken_config_is_refused_by_the_commands_that_need_it_only(
    run_cli: RunCli, isolated_env: IsolatedEnv, tmp_path: Path
) -> None:
    assert run_cli("demo", "--audits", "3").returncode == 0
    isolated_env.config.write_text("this is [not toml\n", encoding="utf-8")
    out = tmp_path / "answers.csv"
    exported = run_cli("export", "csv", "--table", "answers", "--out", out)
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes().count(b"\r\n") > 10
    refused = run_cli("actions")  # the working days come from the config
    assert refused.returncode == 1
    assert str(isolated_env.config) in refused.stderr and "not valid TOML" in refused.stderr
    assert "Traceback" not in refused.stderr + exported.stderr


def test_a_value_given_as_a_function_is_made_once_whichever_thread_asks_first() -> None:
    made: list[int] = []
    start = threading.Barrier(8)

    def make() -> dict[str, int]:
        made.append(1)
        return {"n": len(made)}

    value = OnFirstUse(make)
    assert not value.loaded
    seen: list[dict[str, int]] = []

    def ask() -> None:
        start.wait()
        seen.append(value.get())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made == [1] and value.loaded
    assert all(got is seen[0] for got in seen)
    value.set({"n": 99})
    assert value.get() == {"n": 99} and made == [1]
