"""Checks against the registry, and the change plan they produce (nothing is written here).

For each household and person of the file: geography found by name under its parent, the account's
scope, ID numbers unused by anyone else, status changes a procedure could produce, household counts;
then the target values, merged with what the registry already holds, and the difference. The writer
(`upsert.py`) applies the plan only when no problem was found.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from django.db import connection
from django.db.models import Max
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may, refusal
from tuopin.apps.accounts.scoping import households_visible_to, persons_visible_to, regions_visible_to
from tuopin.apps.geo.models import Level, Region

from .. import choices as c
from .. import id_refusals
from .. import validation as V
from ..models import MONEY_FIELDS, SHOCK_FIELDS, Household, HouseholdYear, Person, PersonYear, StatusEvent
from . import layout as L
from . import status as st
from .parse import ParsedFile
from tuopin.apps.files.report import Problem

HOUSEHOLD_FIELDS = ("village_id", "natural_village_id", "township_id", "is_registered", "attribute", "status",
                    "identified_year", "exit_year", "primary_cause", "other_causes", "phone", "address",
                    "cultivated_land_mu", "housing_area_m2", "closed")
PERSON_FIELDS = ("household", "id_number", "name", "sex", "birth_date", "relation", "ethnicity", "education",
                 "school_status", "chronic_illness", "serious_illness", "disabled", "disability_grade",
                 "labour_ability", "work_status", "work_months", "phone")
YEAR_MONEY = tuple(f for f, _ in MONEY_FIELDS) + ("production_cost_fen",)
HOUSEHOLD_YEAR_FIELDS = ("members",) + YEAR_MONEY + (
    "net_income_fen", "per_capita_net_income_fen", "housing_grade", "renovation", "renovation_year",
    "renovation_cost_fen", "renovation_grade", "water_litres_per_day", "water_quality_ok", "water_minutes", "water_cut_days",
    "water_short_area", "food_clothing_secure", "income_expected_stable", *SHOCK_FIELDS)
PERSON_YEAR_FIELDS = ("school_status", "basic_medical", "serious_illness_insurance", "medical_assistance",
                      "family_doctor", "pension_insurance", "dibao", "tekun", "work_months")
HOUSEHOLD_YEAR_DEFAULTS = {f: 0 for f in YEAR_MONEY} | {
    "housing_grade": "A", "renovation": "", "renovation_year": None, "renovation_cost_fen": 0,
    "renovation_grade": "",
    "water_quality_ok": True, "food_clothing_secure": True, "income_expected_stable": True,
    "medical_expense_fen": 0, "education_expense_fen": 0, "disaster_loss_fen": 0, "business_failed": False,
    "labourer_lost": False,
} | L.WATER_DEFAULTS
PERSON_YEAR_DEFAULTS = {f: False for f in PERSON_YEAR_FIELDS} | {"school_status": "", "work_months": 0}
_BLANK = {"phone": "", "address": "", "identified_year": None, "exit_year": None, "other_causes": "",
          "cultivated_land_mu": Decimal("0"), "housing_area_m2": Decimal("0"), "disability_grade": None,
          "renovation": "", "renovation_year": None, "renovation_grade": ""}
PER_CAPITA_TOLERANCE_FEN = 100  # files round 人均纯收入 to the yuan; within that, it agrees with the lines
CHUNK = 900  # below SQLite's bound on query parameters in every version the project meets


@dataclass
class Change:
    key: str  # 户编号 / 人编号
    pk: int | None  # None: a new row
    values: dict[str, Any]
    diff: dict[str, list] = field(default_factory=dict)


@dataclass
class Plan:
    year: int
    today: dt.date
    households: list[Change] = field(default_factory=list)  # new and changed
    household_years: list[Change] = field(default_factory=list)  # key = 户编号
    persons: list[Change] = field(default_factory=list)
    person_years: list[Change] = field(default_factory=list)  # key = 人编号
    events: list[dict] = field(default_factory=list)
    unchanged_households: int = 0
    unchanged_persons: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)  # (人编号, 户编号) kept, not deleted
    household_ids: dict[str, int] = field(default_factory=dict)  # 户编号 → pk of the file's existing households
    notices: list[Problem] = field(default_factory=list)
    id_refusals: int = 0  # ID numbers refused as already registered, counted against the account (1103)

    def counts(self) -> dict[str, int]:
        new_h = sum(1 for ch in self.households if ch.pk is None)
        new_p = sum(1 for ch in self.persons if ch.pk is None)
        return {
            "households_created": new_h, "households_updated": len(self.households) - new_h,
            "households_unchanged": self.unchanged_households,
            "persons_created": new_p, "persons_updated": len(self.persons) - new_p,
            "persons_unchanged": self.unchanged_persons, "persons_missing": len(self.missing),
            "household_years_written": len(self.household_years), "person_years_written": len(self.person_years),
            "status_events": len(self.events),
        }


def chunks(items: Iterable, size: int = CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _diff(old: dict | None, new: dict) -> dict[str, list]:
    if old is None:
        return {}
    return {k: [_plain(old.get(k)), _plain(v)] for k, v in new.items() if old.get(k) != v}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def build_plan(parsed: ParsedFile, *, year: int, user, today: dt.date | None = None) -> Plan:
    plan = Plan(year=year, today=today or dt.date.today())
    reason = refusal(user, Action.IMPORT_REGISTRY)
    if reason:
        # The permission layer's reason is for logs; the clerk reads the account and its role.
        parsed.problems.append(Problem(None, "", user.get_username(),
                                       _("the account %(account)s (%(role)s) may not change the registry")
                                       % {"account": user.get_username(), "role": user.get_role_display()}))
        return plan
    if not all(parsed.has(h) for h in L.REQUIRED_HEADERS) or not parsed.households:
        return plan  # the header problems are reported; rows cannot be matched without those columns
    _Planner(parsed, plan, user).run()
    return plan


class Records:
    """Registry rows keyed on one of their fields, kept as tuples: a county's 170,000 persons as dicts cost
    hundreds of megabytes (decision 1211). `get` makes the one row the planner looks at a dict."""

    def __init__(self, fields: tuple[str, ...]):
        self.fields = fields
        self.rows: dict[Any, tuple] = {}

    def take(self, rows: Iterable[tuple], key: int, wanted=None) -> None:
        """Keep the rows (keyed on field number `key`) whose key is wanted (all, if None)."""
        for row in rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows:
            if wanted is None or row[key] in wanted:
                self.rows[row[key]] = row

    def get(self, key) -> dict | None:
        row = self.rows.get(key)
        return None if row is None else dict(zip(self.fields, row))

    def column(self, name: str) -> list:
        i = self.fields.index(name)
        return [row[i] for row in self.rows.values()]

    def keys(self):
        return self.rows.keys()

    def __contains__(self, key) -> bool:
        return key in self.rows

    def __len__(self) -> int:
        return len(self.rows)


class _Planner:
    def __init__(self, parsed: ParsedFile, plan: Plan, user):
        self.p, self.plan, self.user = parsed, plan, user
        self.col = parsed.cols

    # ---- registry reads ---------------------------------------------------------------------------

    # The file's villages are asked about in one query each (few parameters); keys not found there (a
    # household that moved in, a new one) are then looked up by key in chunks.

    def _households(self) -> Records:
        fields = ("id", "number", *HOUSEHOLD_FIELDS)
        wanted = self.p.households
        out = Records(fields)
        for part in chunks(self.villages):
            out.take(Household.objects.filter(village_id__in=part).values_list(*fields), 1, wanted)
        for part in chunks(_existing(Household, "number", (n for n in wanted if n not in out))):
            out.take(Household.objects.filter(number__in=part).values_list(*fields), 1)
        return out

    def _persons(self) -> Records:
        numbers = {n for n in self.col["人编号"] if n is not None}
        person_fields = [f for f in PERSON_FIELDS if f != "household"]
        query = ("id", "number", "household_id", "household__number", *person_fields)
        out = Records(("id", "number", "household_id", "household", *person_fields))
        for part in chunks(self.villages):
            out.take(Person.objects.filter(household__village_id__in=part).values_list(*query), 1, numbers)
        for part in chunks(_existing(Person, "number", (n for n in numbers if n not in out))):
            out.take(Person.objects.filter(number__in=part).values_list(*query), 1)
        return out

    def _id_holders(self) -> dict[str, tuple[str, str, int]]:
        """{ID number: (人编号, 户编号, household id)} of the registry's persons holding an ID number given in the file."""
        q = connection.ops.quote_name
        person, household = q(Person._meta.db_table), q(Household._meta.db_table)
        # ID numbers are unique in the registry: one the file's person already holds there has no other holder,
        # so only the others are asked about (a county's own file: none, instead of 170,000).
        own = self.old_p.rows
        at = self.old_p.fields.index("id_number")
        asked = [pid.value for number, pid in zip(self.col["人编号"], self.p.ids)
                 if pid is not None and (number not in own or own[number][at] != pid.value)]
        out = {}
        with connection.cursor() as cursor:
            for part in chunks(asked):
                cursor.execute(f"SELECT p.number, p.id_number, h.number, h.id FROM {person} p JOIN {household} h "
                               f"ON h.id = p.household_id WHERE p.id_number IN ({', '.join(['%s'] * len(part))})", part)
                for number, idn, hh, hh_id in cursor.fetchall():
                    out[idn] = (number, hh, hh_id)
        return out

    def _visible(self, household_ids: set[int]) -> set[int]:
        visible = set()
        for part in chunks(household_ids):
            visible.update(households_visible_to(self.user).filter(pk__in=part).values_list("pk", flat=True))
        return visible

    def _creatable(self, village_ids: set[int]) -> set[int]:
        """Villages where this account may register households: those it sees, except for a pairing cadre,
        whose scope is the households paired with them (a new household has no pairing yet)."""
        if not may(self.user, Action.REGISTER_HOUSEHOLD):
            return set()
        out = set()
        for part in chunks(village_ids):
            out.update(regions_visible_to(self.user).filter(pk__in=part).values_list("pk", flat=True))
        return out

    def _resolve_geography(self) -> dict[str, tuple[Region, Region, Region | None]]:
        """户编号 → (township, village, natural village), matched by name under the parent."""
        geo_cols = ("县", "乡", "行政村", "自然村")
        wanted = {hh.number: tuple(hh.values.get(h) for h in geo_cols) for hh in self.p.households.values()}
        counties = defaultdict(list)
        for r in Region.objects.filter(level=Level.COUNTY, name__in={w[0] for w in wanted.values() if w[0]}):
            counties[r.name].append(r)
        if self.user.region is not None:  # a county name met twice in the nation: the account's own wins
            mine = self.user.region.code[:6]
            for name, found in counties.items():
                if len(found) > 1 and any(r.code.startswith(mine) for r in found):
                    counties[name] = [r for r in found if r.code.startswith(mine)]
        children = self._children([r.pk for rs in counties.values() for r in rs], Level.TOWNSHIP)
        villages = self._children([r.pk for r in children.values()], Level.VILLAGE)
        naturals = self._children([r.pk for r in villages.values()], Level.NATURAL_VILLAGE)
        out = {}
        for number, (county, township, village, natural) in wanted.items():
            row = self.p.households[number].rows[0]
            if not (county and township and village):
                continue  # reported as an empty required cell
            found = counties.get(county, [])
            if len(found) != 1:
                why = (_("county %(county)s is not in the loaded division data") if not found
                       else _("county %(county)s names several counties"))
                self.p.problem(row, "县", why % {"county": county})
                continue
            t = children.get((found[0].pk, township))
            if t is None:
                self.p.problem(row, "乡", _("no township named %(township)s in %(county)s")
                               % {"township": township, "county": county})
                continue
            v = villages.get((t.pk, village))
            if v is None:
                self.p.problem(row, "行政村", _("no administrative village named %(village)s in "
                                                     "%(township)s") % {"village": village, "township": township})
                continue
            n = None
            if natural:
                n = naturals.get((v.pk, natural))
                if n is None:
                    self.p.problem(row, "自然村", _("no natural village named %(natural)s in %(village)s")
                                       % {"natural": natural, "village": village})
                    continue
            out[number] = (t, v, n)
        return out

    @staticmethod
    def _children(parent_ids: list[int], level: str) -> dict[tuple[int, str], Region]:
        out = {}
        for part in chunks(parent_ids):
            for r in Region.objects.filter(parent_id__in=part, level=level):
                out[(r.parent_id, r.name)] = r
        return out

    def _latest_event_years(self, household_ids: list[int]) -> dict[int, int]:
        out = {}
        for part in chunks(household_ids):
            out.update(StatusEvent.objects.filter(household_id__in=part, stage=c.Stage.ANNOUNCED)
                       .values("household_id").annotate(y=Max("year")).values_list("household_id", "y"))
        return out

    def _years(self, model, key: str, village_path: str, ids: list[int], fields: tuple[str, ...]) -> Records:
        wanted, year = set(ids), self.plan.year
        out = Records(("id", key, *fields))
        for part in chunks(self.villages):
            out.take(model.objects.filter(**{f"{village_path}__in": part}, year=year).values_list("id", key, *fields),
                     1, wanted)
        for part in chunks([i for i in wanted if i not in out]):
            out.take(model.objects.filter(**{f"{key}__in": part}, year=year).values_list("id", key, *fields), 1)
        return out

    # ---- the plan ---------------------------------------------------------------------------------

    def run(self) -> None:
        p = self.p
        self.geo = self._resolve_geography()
        self.villages = sorted({g[1].pk for g in self.geo.values()})
        self.old_h = self._households()
        household_pks = self.old_h.column("id")
        self.plan.household_ids = dict(zip(self.old_h.keys(), household_pks))
        self.old_p = self._persons()
        visible = self._visible(set(household_pks) | set(self.old_p.column("household_id")))
        self.visible = visible
        target_villages = {g[1].pk for g in self.geo.values()}
        self.creatable = self._creatable(target_villages)
        self.latest = self._latest_event_years(household_pks)
        self.old_hy = self._years(HouseholdYear, "household_id", "household__village_id", household_pks,
                                  HOUSEHOLD_YEAR_FIELDS)
        self.old_py = self._years(PersonYear, "person_id", "person__household__village_id", self.old_p.column("id"),
                                  PERSON_YEAR_FIELDS)
        self.skipped: set[str] = set()
        self.income_given = p.has(L.INCOME_HEADERS[0])
        # Rows whose income cells were refused: their 人均纯收入 is not compared with lines that are not there.
        self.income_refused = {pr.row for pr in p.problems if pr.column in L.INCOME_HEADERS}
        self.year_headers = [h for h in ("危房户", "饮水安全", "饮水困难") + tuple(
            c.header for c, _ in L.HOUSEHOLD_YEAR_EXTENSION[len(L.INCOME_COLUMNS):]) if p.has(h)]
        for hh in p.households.values():
            self._household(hh)
        self._persons_plan()
        self._missing(target_villages | set(self.old_h.column("village_id")))

    def _household(self, hh) -> None:
        p, plan, vals, first = self.p, self.plan, hh.values, hh.rows[0]
        old = self.old_h.get(hh.number)
        if old is not None and old["id"] not in self.visible:
            p.problem(first, "户编号", _("household %(household)s is outside the scope of account %(account)s")
                      % {"household": hh.number, "account": self.user.get_username()})
            self.skipped.add(hh.number)
            return
        geo = self.geo.get(hh.number)
        if geo is None:
            self.skipped.add(hh.number)
            return
        township, village, natural = geo
        if (old is None or old["village_id"] != village.pk) and village.pk not in self.creatable:
            refused = (_("account %(account)s may not register a household in %(village)s") if old is None
                       else _("account %(account)s may not move a household to %(village)s"))
            p.problem(first, "行政村", refused % {"account": self.user.get_username(), "village": village.name})
            self.skipped.add(hh.number)
            return
        status = vals.get("脱贫属性")
        if status is None or vals.get("贫困户属性") is None or vals.get("人数") is None:
            self.skipped.add(hh.number)
            return
        if old is None:
            self._new_household_checks(hh)
        target = {"village_id": village.pk, "natural_village_id": natural.pk if natural else None,
                  "township_id": township.pk, "attribute": vals["贫困户属性"],
                  "primary_cause": vals.get("主要致贫原因") or ""}
        for column, name in L.HOUSEHOLD_EXTENSION:
            if p.has(column.header):
                value = vals.get(column.header)
                target[name] = _BLANK[name] if value is None else value
            else:
                target[name] = old[name] if old else _BLANK[name]
        if old is None and not p.has("户联系电话"):
            heads = [i for i in hh.rows if self.col["与户主关系"][i] == "01"]
            target["phone"] = (self.col["联系电话"][heads[0]] or "") if heads else ""
        status = self._status(hh, old, status, target)
        target |= {"status": status, "is_registered": status != st.NOT_REGISTERED, "closed": status == st.CLOSED}
        if old is None:
            plan.households.append(Change(hh.number, None, target))
        else:
            diff = _diff(old, target)
            if diff:
                plan.households.append(Change(hh.number, old["id"], target, diff))
            else:
                plan.unchanged_households += 1
        self._household_year(hh, old)

    def _new_household_checks(self, hh) -> None:
        heads = [i for i in hh.rows if self.col["与户主关系"][i] == "01"]
        if not heads:
            self.p.problem(hh.rows[0], "与户主关系", _("new household %(household)s has no head (户主) in the file")
                           % {"household": hh.number})
        if hh.values["人数"] != len(hh.rows):
            self.p.problem(hh.rows[0], "人数", _("人数 is %(given)s but the file lists %(listed)s members of new "
                                               "household %(household)s") % {
                               "given": hh.values["人数"], "listed": len(hh.rows), "household": hh.number})

    def _status(self, hh, old: dict | None, status: str, target: dict) -> str:
        """The household's status after the import, and the events that record the change."""
        plan, first = self.plan, hh.rows[0]
        before = old["status"] if old else st.NOT_REGISTERED
        if old is not None and status != before and self.latest.get(old["id"], 0) > plan.year:
            plan.notices.append(Problem(self.p.excel_rows[first], "脱贫属性", L.cell_text(self.p.raw["脱贫属性"][first]),
                                        _("not applied: the household's latest status event is of %(latest)s, "
                                          "later than %(year)s") % {"latest": self.latest[old["id"]],
                                                                    "year": plan.year}))
            return before
        try:
            kinds = st.events_between(before, status)
        except st.TransitionRefused as exc:
            self.p.problem(first, "脱贫属性", str(exc))
            return before
        years = [st.event_year(k, year=plan.year, identified_year=target["identified_year"],
                               exit_year=target["exit_year"]) for k in kinds]
        for kind, y in zip(kinds, years):
            if kind == c.EventKind.IDENTIFIED and not target["identified_year"]:
                target["identified_year"] = y
            if kind == c.EventKind.EXITED:
                target["exit_year"] = y
        for kind, y, on in zip(kinds, years, st.event_dates(years, plan.today)):
            plan.events.append({"household": hh.number, "kind": kind, "year": y, "effective_on": on,
                                "persons": hh.values["人数"]})
        return status

    def _household_year(self, hh, old: dict | None) -> None:
        p, vals, first = self.p, hh.values, hh.rows[0]
        members = vals["人数"]
        itemised = self.income_given and any(vals.get(h) is not None for h in L.INCOME_HEADERS)
        per_capita = vals.get("人均纯收入")
        other = [h for h in self.year_headers if vals.get(h) is not None]
        if per_capita is None and not itemised:
            if other:
                p.problem(first, "人均纯收入", _("required when the household's yearly columns are given "
                                                 "(%(column)s …)") % {"column": other[0]})
            return
        old_year = self.old_hy.get(old["id"]) if old else None
        base = dict(old_year) if old_year else dict(HOUSEHOLD_YEAR_DEFAULTS)
        t = {"members": members}
        if itemised:
            for header, name in L.INCOME_COLUMNS:
                t[name] = vals.get(header) or 0
        else:
            kept = old_year is not None and abs(_net(base) // members - per_capita) <= PER_CAPITA_TOLERANCE_FEN
            for name in YEAR_MONEY:
                t[name] = base[name] if kept else 0
            if not kept:  # decision 0201: the national file's figure, un-itemised
                t["unitemised_income_fen"] = per_capita * members
        t["net_income_fen"] = _net(t)
        t["per_capita_net_income_fen"] = t["net_income_fen"] // members
        refused = self.income_refused and any(p.excel_rows[i] in self.income_refused for i in hh.rows)
        if itemised and per_capita is not None and not refused and \
                abs(t["per_capita_net_income_fen"] - per_capita) > PER_CAPITA_TOLERANCE_FEN:
            p.problem(first, "人均纯收入", _("does not agree with the income columns (net income ÷ 人数 = "
                                          "%(amount)s)") % {"amount": L.f_money(t["per_capita_net_income_fen"])})
        for column, name in L.HOUSEHOLD_YEAR_EXTENSION[len(L.INCOME_COLUMNS):]:
            value = vals.get(column.header)
            t[name] = base[name] if value is None else value
        self._housing(hh, t, vals.get("住房安全等级") is not None)
        self._water(hh, t, base)
        plan = self.plan
        if old_year is None:
            plan.household_years.append(Change(hh.number, None, t))
        else:
            diff = _diff(old_year, t)
            if diff:
                plan.household_years.append(Change(hh.number, old_year["id"], t, diff))

    def _housing(self, hh, t: dict, grade_given: bool) -> None:
        flag = hh.values.get("危房户")
        if flag is None or flag == L.dangerous(t["housing_grade"]):
            return
        if grade_given:
            self.p.problem(hh.rows[0], "危房户", _("disagrees with 住房安全等级 %(grade)s (C and D are 危房)")
                           % {"grade": t["housing_grade"]})
        else:  # decision 0203: the flag without a grade
            t["housing_grade"] = "C" if flag else "A"

    def _water(self, hh, t: dict, base: dict) -> None:
        vals, first = hh.values, hh.rows[0]
        safe = vals.get("饮水安全")
        if safe is not None:
            if vals.get("水质达标") is not None and vals["水质达标"] != safe:
                self.p.problem(first, "饮水安全", _("disagrees with 水质达标"))
            t["water_quality_ok"] = safe
        difficult = vals.get("饮水困难")
        detail = ("人均日供水(升)", "取水往返(分钟)", "年断水天数", "缺水地区")
        now = L.water_difficult(t["water_litres_per_day"], t["water_minutes"], t["water_cut_days"], t["water_short_area"])
        if difficult is None or difficult == now:
            return
        if any(vals.get(h) is not None for h in detail):
            self.p.problem(first, "饮水困难", _("disagrees with the water columns (≥ 35 L a day, or 20 in a "
                                            "water-short area; trip ≤ 20 minutes; ≤ 36 days cut a year)"))
        elif difficult:  # decision 0203: the flag without detail
            t["water_minutes"] = L.WATER_DIFFICULT_MINUTES
        else:
            t.update({k: L.WATER_DEFAULTS[k] for k in ("water_litres_per_day", "water_minutes", "water_cut_days")})

    def _persons_plan(self) -> None:
        p, col, plan = self.p, self.col, self.plan
        holders = self._id_holders()
        counted, over_limit = id_refusals.counted(self.user), id_refusals.over_limit(self.user)
        holders_seen = self._visible({h[2] for h in holders.values()})
        in_file = {n for n in col["人编号"] if n is not None}
        n = len(p.excel_rows)
        grades_given = "残疾等级" in col
        grades = col["残疾等级"] if grades_given else [None] * n
        year_ext = [(c.header, name, col[c.header]) for c, name in L.PERSON_EXTENSION
                    if c.level == L.PERSON_YEAR and p.has(c.header)]
        old_persons, visible, skipped = self.old_p, self.visible, self.skipped
        # One pass over the columns side by side (a county file: 170,000 rows).
        for i, number, household, pid, name, relation, ethnicity, education, school, health, labour, work, \
                months, phone, insured, grade in zip(
                    range(n), col["人编号"], col["户编号"], p.ids, col["姓名"], col["与户主关系"], col["民族"],
                    col["文化程度"], col["在校生状况"], col["健康状况"], col["劳动技能"], col["务工状况"],
                    col["务工时间(月)"], col["联系电话"], col["参加大病医疗"], grades):
            if number is None or household is None:
                continue
            old = old_persons.get(number)
            if old is not None and old["household_id"] not in visible:
                p.problem(i, "人编号", _("refused: person %(person)s is not in the area of account %(account)s; "
                                      "ask the county poverty alleviation office (扶贫办)")
                          % {"person": number, "account": self.user.get_username()})
                continue
            if pid is not None:
                holder = holders.get(pid.value)
                clash = holder and holder[0] != number and holder[0] not in in_file
                if clash and not counted and holder[2] in holders_seen:
                    p.problem(i, "证件号码", _("%(reason)s (this row: household %(household)s)")
                              % {"reason": V.say(V.ID_TAKEN, {"name": holder[0], "household": holder[1]}),
                                 "household": household})
                elif clash or (over_limit and (old is None or old["id_number"] != pid.value)):
                    # Naming nobody, and alike once the account is over its limit (id_refusals.py, 1103).
                    p.problem(i, "证件号码", str(V.ID_TAKEN_ELSEWHERE))
                    plan.id_refusals += 1
            if household in skipped or pid is None or None in (health, name, relation, ethnicity, labour):
                continue
            if not grades_given:  # the column is absent: keep what the registry has
                grade = old["disability_grade"] if old else None
            t = {"household": household, "id_number": pid.value, "name": name, "sex": pid.sex,
                 "birth_date": pid.birth_date, "relation": relation, "ethnicity": ethnicity,
                 "education": education or "", "school_status": school or "", "chronic_illness": health[0],
                 "serious_illness": health[1], "disabled": health[2], "disability_grade": grade,
                 "labour_ability": labour, "work_status": work or "", "work_months": months or 0,
                 "phone": phone or ""}
            for reason in V.disability_agreement(disabled=health[2], grade=grade).values():
                p.problem(i, "残疾等级", str(reason))
            if old is None:
                plan.persons.append(Change(number, None, t))
            else:
                diff = _diff(old, t)
                if diff:
                    plan.persons.append(Change(number, old["id"], t, diff))
                else:
                    plan.unchanged_persons += 1
            given = [(h, f, values[i]) for h, f, values in year_ext if values[i] is not None] if year_ext else ()
            if insured is None:
                if given:
                    p.problem(i, "参加大病医疗", _("required when the person's yearly columns are given "
                                                    "(%(column)s …)") % {"column": given[0][0]})
                continue
            self._person_year(number, old, t, insured, given)

    def _person_year(self, number: str, old: dict | None, person: dict, insured: bool, given) -> None:
        old_year = self.old_py.get(old["id"]) if old else None
        t = dict(old_year) if old_year else dict(PERSON_YEAR_DEFAULTS)
        t.pop("id", None), t.pop("person_id", None)
        t["serious_illness_insurance"] = insured
        t["school_status"], t["work_months"] = person["school_status"], person["work_months"]
        for _header, name, value in given:
            t[name] = value
        if old_year is None:
            self.plan.person_years.append(Change(number, None, t))
        else:
            diff = _diff(old_year, t)
            if diff:
                self.plan.person_years.append(Change(number, old_year["id"], t, diff))

    def _missing(self, village_ids: set[int]) -> None:
        in_file = set(self.col["人编号"])
        found = []
        for part in chunks(village_ids):
            rows = persons_visible_to(self.user).filter(active=True, household__village_id__in=part).values_list(
                "number", "household__number")
            found += [(n, h) for n, h in rows.iterator(chunk_size=2000) if n not in in_file]
        self.plan.missing = sorted(found)


def _existing(model, column: str, keys: Iterable[str]) -> list[str]:
    """The keys present in the table: one plain query per chunk, no ORM per-parameter preparation
    (an import into an empty registry asks about 170,000 keys and finds none)."""
    q = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for part in chunks(keys):
            cursor.execute(f"SELECT {q(column)} FROM {q(model._meta.db_table)} WHERE {q(column)} IN "
                           f"({', '.join(['%s'] * len(part))})", part)
            found += [row[0] for row in cursor.fetchall()]
    return found


def _net(values: dict) -> int:
    return sum(values[f] for f, _ in MONEY_FIELDS) - values["production_cost_fen"]
