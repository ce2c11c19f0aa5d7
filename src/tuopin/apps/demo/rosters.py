"""The demo county's department rosters (部门数据) for 2018 and 2020, with the faults of real ones, written through the
real import (policy.roster_import: each roster a csv, checked and matched exactly as an upload) — decision 1539.

Drawn from the generator's rows (`rows()` touches no database; `load_rosters` writes). "Registered" is a person of a
建档立卡 household identified by the roster's year and on the register at its end.

- dibao / tekun (民政局): the persons of households whose 贫困户属性 is 低保 / 特困, 保障金额 their share of the
  household's yearly 低保金 / 特困供养金; 2 % left out (eligible, not covered).
- medical (医疗保障局): every registered person less 1 %; pension (人社局): registered persons aged 16 or more and not
  in school, less 1.5 %; enrolment (教育局): registered pupils (primary to senior and vocational) with school and
  stage, less 1 %.
- death (公安局): the registry's persons who died in the year (inactive there already), and planted: 6 (2018) and 4
  (2020) registered persons aged 60 or more who died but are still active in the registry; 3 of 2018's and 1 of
  2020's are of 低保 / 特困 households and stay on the 2020 dibao / tekun roster (deceased still paid). The other
  planted dead are left off every later roster.
- vehicle, public_employee, business, property: people the registry does not hold (made-up names, valid ID numbers
  of the county's division that no registry person has), 2,000 / 1,500 / 1,200 / 1,500 rows at full size (scaled,
  at least 40), plus 5–15 members of registered households each (the misidentification signals).
- In every roster, each row independently: the ID number left out (0.7 %), one of its first 17 digits mistyped
  (0.7 %: the check digit then fails, so the linker reads the row by name, sex, birth date and village), one
  character of the name different (0.4 %). The planted dead keep their number, so they are matched by it.

At seed 1, full size, 2018 + 2020 (`rows()` returns the counts per roster): 182,988 rows; 1,246 ID numbers left
out, 1,291 mistyped, 745 names one character off; left out though eligible 316 + 311 低保/特困 persons, 361 + 391
medical, 438 + 513 pension, 20 + 22 pupils; 10 planted dead still active in the registry, 4 of them still paid in
2020; 76 registered persons on the vehicle, public-employee, business and property rosters.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from pathlib import Path

from tuopin.common import idnumber
from tuopin.standards.rosters import layout
from tuopin.synth import names
from tuopin.synth.rosters import TYPO_CHARACTERS

YEARS = (2018, 2020)
DIVISION = "220821"  # 镇赉县
LEFT_OUT = {"dibao": 0.02, "tekun": 0.02, "medical": 0.01, "pension": 0.015, "enrolment": 0.01}
P_ID_MISSING, P_ID_TYPO, P_NAME_TYPO = 0.007, 0.007, 0.004
OUTSIDERS = {"vehicle": 2000, "public_employee": 1500, "business": 1200, "property": 1500}
PLANTED_DEAD = {2018: (6, 3), 2020: (4, 1)}  # year: (planted, of them still paid on the 2020 roster)
# kind: the owning department's domain (one of the kind's in rosters.toml)
DOMAIN = {"dibao": "civil_affairs", "tekun": "civil_affairs", "medical": "medical_insurance", "pension": "hr",
          "enrolment": "education", "death": "police", "vehicle": "police", "public_employee": "finance",
          "business": "market", "property": "housing"}
STAGES = {"20": "小学", "30": "初中", "40": "高中", "41": "中职"}
SCHOOLING = {"10", "20", "30", "40", "41", "50"}
SEX = {"M": "男", "F": "女"}


def _index(columns) -> dict:
    return {c: i for i, c in enumerate(columns)}


class _People:
    """The generator's persons as the rosters need them: per year, the registered members."""

    def __init__(self, tables, place: dict):
        hc, hrows = tables["household"]
        hi = _index(hc)
        self.households = {r[hi["id"]]: (r[hi["identified_year"]] if r[hi["is_registered"]] else None,
                                         r[hi["attribute"]], place[r[hi["village_id"]]]) for r in hrows}
        pc, prows = tables["person"]
        pi = _index(pc)
        self.persons = {r[pi["id"]]: {"id": r[pi["id"]], "household": r[pi["household_id"]], "name": r[pi["name"]],
                                      "id_number": r[pi["id_number"]], "sex": r[pi["sex"]],
                                      "birth": r[pi["birth_date"]], "left_on": r[pi["left_on"]],
                                      "left_reason": r[pi["left_reason"]]} for r in prows}
        yc, yrows = tables["personyear"]
        yi = _index(yc)
        self.school: dict[int, dict[int, str]] = {y: {} for y in YEARS}
        for r in yrows:
            if r[yi["year"]] in self.school:
                self.school[r[yi["year"]]][r[yi["person_id"]]] = r[yi["school_status"]]
        hyc, hyrows = tables["householdyear"]
        hyi = _index(hyc)
        self.support = {(r[hyi["household_id"]], r[hyi["year"]]): (r[hyi["dibao_fen"]], r[hyi["tekun_fen"]],
                                                                   r[hyi["members"]])
                        for r in hyrows if r[hyi["year"]] in YEARS}

    def registered(self, year: int) -> list[dict]:
        out = []
        for pid in sorted(self.school[year]):
            p = self.persons[pid]
            identified = self.households[p["household"]][0]
            if identified is not None and identified <= year:
                out.append(p)
        return out


def rows(tables, *, place: dict, seed: int, scale: float) -> tuple[dict, dict]:
    """({(kind, year): [row dicts keyed by the layout's column names]}, {"faults": {(kind, year): {fault: count}},
    "planted": the planted dead {year: [(person id, still paid)]}}). `place`: village id → (county, township,
    village) names."""
    rng = random.Random(f"{seed}:rosters")
    people = _People(tables, place)
    taken = {p["id_number"] for p in people.persons.values()}
    planted: dict[int, list[tuple[int, bool]]] = {}
    dead_on: dict[int, dt.date] = {}
    for year, (n, paid) in PLANTED_DEAD.items():
        old = [p for p in people.registered(year) if year - p["birth"].year >= 60 and p["left_on"] is None
               and p["id"] not in dead_on]
        supported = [p for p in old if people.households[p["household"]][1] in ("04", "06")]
        still = rng.sample(supported, min(paid, len(supported)))
        others = rng.sample([p for p in old if p not in still], min(n - len(still), len(old) - len(still)))
        planted[year] = [(p["id"], True) for p in still] + [(p["id"], False) for p in others]
        for p in still + others:
            # a still-paid death of 2020 falls early in the year: the year-end roster still pays a dead person
            dead_on[p["id"]] = _day(rng, year, last_month=3 if (p in still and year == 2020) else 12)
    paid_dead = {pid for year in planted for pid, still in planted[year] if still}
    out: dict = {}
    faults: dict = {}
    for year in YEARS:
        gone = {pid for pid, day in dead_on.items() if day.year < year and pid not in paid_dead}
        members = [p for p in people.registered(year) if p["id"] not in gone]
        draw = _Draw(rng, paid_dead)
        made = {
            "dibao": _support(draw, people, members, year, "04"),
            "tekun": _support(draw, people, members, year, "06"),
            "medical": [_common(people, p) | {"参保类别": "资助参保"} for p in draw.kept(members, "medical")],
            "pension": _pension(draw, people, members, year),
            "enrolment": _enrolment(draw, people, members, year),
            "death": _deaths(people, year, dead_on),
        }
        for kind, size in OUTSIDERS.items():
            made[kind] = _outsiders(rng, kind, max(40, round(size * scale)), taken)
            insiders = rng.sample(members, min(rng.randint(5, 15), len(members)))
            made[kind] += [_common(people, p) | _own(rng, kind) for p in insiders]
            faults[(kind, year)] = {"registered_members": len(insiders)}
            rng.shuffle(made[kind])
        for kind, rows_ in made.items():
            counts = faults.setdefault((kind, year), {})
            counts["rows"] = len(rows_)
            keep = {people.persons[pid]["id_number"] for pid in dead_on}
            for row in rows_:
                for fault in _spoil(rng, row, keep):
                    counts[fault] = counts.get(fault, 0) + 1
            out[(kind, year)] = rows_
        faults[("death", year)]["deceased_still_registered"] = len(planted[year])
        on_support = {r["证件号码"] for r in out[("dibao", year)] + out[("tekun", year)]}
        for kind in ("dibao", "tekun"):
            faults[(kind, year)]["deceased_still_paid"] = sum(
                1 for pid in paid_dead if dead_on[pid].year <= year and people.persons[pid]["id_number"] in on_support
                and people.households[people.persons[pid]["household"]][1] == ("04" if kind == "dibao" else "06"))
        for kind, n in draw.left_out.items():
            faults[(kind, year)]["left_out"] = n
    return out, {"faults": faults, "planted": planted}


def _day(rng: random.Random, year: int, last_month: int = 12) -> dt.date:
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(year, last_month, 28) - start).days))


def _common(people: _People, p: dict) -> dict:
    county, township, village = people.households[p["household"]][2]
    return {"姓名": p["name"], "证件号码": p["id_number"], "性别": SEX[p["sex"]], "出生日期": p["birth"].isoformat(),
            "县": county, "乡": township, "行政村": village}


class _Draw:
    """The roster stream, the planted still-paid dead (never left out: they are the point) and the eligible left
    out per kind."""

    def __init__(self, rng: random.Random, keep: set[int]):
        self.rng, self.keep = rng, keep
        self.left_out: dict[str, int] = {}

    def kept(self, members: list[dict], kind: str) -> list[dict]:
        kept = [p for p in members if p["id"] in self.keep or self.rng.random() >= LEFT_OUT[kind]]
        self.left_out[kind] = len(members) - len(kept)
        return kept


def _support(draw: _Draw, people: _People, members, year: int, attribute: str) -> list[dict]:
    out = []
    field = 0 if attribute == "04" else 1
    for p in draw.kept([p for p in members if people.households[p["household"]][1] == attribute],
                   "dibao" if attribute == "04" else "tekun"):
        identified = people.households[p["household"]][0] or year  # registered members only: never None
        support = people.support.get((p["household"], year), (0, 0, 1))
        money, n = support[field], support[2] or 1
        out.append(_common(people, p) | {"保障金额": f"{money / n / 100:.2f}" if money else "",
                                         "开始日期": _day(draw.rng, identified).isoformat()})
    return out


def _pension(draw: _Draw, people: _People, members, year: int) -> list[dict]:
    adults = [p for p in members if year - p["birth"].year >= 16 and people.school[year].get(p["id"]) not in SCHOOLING]
    return [_common(people, p) | ({"缴费档次": "100", "代缴": "是"} if year - p["birth"].year < 60 else {"代缴": "否"})
            for p in draw.kept(adults, "pension")]


def _enrolment(draw: _Draw, people: _People, members, year: int) -> list[dict]:
    out = []
    for p in draw.kept([p for p in members if people.school[year].get(p["id"]) in STAGES], "enrolment"):
        stage = people.school[year][p["id"]]
        township = people.households[p["household"]][2][1]
        school = {"20": f"{township}中心学校", "30": f"{township}中心学校", "40": "镇赉县第一中学",
                  "41": "镇赉县职业技术教育中心"}[stage]
        out.append(_common(people, p) | {"学校": school, "学段": STAGES[stage], "在校状态": "在校"})
    return out


def _deaths(people: _People, year: int, dead_on: dict) -> list[dict]:
    out = [_common(people, p) | {"死亡日期": p["left_on"].isoformat()} for p in people.persons.values()
           if p["left_reason"] == "死亡" and p["left_on"] and p["left_on"].year == year]
    out += [_common(people, people.persons[pid]) | {"死亡日期": day.isoformat()}
            for pid, day in sorted(dead_on.items()) if day.year == year]
    return out


def _own(rng: random.Random, kind: str) -> dict:
    if kind == "vehicle":
        return {"号牌号码": names.plate(rng), "车辆类型": rng.choice(("小型轿车", "小型普通客车", "轻型货车", "三轮汽车"))}
    if kind == "public_employee":
        unit = rng.choice([f"{names.COUNTY}{n}" for n, _ in names.DEPARTMENTS]
                          + [names.COUNTY + n[1:] if n.startswith("县") else n for n in names.INSTITUTIONS])
        return {"工作单位": unit,
                "职务": rng.choice(("科员", "办事员", "教师", "医生", "护士", "技术员"))}
    if kind == "business":
        code = f"92{DIVISION}MA{rng.randrange(10 ** 9):09d}"[:18]
        return {"统一社会信用代码": code, "企业名称": f"镇赉县{rng.choice(('农资经销部', '养殖场', '粮食收购点', '便利店', '汽车修理部'))}",
                "登记状态": "存续" if rng.random() < 0.85 else "注销"}
    return {"房屋坐落": f"镇赉县镇赉镇{rng.choice(('幸福', '和平', '站前', '滨河', '嫩江'))}小区{rng.randint(1, 30)}号楼"
                        f"{rng.randint(1, 6)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}",
            "面积": f"{rng.uniform(45, 140):.2f}"}


def _outsiders(rng: random.Random, kind: str, n: int, taken: set) -> list[dict]:
    out = []
    for _ in range(n):
        sex = "M" if rng.random() < 0.55 else "F"
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 50))
        while True:  # a number no registry person (nor an earlier outsider) has
            number = idnumber.make(DIVISION, birth, rng.randrange(500), sex)
            if number not in taken:
                break
        taken.add(number)
        out.append({"姓名": names.full_name(rng, sex, birth.year), "证件号码": number, "性别": SEX[sex],
                    "出生日期": birth.isoformat(), "县": names.COUNTY, "乡": "镇赉镇", "行政村": ""} | _own(rng, kind))
    return out


def _spoil(rng: random.Random, row: dict, keep: set) -> list[str]:
    """Plant a real file's faults in the row (see the module's docstring); the kinds planted."""
    done = []
    if row["证件号码"] not in keep:
        u = rng.random()
        if u < P_ID_MISSING:
            row["证件号码"] = ""
            done.append("id_missing")
        elif u < P_ID_MISSING + P_ID_TYPO:
            number, k = row["证件号码"], rng.randrange(17)
            row["证件号码"] = number[:k] + rng.choice([c for c in "0123456789" if c != number[k]]) + number[k + 1:]
            done.append("id_mistyped")
    if rng.random() < P_NAME_TYPO:
        name, k = row["姓名"], rng.randrange(len(row["姓名"]))
        row["姓名"] = name[:k] + rng.choice([c for c in TYPO_CHARACTERS if c != name[k]]) + name[k + 1:]
        done.append("name_typo")
    return done


def write_csv(path: Path, kind: str, rows_: list[dict]) -> None:
    headers = [c.name for c in layout(kind).columns]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(headers)
        w.writerows([[r.get(h, "") for h in headers] for r in rows_])


def load_rosters(tables, *, seed: int, scale: float) -> dict:
    """Import every roster of YEARS as its department's upload; {"rosters": n, "entries": n, "faults": …,
    "planted": …}. A refused roster stops the build: the generator and the import disagree."""
    from tuopin.apps.geo.models import Region
    from tuopin.apps.organisation.models import Unit, UnitKind
    from tuopin.apps.policy.matching import registry_persons
    from tuopin.apps.policy.roster_import import roster_import

    regions = {pk: (name, parent) for pk, name, parent in Region.objects.values_list("id", "name", "parent_id")}
    place = {}
    for pk, (name, parent) in regions.items():
        township = regions.get(parent)
        county = regions.get(township[1]) if township else None
        place[pk] = (county[0] if county else "", township[0] if township else "", name)
    made, truth = rows(tables, place=place, seed=seed, scale=scale)
    units: dict[str, Unit] = {}
    for unit in Unit.objects.filter(kind=UnitKind.DEPARTMENT).exclude(domain="").order_by("id"):
        units.setdefault(unit.domain, unit)
    entries = 0
    registry = registry_persons()  # the rosters change no person: one read for all of them
    with tempfile.TemporaryDirectory(prefix="tuopin-demo-rosters-") as tmp:
        for (kind, year), rows_ in made.items():
            unit = units[DOMAIN[kind]]
            path = Path(tmp) / f"{unit.name}_{layout(kind).label}_{year}.csv"
            write_csv(path, kind, rows_)
            result = roster_import(path, kind=kind, year=year, by=None, department=unit, source="demo",
                                   registry=registry)
            if not result.ok:
                raise RuntimeError(f"the demo roster {kind} {year} was refused: {result.problems[:3]}")
            entries += result.rows
    return {"rosters": len(made), "entries": entries, **truth}
