"""Part files of the snapshot layout, written as chunks arrive (tuopin.engine.snapshot's layout: at most
ROWS_PER_FILE rows a file, zstd, ROW_GROUP rows a row group), and `_snapshot.json` at the end."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tuopin.engine.snapshot import LAYOUT_VERSION, ROW_GROUP, ROWS_PER_FILE, SCHEMAS, YEARLY


class PartWriter:
    def __init__(self, root: Path, *, rows_per_file: int = ROWS_PER_FILE):
        self.root = root
        self.rows_per_file = rows_per_file
        self.parts: dict[Path, int] = {}
        self.rows: dict[str, dict] = {}

    def write(self, table: str, data: pa.Table, *, year: int | None = None) -> None:
        if not data.schema.equals(SCHEMAS[table]):
            raise ValueError(f"{table}: the generator's columns differ from the snapshot schema")
        folder = self.root / table / (f"year={year}" if table in YEARLY else "")
        folder.mkdir(parents=True, exist_ok=True)
        for start in range(0, max(data.num_rows, 1), self.rows_per_file):
            n = self.parts.get(folder, 0)
            pq.write_table(data.slice(start, self.rows_per_file), folder / f"part-{n:05d}.parquet",
                           compression="zstd", row_group_size=ROW_GROUP)
            self.parts[folder] = n + 1
        entry = self.rows.setdefault(table, {})
        key = str(year) if table in YEARLY else "rows"
        entry[key] = entry.get(key, 0) + data.num_rows

    def finish(self, extra: dict) -> dict:
        tables = {}
        for name, counts in self.rows.items():
            if name in YEARLY:
                tables[name] = {"rows_by_year": counts, "years": sorted(int(y) for y in counts)}
            else:
                tables[name] = {"rows": counts["rows"]}
        manifest = {"layout_version": LAYOUT_VERSION, "masked": True, "tables": tables, **extra}
        (self.root / "_snapshot.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        return manifest
