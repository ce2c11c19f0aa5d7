"""Reading the submissions of an XLSForm as ODK Central and KoboToolbox export them (decision 1571, docs/forms.md):

- JSON: KoboToolbox's (a list of submissions, or its API's {"results": [...]}, keys are group paths such as
  `meta/instanceID`, a repeat group an array of objects keyed `members/name`), or ODK Central's OData
  ({"value": [...]}, groups as nested objects, repeats expanded with `$expand=*`);
- XLSX: KoboToolbox's XLS export, the submissions on the first sheet and each repeat group on a sheet of its own,
  joined by `_index` / `_parent_index`;
- CSV: ODK Central's, the main file and a file per repeat group joined by `KEY` / `PARENT_KEY` (several files
  given together), or files with `_index` / `_parent_index` as KoboToolbox's sheets saved as CSV.

Every file passes the import guard first (size, content type, zip bombs, XML entities: tuopin.apps.files.guard)
and is read with the shared readers; a JSON file is held to the same limits (submissions, keys, characters a
value). A column is known by its last path segment (`members/in_school`, `meta-instanceID`): the form's names are
unique. The result is a list of `Record`s — a submission, its row, its values and its repeat rows — in no
particular form's terms: `submissions.py` checks them against the form.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tuopin.apps.files import guard
from tuopin.apps.files.grid import read_book, read_grid
from tuopin.apps.files.guard import UnreadableFile, check_file
from tuopin.common.spreadsheet import cell_text

REPEAT = "members"
INSTANCE_KEYS = ("instanceID", "_uuid", "KEY", "__id")  # in order of preference
_SEGMENT = re.compile(r"[/\-]")
_MAX_DEPTH = 6  # a form's groups nest two or three deep; a deeper file is not an export


@dataclass
class Record:
    file: str
    sheet: str  # "" for a csv or json file
    row: int  # the row number the spreadsheet shows, or the submission's place in a JSON file (1-based)
    values: dict[str, Any]  # field name → cell
    members: list[Record] = field(default_factory=list)  # the repeat group's rows


def leaf(header: Any) -> str:
    """`members/in_school`, `meta-instanceID` → `in_school`, `instanceID`; ODK Central's own columns
    (`KEY`, `PARENT_KEY`, `SubmissionDate`) and Kobo's (`_index`) as they are."""
    text = cell_text(header)
    return _SEGMENT.split(text)[-1] if not text.startswith("_") else text


def read(paths: list[Path], names: list[str] | None = None) -> list[Record]:
    """The submissions of the files given (one JSON or XLSX file, or CSV files); UnreadableFile for a file that
    must not or cannot be read."""
    names = names or [p.name for p in paths]
    suffixes = {p.suffix.lower() for p in paths}
    if suffixes == {".csv"}:
        return _csv(paths, names)
    if len(paths) != 1:
        raise UnreadableFile(_("give one .json or .xlsx file, or the .csv files of one export"))
    path, name = paths[0], names[0]
    if path.suffix.lower() == ".json":
        return _json(path, name)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx(path, name)
    raise UnreadableFile(_("%(file)s: not a .json, .xlsx or .csv export of submissions") % {"file": name})


# ---- spreadsheets -------------------------------------------------------------------------------------

@dataclass
class _Table:
    file: str
    sheet: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (row number, {leaf header: cell})

    def has(self, column: str) -> bool:
        return column in self.headers


def _table(file: str, sheet: str, grid: list[list[Any]]) -> _Table:
    headers = [leaf(c) for c in (grid[0] if grid else [])]
    while headers and not headers[-1]:
        headers.pop()
    guard.check_width(file, len(headers))
    if len(grid) - 1 > guard.max_rows():
        guard.refuse_rows(file, guard.max_rows())
    rows = []
    for i, cells in enumerate(grid[1:], start=2):
        if all(cell_text(c) == "" for c in cells):
            continue
        values = {}
        for h, cell in zip(headers, cells):
            if h and h not in values:  # the first of two columns with one leaf name (a group's note) wins
                if isinstance(cell, str) and len(cell) > guard.MAX_CELL_CHARS:
                    guard.refuse_cell(file, i, h, len(cell))
                values[h] = cell
        rows.append((i, values))
    return _Table(file, sheet, headers, rows)


def _join(main: _Table, repeats: list[_Table]) -> list[Record]:
    """The repeat rows under the submissions they belong to: KEY/PARENT_KEY (ODK Central) or
    _index/_parent_index (KoboToolbox)."""
    key = "KEY" if main.has("KEY") else "_index"
    records, by_key = [], {}
    for number, values in main.rows:
        record = Record(main.file, main.sheet, number, values)
        records.append(record)
        if cell_text(values.get(key)):
            by_key[cell_text(values.get(key))] = record
    for table in repeats:
        parent = "PARENT_KEY" if table.has("PARENT_KEY") else "_parent_index"
        for number, values in table.rows:
            owner = by_key.get(cell_text(values.get(parent)))
            if owner is None:
                raise UnreadableFile(_("%(file)s: row %(row)s of the repeat group names %(column)s %(value)s, "
                                       "which no submission has") % {"file": table.file, "row": number,
                                                                     "column": parent, "value": values.get(parent)})
            owner.members.append(Record(table.file, table.sheet, number, values))
    return records


def _is_repeat(table: _Table) -> bool:
    return table.has("PARENT_KEY") or table.has("_parent_index")


def _xlsx(path: Path, name: str) -> list[Record]:
    sheets = [_table(name, sheet, grid) for sheet, grid in read_book(path).items()]
    main = sheets[0]
    return _join(main, [s for s in sheets[1:] if _is_repeat(s) and _repeat_name(s.sheet) == REPEAT])


def _repeat_name(sheet: str) -> str:
    return leaf(sheet.strip())


def _csv(paths: list[Path], names: list[str]) -> list[Record]:
    tables = [_table(name, "", read_grid(path)) for path, name in zip(paths, names)]
    mains = [t for t in tables if not _is_repeat(t)]
    if len(mains) != 1:
        raise UnreadableFile(_("the .csv files hold %(n)s files of submissions; give the export's main file "
                               "(and its repeat group's file) only") % {"n": len(mains)})
    return _join(mains[0], [t for t in tables if _is_repeat(t)])


# ---- json ---------------------------------------------------------------------------------------------

def _json(path: Path, name: str) -> list[Record]:
    check_file(path)  # size and emptiness; the content is checked as it is read below
    raw = path.read_bytes()
    if b"\0" in raw[:8192] or raw.startswith((guard.ZIP_MAGIC, guard.OLE2_MAGIC)):
        raise UnreadableFile(_("%(file)s: named .json but it is not text (binary content)") % {"file": name})
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UnreadableFile(_("%(file)s: not readable as JSON (%(error)s)")
                             % {"file": name, "error": str(exc)[:200]}) from None
    if isinstance(data, dict):  # Kobo's API pages its results; ODK Central's OData calls them value
        data = data.get("results", data.get("value"))
    if not isinstance(data, list):
        raise UnreadableFile(_("%(file)s: not a list of submissions") % {"file": name})
    if len(data) > guard.max_rows():
        guard.refuse_rows(name, guard.max_rows())
    records = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise UnreadableFile(_("%(file)s: submission %(row)s is not an object") % {"file": name, "row": number})
        record = Record(name, "", number, {})
        _flatten(name, number, item, record, depth=0)
        records.append(record)
    return records


def _flatten(name: str, number: int, item: dict, record: Record, *, depth: int) -> None:
    if depth > _MAX_DEPTH or len(item) > guard.MAX_COLUMNS:
        raise UnreadableFile(_("%(file)s: submission %(row)s is not shaped as a form's submission")
                             % {"file": name, "row": number})
    for key, value in item.items():
        key = str(key)
        if key.startswith("@") or "@odata" in key or key in ("__system", "_attachments", "_geolocation",
                                                               "_tags", "_notes", "_validation_status"):
            continue  # the servers' bookkeeping
        if isinstance(value, dict):
            _flatten(name, number, value, record, depth=depth + 1)
        elif isinstance(value, list):
            if leaf(key) == REPEAT and depth == 0:
                for i, row in enumerate(value, start=1):
                    if not isinstance(row, dict):
                        raise UnreadableFile(_("%(file)s: submission %(row)s is not shaped as a form's submission")
                                             % {"file": name, "row": number})
                    member = Record(name, "", i, {})
                    _flatten(name, number, row, member, depth=depth + 1)
                    record.members.append(member)
            # another list (a select_multiple as Kobo's API may give it, an unknown repeat) is not read
        else:
            if isinstance(value, str) and len(value) > guard.MAX_CELL_CHARS:
                guard.refuse_cell(name, number, leaf(key), len(value))
            record.values.setdefault(leaf(key), value)
