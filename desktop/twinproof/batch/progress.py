"""A progress bar people can read: pairs done/total, rate, ETA; and the end-of-run summary.

Rich draws the bar on a terminal and stays silent otherwise (a CI log, a pipe), where the
summary alone is printed. Lines go to stderr, so stdout stays free for scripts.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from twinproof.batch.runner import Outcome, Summary
from twinproof.terminal import terminal_text


class RateColumn(ProgressColumn):
    """Pairs per minute, over the run so far."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        if not elapsed or not task.completed:
            return Text("-- pairs/min", style="progress.data.speed")
        return Text(f"{60 * task.completed / elapsed:.1f} pairs/min", style="progress.data.speed")


class BatchProgress:
    """``with BatchProgress(total) as bar: bar.update(summary, outcome)``."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.console = Console(file=stream or sys.stderr, highlight=False)
        self.progress = Progress(
            TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), RateColumn(),
            TextColumn("ETA"), TimeRemainingColumn(), TextColumn("elapsed"), TimeElapsedColumn(),
            TextColumn("{task.fields[failed]}"), console=self.console, transient=False,
        )
        self.task_id = self.progress.add_task("pairs", total=total, failed="")

    def __enter__(self) -> BatchProgress:
        self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.progress.stop()

    def update(self, summary: Summary, outcome: Outcome) -> None:
        failed = f"{len(summary.failed)} failed" if summary.failed else ""
        self.progress.update(self.task_id, completed=summary.done, failed=failed)
        if outcome.error:
            line = f"  {outcome.task.name}: failed: {outcome.error}"
            self.console.print(terminal_text(line), markup=False)  # a pair's name is the user's

    def say(self, text: str) -> None:
        self.console.print(terminal_text(text), markup=False)


def summary_lines(summary: Summary) -> list[str]:
    """The end of a run in a few lines: counts, rate, failures with reasons, what to do next."""
    lines = [f"analysed {len(summary.analysed)}, up to date {summary.up_to_date}, "
             f"failed {len(summary.failed)}"
             + (f", not done {summary.not_done} (interrupted: run again to resume)"
                if summary.interrupted else "")
             + f" in {summary.seconds:.1f} s"]
    if summary.analysed and summary.seconds > 0:
        rate = 60 * summary.done / summary.seconds
        verdicts = Counter(o.verdict or "none" for o in summary.analysed)
        lines.append(f"  {rate:.1f} pairs/min; verdicts: "
                     + ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())))
        peaks = [o.peak_mb for o in summary.analysed if o.peak_mb]
        if peaks:
            lines.append(f"  worker peak memory {max(peaks):.0f} MB")
        cpu = [o.cpu_seconds for o in summary.analysed if o.cpu_seconds is not None]
        if cpu:
            lines.append(f"  per pair on a worker: CPU median {statistics.median(cpu):.2f} s, "
                         f"wall median {statistics.median(o.seconds for o in summary.analysed):.2f} s")
    for o in summary.failed:
        lines.append(f"  failed {o.task.name}: {o.error}")
    upkeep = summary.upkeep.line() if summary.upkeep is not None else None
    if upkeep is not None:
        lines.append(f"  {upkeep}")
    return lines
