"""Progress bars for the long commands (`tuopin synth`, `demo`, `snapshot derive`, `backup`, `restore`).

The work itself (the generator, the engine, the services) takes a plain callback, `progress(done, total)`, and
knows nothing of terminals; a command opens a bar here and hands its callback down:

    with progress_bar(gettext("writing the registry")) as progress:
        generate(out, ..., progress=progress)

The bar is drawn with rich on stderr, and only when stderr is a terminal: piped or redirected (a script, a
cron job, `--json` read by another program) the callback does nothing, and stdout is never written to.
`done` and `total` are steps of the work's own choosing; the bar shows the fraction, the time spent and an
estimate of the time left.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

from tuopin.common.steps import Progress


def silent(done: int, total: int) -> None:
    """The callback when nobody is watching."""


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


@contextmanager
def progress_bar(description: str, *, stream: TextIO | None = None, show: bool = True) -> Iterator[Progress]:
    """A callback drawing one bar on `stream` (default: stderr) while the block runs; `silent` if it is no
    terminal or not `show` (a command printing a line per step at --verbosity 2 draws no bar across them).
    The bar stays on the screen when the block ends, with the time the work took."""
    stream = sys.stderr if stream is None else stream
    if not show or not is_terminal(stream):
        yield silent
        return
    from rich.console import Console
    from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
             TimeRemainingColumn(), console=Console(file=stream), redirect_stdout=False,
             redirect_stderr=False) as bar:
        task = bar.add_task(description, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report
