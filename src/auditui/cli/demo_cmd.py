"""`auditui demo`: fill the database with realistic synthetic audits, marked as demo.

Demo audits never go to a real hub. ``--hub DIR`` makes DIR a demo hub (or
uses the demo hub there) and sends the demo audits to it, so the hub
features (the board over a hub, hub reports) can be tried without touching
the organisation's hub.
"""

from __future__ import annotations

import sys
import time

import click

from auditui.cli.context import Settings, fail_on_error, pass_settings


@click.command()
@click.option(
    "--audits",
    "count",
    type=click.IntRange(1, 1_000_000),
    default=200,
    show_default=True,
    help="How many audits to add.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option(
    "--hub",
    "hub_dir",
    metavar="DIR",
    help="Also send the demo audits to DIR, made a demo hub (a real hub is refused).",
)
@pass_settings
def demo(settings: Settings, count: int, seed: int, hub_dir: str | None) -> None:
    """Add synthetic demo audits over every shipped tool (never deletes anything)."""
    from rich.progress import Progress

    from auditui.services.demo import generate_demo
    from auditui.services.workspace import Workspace

    with fail_on_error():
        if hub_dir is not None:
            from auditui.services.sync import check_demo_hub

            check_demo_hub(hub_dir)
        ws = Workspace.open(settings.db_path, settings.library, settings.config)
        started = time.perf_counter()
        if sys.stderr.isatty():
            with Progress(transient=True) as bar:
                task = bar.add_task("Adding demo audits", total=count)
                report = generate_demo(
                    ws, count, seed, lambda done, _: bar.update(task, completed=done)
                )
        else:
            report = generate_demo(ws, count, seed)
        seconds = time.perf_counter() - started
        try:
            sent = None
            if hub_dir is not None:
                from auditui.services.sync import run_sync

                sent = run_sync(ws, hub_dir, demo_hub=True)
        finally:
            ws.close()
    states = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(report.by_status.items()))
    click.echo(
        f"Added {report.audits} demo audits ({states}), {report.answers} answers and "
        f"{report.actions} actions to {settings.db_path} in {seconds:.1f}s."
    )
    if sent is not None:
        click.echo(f"Demo hub {hub_dir}: {sent.summary()}")
    else:
        click.echo(
            "They are marked as demo: sync never sends them to a real hub. To try the hub "
            "features with them: auditui demo --hub DIR (DIR becomes a demo hub)."
        )


COMMANDS = [demo]
