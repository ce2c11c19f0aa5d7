"""A year's village figures (村年度信息) from a CSV file: the rural registered population that is the
denominator of the poverty incidence, and the village exit facts (decision 1201). Without them an assessment has
nothing to divide by, so a county loads them before its first assessment (`tuopin regions figures`).

The county office keeps these figures (the statistics bureau's numbers), not the village or township whose
incidence they decide (as decision 1101 for households). All-or-nothing: every row is checked first, every problem
reported with its row, column, value and reason; then each village's record of the year is created or updated
(its version moves on) and the load is audited as one batch."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.accounts.scoping import regions_visible_to
from tuopin.apps.audit.services import audit_batch
from tuopin.common.versioning import stamp

from .models import Level, Region, VillageYear

CODE, TOWNSHIP, VILLAGE = "区划代码", "乡", "行政村"
POPULATION, HOUSEHOLDS, INCOME = "农村户籍人口", "户数", "村集体经济收入"
FLAGS = {"标准化卫生室": "has_clinic", "合格村医": "has_qualified_doctor", "通硬化路": "road_hardened",
         "安全饮水": "safe_water"}
YES, NO = ("是", "1", "true", "yes", "y"), ("否", "0", "false", "no", "n", "")


@dataclass
class Problem:
    file: str
    row: int
    column: str
    value: str
    reason: str

    def line(self) -> str:
        return f"{self.file}:{self.row} {self.column} {self.value!r}: {self.reason}"


class FiguresRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.line() for p in problems[:5]))
        self.problems = problems


def _count(value: str) -> int | None:
    value = value.replace(",", "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _read(content: bytes, name: str, villages: dict, by_name: dict) -> tuple[list[tuple[Region, dict]], list[Problem]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(name, 1, "", "", _("the file is not UTF-8 text: save it as “CSV UTF-8”"))]
    with io.StringIO(text, newline="") as f:
        reader = csv.DictReader(f)
        headers = [h.strip() for h in reader.fieldnames or ()]
        reader.fieldnames = headers
        problems = []
        if POPULATION not in headers or not (CODE in headers or {TOWNSHIP, VILLAGE} <= set(headers)):
            problems.append(Problem(name, 1, "", ",".join(headers), _(
                "the header needs %(population)s and either %(code)s or %(township)s and %(village)s") % {
                "population": POPULATION, "code": CODE, "township": TOWNSHIP, "village": VILLAGE}))
            return [], problems
        rows, seen = [], set()
        for number, raw in enumerate(reader, start=2):
            raw = {k: (v or "").strip() for k, v in raw.items() if k}
            if not any(v for k, v in raw.items() if k not in (CODE, TOWNSHIP, VILLAGE)):
                continue  # a village named with no figure at all (a template row left empty): nothing to load
            if raw.get(CODE):
                column, value, village = CODE, raw[CODE], villages.get(raw[CODE])
            else:
                column, value = VILLAGE, f"{raw.get(TOWNSHIP, '')} {raw.get(VILLAGE, '')}"
                village = by_name.get((raw.get(TOWNSHIP, ""), raw.get(VILLAGE, "")))
            if village is None:
                problems.append(Problem(name, number, column, value, _(
                    "no village of that code or name in the divisions this account works on")))
                continue
            if village.pk in seen:
                problems.append(Problem(name, number, column, value, _("this village appears twice in the file")))
                continue
            seen.add(village.pk)
            values = {}
            population = _count(raw[POPULATION])
            if population is None:
                problems.append(Problem(name, number, POPULATION, raw[POPULATION], _("not a whole number of persons")))
            values["population"] = population
            households = _count(raw.get(HOUSEHOLDS) or "0")
            if households is None:
                problems.append(Problem(name, number, HOUSEHOLDS, raw[HOUSEHOLDS], _("not a whole number")))
            values["households"] = households
            for header, field in FLAGS.items():
                flag = (raw.get(header) or "").lower()
                if flag not in YES + NO:
                    problems.append(Problem(name, number, header, raw[header], _("write 是 or 否")))
                values[field] = flag in YES
            try:
                yuan = Decimal((raw.get(INCOME) or "0").replace(",", ""))
                if yuan < 0 or yuan != yuan.quantize(Decimal("0.01")):
                    raise InvalidOperation
                values["collective_income_fen"] = int(yuan * 100)
            except InvalidOperation:
                problems.append(Problem(name, number, INCOME, raw.get(INCOME, ""), _(
                    "not an amount in yuan (at most two decimals, not negative)")))
            rows.append((village, values))
    return rows, problems


@transaction.atomic
def village_figures_load(*, year: int, by, path: str | Path | None = None, content: bytes | None = None,
                         name: str = "", source: str = "cli") -> dict:
    """Create or update the year's figures of the villages in the file (a path, or the `content` of an uploaded
    file called `name`); raises FiguresRefused (nothing written) with every problem.
    Returns {"created": n, "updated": n, "unchanged": n}."""
    require(by, Action.LOAD_VILLAGE_FIGURES)
    if content is None:
        path = Path(path)
        content, name = path.read_bytes(), path.name
    reach = regions_visible_to(by).filter(level=Level.VILLAGE).select_related("parent")
    villages = {v.code: v for v in reach}
    by_name = {(v.parent.name, v.name): v for v in villages.values()}
    rows, problems = _read(content, name, villages, by_name)
    if problems:
        raise FiguresRefused(problems)
    existing = {r.village_id: r for r in VillageYear.objects.select_for_update().filter(
        year=year, village__in=[v for v, _ in rows])}
    created = updated = unchanged = 0
    for village, values in rows:
        record = existing.get(village.pk)
        if record is None:
            VillageYear.objects.create(village=village, year=year, updated_by=by, **values)
            created += 1
        elif any(getattr(record, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(record, k, v)
            record.save(update_fields=[*values, *stamp(record, by)])
            updated += 1
        else:
            unchanged += 1
    counts = {"created": created, "updated": updated, "unchanged": unchanged}
    audit_batch(actor=by, action="village_figures_load", entity="geo.villageyear", source=source,
                batch={"file": name, "year": year, **counts,
                       "population": sum(v["population"] for _, v in rows)},
                summary=f"{name}: village figures of {year}, {created} created, {updated} updated, "
                        f"{unchanged} unchanged")
    return counts
