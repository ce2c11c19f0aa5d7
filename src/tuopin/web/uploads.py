"""An uploaded file written to a temporary folder for an import that reads a path, under the name the user gave it
(the import's messages name the file as the user knows it). The folder and the file go when the block ends."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def saved_upload(upload) -> Iterator[tuple[Path, str]]:
    """(path on disk, the name as uploaded, cut to 100 characters)."""
    name = Path(upload.name).name[:100]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ((Path(name).stem[:80] or "upload") + Path(name).suffix.lower())
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        yield path, name
