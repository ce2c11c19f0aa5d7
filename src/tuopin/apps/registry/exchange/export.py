"""The export in the national layout (labels, not codes), then the extension columns; xlsx or csv.

Scoped through `tuopin.apps.accounts.scoping` (an account exports what it sees: active persons of
visible households), ID and phone numbers masked unless the account may see them and asked for them.
The selector yields rows of plain values; the writers stream them (xlsx.py, csv).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Iterator

from tuopin.apps.audit.context import note_read
from tuopin.apps.geo.models import Region
from tuopin.common.masking import mask_id, mask_phone
from tuopin.common.steps import Progress

from ..models import HouseholdYear, Person, PersonYear
from . import layout as L
from . import xlsx
from .plan import HOUSEHOLD_FIELDS, HOUSEHOLD_YEAR_FIELDS, PERSON_FIELDS, PERSON_YEAR_FIELDS, chunks
from .region import households_to_export

SHEET_NAME = "人员信息"


def default_year(user, region: Region | None = None) -> int | None:
    """The latest year with yearly household records the account can see (in the region, if given)."""
    years = HouseholdYear.objects.filter(household__in=households_to_export(user, region).values("pk"))
    return years.order_by("-year").values_list("year", flat=True).first()


def export_rows(*, user, year: int, unmasked: bool, region: Region | None = None,
                progress: Progress | None = None) -> Iterator[tuple[Any, ...]]:
    """One tuple per active person, in EXPORT_HEADERS order, households by number, heads first; `progress(done,
    total)` hears the persons written, every PROGRESS_EVERY of them."""
    scope = households_to_export(user, region)
    visible = scope.values("pk")
    households = {h["id"]: h for h in scope.values("id", "number", *HOUSEHOLD_FIELDS)}
    names = _region_names(households.values())
    years = {r["household_id"]: r for r in HouseholdYear.objects.filter(household__in=visible, year=year)
             .values("household_id", *HOUSEHOLD_YEAR_FIELDS)}
    person_years = {r["person_id"]: r for r in PersonYear.objects.filter(person__household__in=visible, year=year)
                    .values("person_id", *PERSON_YEAR_FIELDS)}
    persons = list(Person.objects.filter(household__in=visible, active=True)
                   .order_by("household__number", "relation", "number")
                   .values("id", "number", "household_id",
                           *[f for f in PERSON_FIELDS if f != "household"]))
    # What the file holds, for the export's audit event (decision 1152): values() make no model instances.
    note_read("registry.household", {p["household_id"] for p in persons})
    note_read("registry.person", [p["id"] for p in persons])
    active: dict[int, int] = {}
    for p in persons:
        active[p["household_id"]] = active.get(p["household_id"], 0) + 1
    id_out = (lambda x: x) if unmasked else mask_id
    phone_out = (lambda x: x) if unmasked else mask_phone
    # Column by column: each column's distinct values are formatted once (labels repeat on every row),
    # then the rows are zipped together at C speed.
    hh = [households[p["household_id"]] for p in persons]
    hys = [years.get(p["household_id"]) for p in persons]
    pys = [person_years.get(p["id"]) for p in persons]
    place = [names[p["household_id"]] for p in persons]

    def of(rows, key):
        return [r[key] if r else None for r in rows]

    raw = {
        "县": [x[0] for x in place], "乡": [x[1] for x in place], "行政村": [x[2] for x in place],
        "自然村": [x[3] for x in place], "户编号": of(hh, "number"), "人编号": of(persons, "number"),
        "姓名": of(persons, "name"), "证件号码": [id_out(p["id_number"]) for p in persons],
        "人数": [y["members"] if y else active[h["id"]] for y, h in zip(hys, hh)],
        "与户主关系": of(persons, "relation"), "民族": of(persons, "ethnicity"), "文化程度": of(persons, "education"),
        "在校生状况": of(persons, "school_status"),
        "健康状况": [(p["chronic_illness"], p["serious_illness"], p["disabled"]) for p in persons],
        "劳动技能": of(persons, "labour_ability"), "务工状况": of(persons, "work_status"),
        "务工时间(月)": of(persons, "work_months"), "参加大病医疗": of(pys, "serious_illness_insurance"),
        "脱贫属性": of(hh, "status"), "贫困户属性": of(hh, "attribute"), "主要致贫原因": of(hh, "primary_cause"),
        "危房户": [L.dangerous(y["housing_grade"]) if y else None for y in hys],
        "饮水安全": of(hys, "water_quality_ok"),
        "饮水困难": [L.water_difficult(y["water_litres_per_day"], y["water_minutes"], y["water_cut_days"],
                                   y["water_short_area"]) if y else None for y in hys],
        "人均纯收入": of(hys, "per_capita_net_income_fen"), "联系电话": [phone_out(p["phone"]) for p in persons],
    }
    for column, name in L.PERSON_EXTENSION:
        raw[column.header] = of(persons, name) if column.level == L.PERSON else of(pys, name)
    for column, name in L.HOUSEHOLD_EXTENSION:
        raw[column.header] = [phone_out(h[name]) for h in hh] if name == "phone" else of(hh, name)
    for column, name in L.HOUSEHOLD_YEAR_EXTENSION:
        raw[column.header] = of(hys, name)
    rows = zip(*(_format(column, raw[column.header]) for column in L.ALL))
    return rows if progress is None else _counted(rows, len(persons), progress)


PROGRESS_EVERY = 10_000


def _counted(rows: Iterator[tuple[Any, ...]], total: int, progress: Progress) -> Iterator[tuple[Any, ...]]:
    progress(0, total)
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0 or done == total:
            progress(done, total)


def _format(column: L.Column, values: list[Any]) -> list[Any]:
    memo = {v: _cell(column, v) for v in set(values)}
    return list(map(memo.__getitem__, values))


def _cell(column: L.Column, value: Any) -> Any:
    if value is None or (value == "" and column.header not in _BLANK_IS_A_CODE):
        return None
    out = column.fmt(value)
    if out == "":
        return None
    return L.escape(out)  # every column, not only free text: a label or a code is text too


# Columns where the empty code is a value with a label (非在校生, 无, 未建档, 未改造).
_BLANK_IS_A_CODE = {"在校生状况", "务工状况", "脱贫属性", "危房改造方式"}


def _region_names(households) -> dict[int, tuple[str, str, str, str | None]]:
    ids = set()
    for h in households:
        ids.update(x for x in (h["village_id"], h["natural_village_id"], h["township_id"]) if x)
    regions = {}
    for part in chunks(ids):
        regions.update({r[0]: r[1:] for r in Region.objects.filter(pk__in=part).values_list("id", "name", "parent_id")})
    parents = {pid for _, pid in regions.values() if pid and pid not in regions}
    for part in chunks(parents):
        regions.update({r[0]: r[1:] for r in Region.objects.filter(pk__in=part).values_list("id", "name", "parent_id")})
    out = {}
    for h in households:
        township = regions[h["township_id"]]
        county = regions[township[1]][0] if township[1] in regions else ""
        natural = regions[h["natural_village_id"]][0] if h["natural_village_id"] else None
        out[h["id"]] = (county, township[0], regions[h["village_id"]][0], natural)
    return out


def write_xlsx(path: Path, rows: Iterator[list[Any]]) -> int:
    return xlsx.write_xlsx(path, SHEET_NAME, L.EXPORT_HEADERS, rows)


def write_csv(path: Path, rows: Iterator[list[Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM: Excel reads the Chinese right
        out = csv.writer(fh)
        out.writerow(L.EXPORT_HEADERS)
        for row in rows:  # the csv module writes None as an empty field
            out.writerow(row)
            count += 1
    return count
