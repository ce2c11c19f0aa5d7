"""防返贫动态监测 in the demo county 2021–2025: who is taken under monitoring, through which channel, when,
with which measures; who is turned down at the village review; whose risk is removed; who returns to poverty
(decision 1440). The decisions follow the year's record: a household is a candidate when the record shows what
the monitoring rules look for (`record_facts`), and most inclusions are candidates.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

KINDS = ("unstable", "marginal", "sudden")       # 脱贫不稳定户, 边缘易致贫户, 突发严重困难户
KIND_NAME = {"unstable": "脱贫不稳定户", "marginal": "边缘易致贫户", "sudden": "突发严重困难户"}
CHANNELS = ("engine", "cadre_visit", "self_report", "department_alert")
# A risk named for a shock is shown by that shock's fact in the year's record.
RISK_FACT = {"因病": "medical", "因学": "education", "因灾": "disaster", "因产业失败": "business",
             "因意外": "labourer", "因务工不稳": "wage"}   # wage: wages fell by 30 % or more on the year before
# What each risk brings: 产业 (industry), 就业 (employment), 健康 (health), 教育 (schooling), 兜底 (social
# assistance), 临时救助 (temporary relief in the year of inclusion).
MEASURES = {"因病": ("健康", "临时救助"), "因学": ("教育",), "因灾": ("临时救助", "产业"), "因产业失败": ("产业",),
            "因务工不稳": ("就业",), "因意外": ("就业", "临时救助"), "缺劳动力": ("兜底",), "因残": ("兜底", "就业"),
            "其他": ("就业", "产业")}
STABLE_DAYS = 183   # risk removed no sooner than six months after inclusion ([monitoring.rules])


@dataclass(slots=True)
class Case:
    """One monitoring case: a household found in `year`, taken under monitoring (included) or turned down."""

    year: int
    kind: str                    # KINDS
    risks: tuple                 # 因病 因学 因残 因灾 因意外 因产业失败 因务工不稳 缺劳动力 其他
    channel: str                 # CHANNELS
    clue_on: dt.date             # the first clue: the shock, the engine's screening, the visit, the application
    decided_on: dt.date          # the county's decision after the village review and the township's check
    included: bool
    facts: tuple = ()            # what the year's record shows of the monitoring rules' facts
    measures: tuple = ()
    removed_on: dt.date | None = None
    returned_on: dt.date | None = None

    def open_at(self, day: dt.date) -> bool:
        return (self.included and self.decided_on <= day and (self.removed_on is None or self.removed_on > day)
                and (self.returned_on is None or self.returned_on > day))


def record_facts(*, pc: int, prev_pc: int | None, spend: int, n: int, line: int, shocks, gap: bool) -> tuple:
    """The monitoring rules' facts that a household-year record shows (money in fen, `line` per person)."""
    out = []
    if pc < line:
        out.append("low")
    if prev_pc and pc < 0.7 * prev_pc and pc < 2 * line:
        out.append("fall")
    if spend and pc >= line and pc - spend // n < line:
        out.append("rigid")
    if shocks.disaster_fen:
        out.append("disaster")
    if shocks.business_failed:
        out.append("business")
    if shocks.labourer is not None:
        out.append("labourer")
    if gap:
        out.append("gap")
    return tuple(out)


def risks_of(shocks, *, med_share: float, edu_share: float, disabled: bool, able: bool, job_lost: bool) -> tuple:
    """The case's risks (致贫/返贫风险), the heaviest first."""
    out = []
    if shocks.labourer is not None:
        out.append("因意外" if shocks.labourer_died or not shocks.acute else "因病")
    if shocks.business_failed:
        out.append("因产业失败")
    if shocks.disaster_fen:
        out.append("因灾")
    if med_share >= 0.25 and shocks.medical_fen:
        out.append("因病")
    if edu_share >= 0.2 and shocks.education_fen:
        out.append("因学")
    if job_lost:
        out.append("因务工不稳")
    if not out:
        out.append("因残" if disabled else "缺劳动力" if not able else "其他")
    return tuple(dict.fromkeys(out))


def inclusion_chance(facts: tuple, margin: float, registered: bool) -> float:
    """How likely the village review takes a candidate in: `margin` is income after rigid spending ÷ the line."""
    if not facts:
        return 0.0
    shock = any(f in facts for f in ("disaster", "business", "labourer", "fall", "gap"))
    if margin < 0.7:
        chance = 0.4
    elif margin < 0.9:
        chance = 0.12
    elif margin < 1.0:
        chance = 0.05
    elif margin < 1.3 and shock:
        chance = 0.015
    else:
        chance = 0.002
    if "low" not in facts and not shock:
        chance *= 0.5   # the spending alone: the village weighs whether it lasts
    return chance if registered else chance * 0.4


def channel_for(rng: random.Random, risks: tuple, candidate: bool) -> str:
    if not candidate:
        return "cadre_visit" if rng.random() < 0.7 else "self_report"
    r = rng.random()
    if r < 0.15 and any(k in risks for k in ("因病", "因学", "因灾")):
        return "department_alert"  # 医保, 教育, 应急管理 departments' data
    return "engine" if r < 0.72 else "cadre_visit" if r < 0.88 else "self_report"


# The engine's screenings of the year's data, quarterly: a clue is found at the first one after the shock.
SCREENINGS = ((3, 31), (6, 30), (9, 30), (11, 30))


def clue_and_decision(rng: random.Random, year: int, shock_on: dt.date | None, channel: str) -> tuple:
    """(clue_on, decided_on): mostly within 15 days of the clue, a few late, all within the year."""
    start = shock_on or dt.date(year, 1, 1) + dt.timedelta(days=int(rng.random() * 300))
    if channel == "engine":
        clue = next((dt.date(year, m, dd) for m, dd in SCREENINGS if dt.date(year, m, dd) >= start),
                    dt.date(year, 11, 30))
    elif channel == "department_alert":
        clue = start + dt.timedelta(days=3 + int(rng.random() * 20))
    else:
        clue = start + dt.timedelta(days=int(rng.random() * 40))
    late = rng.random() < 0.08
    delay = 16 + int(rng.random() * 30) if late else 3 + int(rng.random() * 13)
    last = dt.date(year, 12, 28)
    clue = min(clue, last - dt.timedelta(days=delay))
    return clue, clue + dt.timedelta(days=delay)


def measures_for(risks: tuple, able: bool) -> tuple:
    out: list[str] = []
    for r in risks:
        for m in MEASURES[r]:
            if m == "就业" and not able:
                m = "兜底"
            if m not in out:
                out.append(m)
    return tuple(out)


def removal_day(rng: random.Random, case: Case, year: int) -> dt.date | None:
    """The year-end review's day for a case eligible in `year`, if six months have passed by then."""
    day = dt.date(year, 11, 15) + dt.timedelta(days=int(rng.random() * 36))
    return day if (day - case.decided_on).days >= STABLE_DAYS else None


def counts_from_events(columns: tuple, rows: list, years) -> dict:
    """year → monitoring figures read from status event rows: taken under monitoring by kind (the reason names
    the kind), risk removed, returned to poverty, exited again."""
    ix = {name: i for i, name in enumerate(columns)}
    kind_of = {name: kind for kind, name in KIND_NAME.items()}
    out: dict[int, dict[str, Any]] = {y: {"included": dict.fromkeys(KINDS, 0), "risk_removed": 0, "returned": 0, "re_exited": 0} for y in years}
    for r in rows:
        year = r[ix["year"]]
        if year not in out or r[ix["stage"]] != "announced":
            continue
        kind = r[ix["kind"]]
        if kind == "monitoring_in":
            out[year]["included"][kind_of.get(r[ix["reason"]].split("（")[0], "unstable")] += 1
        elif kind == "risk_removed":
            out[year]["risk_removed"] += 1
        elif kind == "returned":
            out[year]["returned"] += 1
        elif kind == "exited":
            out[year]["re_exited"] += 1
    return out
