"""The consolidation years 2021–2025 (巩固拓展脱贫攻坚成果): the county's households carried on from their 2020
record, year by year — people ageing, born and dying, incomes growing, the year's shocks (risk.py) cutting them,
monitoring (cases.py) finding some households and helping them back up (decision 1440).

Everything here draws from its own stream (`{seed}:after`), after the first years' rows are written, so the
published figures of 2015–2020 never move. The rows are appended to the first years' (their ids follow on).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

from . import cases as c
from . import distributions as d
from . import risk
from .people import Household, Person, _date_in, make_person
from .records import HOUSEHOLD_YEAR_COLUMNS, MONEY, STUDYING, _u
from .story import EXITED, MONITORED, RETURNED, Event, ask_engine

HY = {name: i for i, name in enumerate(HOUSEHOLD_YEAR_COLUMNS)}
W, B, PROP, DIV, DIBAO, TEKUN, PENSION, FAMILY, ECO, OTHER, UNITEMISED = range(len(MONEY))


@dataclass(slots=True)
class State:
    """A household's money as it would stand without the year's shocks (fen, floats), and what lingers."""

    lines: list                      # MONEY order; lines[B] is gross business income
    cost_ratio: float
    wage_scar: float = 1.0           # what a lost job or a lost labourer leaves of wages, recovering
    biz_scar: float = 1.0            # what a failed business or a disaster leaves of business income
    pc: int = 0                      # last year's income per person (fen)
    wage: int = 0                    # last year's wage income (fen)
    biz_net: list = field(default_factory=list)   # business net income by year
    hit: bool = False                # a disaster last year
    short_months: bool = False       # an earner worked six months or less last year
    costs: dict = field(default_factory=dict)     # person id → a lasting illness's yearly cost (yuan)
    case: c.Case | None = None       # the open monitoring case
    applied: set = field(default_factory=set)     # one-off measures already felt (a job found, a project)
    poor_since: int | None = None    # returned to poverty in this year, not yet exited again
    poor: dict = field(default_factory=dict)      # year → poor at the end of it (what the engine must say)


def continue_story(rng: random.Random, villages: list[dict], households: list[Household], persons: list[Person],
                   ids, hy: list, py: list, counts: dict, t: d.Targets, scale: float, stamp) -> dict:
    """Append the 2021–2025 household-year and person-year rows and events. Returns the summary per year."""
    exposure = {v["code"]: 0.5 + rng.random() for v in villages}
    disasters = risk.disaster_villages(rng, villages, exposure)
    states = _start(rng, households, hy)
    summary: dict = {}
    static_of: dict = {}
    for year in d.AFTER_YEARS:
        year_rng = random.Random(f"{rng.random()}:{year}")
        ctx = _Year(year_rng, year, disasters[year], t, scale, stamp, hy, py, counts, persons, ids, static_of)
        for h in households:
            st = states.get(h.id)
            if st is not None:
                ctx.household(h, st)
        ctx.finish(households, states)
        summary[year] = ctx.counts
    ask_engine(households, d.AFTER_YEARS)
    for h in households:
        st = states.get(h.id)
        for year in d.AFTER_YEARS:
            if st is not None and h.poor_at_end.get(year, False) != st.poor.get(year, False):
                raise RuntimeError(f"household {h.id}: the story and the engine disagree on {year}")
    return summary


def _start(rng: random.Random, households: list[Household], hy: list) -> dict[int, State]:
    """Each household with a 2020 record, its money from that record; the 2020 cases and returns carried on."""
    last = {r[1]: r for r in hy if r[2] == 2020}
    states = {}
    for h in households:
        row = last.get(h.id)
        if row is None:
            continue
        lines = [float(row[HY[m]]) for m in MONEY]
        gross = lines[B]
        st = State(lines, (row[HY["production_cost_fen"]] / gross) if gross > 0 else 0.4,
                   pc=row[HY["per_capita_net_income_fen"]], wage=row[HY["wage_income_fen"]],
                   biz_net=[gross - row[HY["production_cost_fen"]]])
        for e in h.events:
            if e.kind == "monitoring_in" and e.year == 2020:
                clue = e.on - dt.timedelta(days=3 + int(rng.random() * 12))
                st.case = c.Case(2020, "unstable", (h.risk,), "cadre_visit", clue, e.on, True, ("low",),
                                 c.measures_for((h.risk,), True))
                h.cases.append(st.case)
        if h.poor_at_end.get(2020):
            st.poor_since = 2020
        else:
            _catch_up(rng, h, st, row[HY["members"]])
        states[h.id] = st
    return states


def _catch_up(rng: random.Random, h: Household, st: State, n: int) -> None:
    """2021: incomes of the exited rise faster than the others' (产业 and 就业 support, the 2021 rise of 低保 and
    pensions; 脱贫人口 income nationally +16.9 %), to a level that depends on who can work; the others by the
    year's rural growth. Applied to the lasting level, the lines in proportion."""
    able = any(p.labour in ("1", "2") and 16 <= p.age(2021) <= 64 for p in h.members if p.member_in(2020))
    if h.identified is not None:
        target = (12_000 if able else 8_800) * 100 * math.exp(rng.gauss(0.0, 0.25))
    else:  # the bottom of the others rises too (低保 and pensions raised, wages): few stay below the line
        target = d.MONITORING_LINE_YUAN[2021] * 100 * math.exp(rng.gauss(0.4, 0.25))
    k = max(1.06 + 0.06 * rng.random(), target / st.pc if st.pc > 0 else 1.0)
    st.lines = [x * k for x in st.lines]


class _Year:
    """One year of the county: each household in turn (`household`), then the year's returns (`finish`)."""

    def __init__(self, rng, year, disaster, t, scale, stamp, hy, py, counts, persons, ids, static_of):
        self.static_of = static_of
        self.rng, self.year, self.t, self.scale, self.stamp = rng, year, t, scale, stamp
        self.kind, self.hit, self.first, self.last = disaster
        self.share_hit = risk.DISASTERS[year][3]
        self.hy, self.py, self.village_counts, self.persons, self.ids = hy, py, counts, persons, ids
        self.line = d.POVERTY_LINE_YUAN[year] * 100
        self.mline = d.MONITORING_LINE_YUAN[year] * 100
        self.harvest: dict[str, float] = {}
        # (household, state, case, members, row index, income per person, exited, facts_at) that could return
        self.pending: list = []
        self.counts: dict[str, Any] = {"included": dict.fromkeys(c.KINDS, 0), "turned_down": 0, "candidates": 0,
                       "by_channel": dict.fromkeys(c.CHANNELS, 0), "risk_removed": 0, "returned": 0,
                       "re_exited": 0, "monitored_at_end": 0, "shocks": {"medical": 0, "disaster": 0, "business": 0,
                                                                         "labourer": 0, "job": 0}}

    # ---- one household ----------------------------------------------------------------------------------------
    def household(self, h: Household, st: State) -> None:
        rng, year = self.rng, self.year
        self._demography(h)
        members = [p for p in h.members if p.member_in(year)]
        if not members:
            return
        n = len(members)
        registered = h.identified is not None
        shocks, able = self._shocks(h, st, members, registered)
        members = [p for p in members if p.member_in(year)]   # the main labourer may have died
        n = len(members)
        lines, cost, wage_cut = self._income(h, st, shocks, members, registered)
        if st.case is not None and "健康" in st.case.measures:
            shocks.medical_fen //= 2
        if st.case is not None and "教育" in st.case.measures:
            shocks.education_fen = int(shocks.education_fen * 0.3)
        spend = shocks.medical_fen + shocks.education_fen
        net = int(sum(lines) - cost)
        case, returning, re_exit = None, False, False
        if st.poor_since is not None:
            if year > st.poor_since and rng.random() < self.t.re_exit_share:  # measures lift it out again
                net = self._set_net(lines, cost, n, max(net / n, self.mline * (1.05 + 0.35 * rng.random())))
                re_exit = True
            else:
                net = self._set_net(lines, cost, n, min(net / n, self.line * (0.7 + 0.25 * rng.random())))
        else:
            facts = c.record_facts(pc=net // n, prev_pc=st.pc, spend=spend, n=n, line=self.mline, shocks=shocks,
                                   gap=shocks.water_gap)
            if facts:
                self.counts["candidates"] += 1
            if st.case is None:
                case = self._maybe_include(h, st, facts, shocks, members, net, spend, able, registered, lines[W])
                if case is not None and case.included:
                    if "临时救助" in case.measures:
                        lines[OTHER] += int(1_000 + 2_000 * rng.random()) * 100
                    net = int(sum(lines) - cost)
                    returning = net // n < self.mline   # relief or a return to poverty (finish)
            elif net // n <= self.line:  # a monitored household hit again: relief keeps it above the line
                net = self._relieve(lines, cost, n, self.line * (1.05 + 0.25 * rng.random()))
        pc = net // n
        gap = shocks.water_gap and not re_exit
        prev_pc = st.pc

        def facts_at(pc: int) -> tuple:  # what the final record shows
            return c.record_facts(pc=pc, prev_pc=prev_pc, spend=spend, n=n, line=self.mline, shocks=shocks, gap=gap)

        if case is not None:
            case.facts = facts_at(pc)
        row = self._write(h, st, members, lines, cost, net, shocks, gap, registered, wage_cut)
        if re_exit:
            self._re_exit(h, st, n)
        elif st.case is not None and case is None:
            self._review(h, st, pc, spend, n, gap, able)
        if case is not None and case.included:
            st.case = case
            self._include_event(h, case, n)
            if returning:
                self.pending.append((h, st, case, n, row, pc, registered and h.exit_year is not None, facts_at))
        st.poor[year] = st.poor_since is not None
        if st.case is not None and st.case.open_at(dt.date(year, 12, 31)):
            self.counts["monitored_at_end"] += 1
        st.pc, st.wage = pc, lines[W]
        st.biz_net.append(lines[B] - cost)
        st.hit = bool(shocks.disaster_fen)
        st.wage_scar += (1 - st.wage_scar) * (0.55 if st.case is not None else 0.3)
        st.biz_scar += (1 - st.biz_scar) * (0.55 if st.case is not None else 0.3)

    def static(self, p: Person) -> tuple:
        """What does not change about a person: school status by age, two fixed draws, the birth year."""
        known = self.static_of.get(p.id)
        if known is None:
            known = self.static_of[p.id] = (d.SCHOOL[d.school_class(p.school_u)][bool(p.disabled and (p.grade or 9) <= 2)],
                                            _u(p, 1), _u(p, 2), p.birth.year)
        return known

    def _demography(self, h: Household) -> None:
        """Deaths of elders (never the head) and births, as the first years had them."""
        rng, year = self.rng, self.year
        present = [p for p in h.members if p.member_in(year - 1)]
        for p in present:
            if p.relation != "01" and p.age(year) >= 70 and rng.random() < 0.025 * (1 + (p.age(year) - 70) / 10):
                p.left_on, p.left_reason = _date_in(rng, year), "死亡"
        mother = next((p for p in present if p.relation in ("02", "06") and 22 <= p.age(year) <= 40
                       and p.left_on is None), None)
        if mother is not None and len(present) < 7 and rng.random() < 0.035:
            sex = "M" if rng.random() < 0.52 else "F"
            relation = ("03" if sex == "M" else "04") if mother.relation == "02" else "07"
            head = h.members[0]
            p = make_person(rng, self.ids, h, len(self.persons) + 1, relation, sex, _date_in(rng, year),
                            head.ethnicity, head.name[0], len(h.members) + 1)
            p.joined, p.education, p.labour = year, "0", "5"
            h.members.append(p)
            self.persons.append(p)

    def _shocks(self, h: Household, st: State, members: list, registered: bool):
        rng, year = self.rng, self.year
        s = risk.Shocks()
        ages = [year - self.static(p)[3] for p in members]
        labourers = [p for p, a in zip(members, ages) if p.labour in ("1", "2") and 16 <= a <= 64
                     and p.unable_from is None]
        earners = [p for p in labourers if p.work_status in ("1", "2", "3")]
        # Labour capacity (有劳动能力): someone who can still work, if only part-time (弱/半劳动力).
        capable = [p for p, a in zip(members, ages) if p.labour in ("1", "2", "3") and 16 <= a <= 69
                   and p.unable_from is None]
        # Medical: lasting illnesses cost every year; a serious illness strikes by age, some of it lasting.
        yuan = 0.0
        edu = 0.0
        for p, age in zip(members, ages):
            lo_hi = risk.SCHOOL_COST.get(self.static(p)[0][age])
            if lo_hi:  # schooling: senior school and college cost, known from the children's ages
                edu += lo_hi[0] + (lo_hi[1] - lo_hi[0]) * rng.random()
            base = st.costs.get(p.id)
            if base is None and (p.chronic or p.serious):
                base = st.costs[p.id] = risk.lognormal_yuan(rng, *(risk.SERIOUS_COST if p.serious
                                                                   else risk.CHRONIC_COST))
            if base:
                yuan += base * (0.7 + 0.7 * rng.random())
            if rng.random() < risk.acute_chance(age, p.chronic or p.serious or p.id in st.costs):
                yuan += min(risk.ACUTE_CAP, risk.lognormal_yuan(rng, *risk.ACUTE_COST))
                s.acute = True
                s.dates.setdefault("medical", risk.day_in(rng, year))
                if rng.random() < 0.4:
                    st.costs[p.id] = risk.lognormal_yuan(rng, 4_000, 0.6)
        share = risk.REGISTERED_MEDICAL_SHARE if registered else 1.0
        s.medical_fen = int(yuan * share) * 100
        s.education_fen = int(edu * (risk.REGISTERED_SCHOOL_SHARE if registered else 1.0)) * 100
        # The village's disaster.
        severity = self.hit.get(h.village)
        if severity and rng.random() < self.share_hit:
            s.crop_loss = severity * (0.3 + 0.6 * rng.random())
            property_yuan = 3_000 + 27_000 * rng.random() if self.kind == "flood" and rng.random() < 0.35 else 0
            loss = int(st.lines[B] * st.biz_scar * s.crop_loss + property_yuan * 100)
            s.water_gap = self.kind == "drought" and rng.random() < 0.12
            # A small loss lowers the year's income but is not registered as a disaster (decision 1440).
            if loss >= risk.DISASTER_RECORDED * (sum(st.lines) - st.lines[B] * st.cost_ratio):
                s.disaster_fen = loss
                s.dates["disaster"] = risk.day_in(rng, year, self.first, self.last)
        net = sum(st.lines) - st.lines[B] * st.cost_ratio
        business_share = st.lines[B] * (1 - st.cost_ratio) / net if net > 0 else 0.0
        fell = len(st.biz_net) >= 2 and st.biz_net[-1] < 0.85 * st.biz_net[-2]
        if rng.random() < risk.business_failure_chance(business_share, fell, st.hit):
            s.business_failed, s.business_cut = True, 0.1 + 0.4 * rng.random()
            st.biz_scar = min(st.biz_scar, 0.4 + 0.3 * rng.random())
            s.dates["business"] = risk.day_in(rng, year, (4, 1), (11, 15))
        wage_share = st.lines[W] / net if net > 0 else 0.0
        if rng.random() < risk.job_loss_chance(year, wage_share, len(earners), st.short_months):
            s.job_cut = 0.3 + 0.4 * rng.random()
            st.wage_scar = min(st.wage_scar, 0.5 + 0.3 * rng.random())
            s.dates["job"] = risk.day_in(rng, year)
        main = labourers[0] if labourers else None
        if main is not None and rng.random() < risk.labourer_loss_chance(main.age(year), main.chronic or main.serious):
            s.labourer = main
            s.labourer_died = main.relation != "01" and rng.random() < 0.4
            on = risk.day_in(rng, year)
            s.dates["labourer"] = on
            if s.labourer_died:
                main.left_on, main.left_reason = on, "死亡"
            else:
                main.unable_from = year
            if main in capable:
                capable.remove(main)
        return s, bool(capable)

    def _income(self, h: Household, st: State, s, members: list, registered: bool):
        """This year's income lines and production cost: the lasting level grown, then cut by the shocks."""
        rng, year = self.rng, self.year
        lines = st.lines
        exited = registered and h.exit_year is not None
        if year == 2021:
            fast = 1.0   # the year's rise is in the catch-up (_catch_up)
        else:
            fast = (1.07 + 0.05 * rng.random()) if exited else (1.05 + 0.04 * rng.random())
        harvest = self.harvest.get(h.village)
        if harvest is None:
            harvest = self.harvest[h.village] = 0.93 + 0.14 * self.rng.random()
        lines[W] *= fast
        if year > 2021:
            lines[B] *= (1.02 + 0.05 * rng.random()) * (1.04 if exited else 1.0)
            for k, g in ((PROP, 1.04), (DIV, 1.0), (DIBAO, 1.06), (TEKUN, 1.06), (PENSION, 1.05), (OTHER, 1.03)):
                lines[k] *= g
        case = st.case
        if case is not None and case.year < year:   # the measures of a case taken in an earlier year
            if "就业" in case.measures and "就业" not in st.applied and any(
                    p.labour in ("1", "2", "3") and 16 <= p.age(year) <= 60 and p.unable_from is None
                    for p in members):
                lines[W] += (5_000 + 4_000 * rng.random()) * 100
                st.wage_scar = max(st.wage_scar, 0.9)
                st.applied.add("就业")
            if "产业" in case.measures and "产业" not in st.applied:
                lines[B] *= 1.15 + 0.2 * rng.random()
                st.biz_scar = max(st.biz_scar, 0.85)
                st.applied.add("产业")
            if "兜底" in case.measures:
                others = sum(lines) - lines[DIBAO] - lines[B] * st.cost_ratio
                lines[DIBAO] = max(lines[DIBAO], d.DIBAO_RURAL_YUAN[year] * 100 * len(members) * 1.02 - others)
        if s.labourer is not None:  # the labourer's part of the wages is gone for good
            if s.labourer.work_status in ("1", "2", "3"):
                lines[W] *= 1 - 1 / max(1, sum(1 for p in members if p.work_status in ("1", "2", "3")))
            st.biz_scar = min(st.biz_scar, 0.7 + 0.2 * rng.random())
        wage_cut = s.job_cut
        if s.acute:
            wage_cut *= 0.6 + 0.4 * rng.random()
        out = list(lines)
        out[W] = lines[W] * st.wage_scar * wage_cut
        gross = lines[B] * st.biz_scar * s.business_cut * harvest
        out[B] = gross * (1 - s.crop_loss)
        cost = min(gross * st.cost_ratio, out[B])
        out[OTHER] += gross * s.crop_loss * (0.2 + 0.2 * rng.random())   # 政策性农业保险 pays part of the loss
        out = [int(x) if x > 0 else 0 for x in out]
        return out, int(cost), wage_cut

    @staticmethod
    def _set_net(lines: list, cost: int, n: int, pc: float) -> int:
        """Income per person brought to `pc` (the production cost as it was): a rise comes as wages and other
        income (the measures: a job, relief); a fall takes the other lines down in proportion first, then
        business income, never below its cost."""
        target = max(0, int(pc * n))
        net = sum(lines) - cost
        if target >= net:
            rise = target - net
            lines[W] += int(rise * 0.6)
            lines[OTHER] += rise - int(rise * 0.6)
            return sum(lines) - cost
        others = sum(lines) - lines[B]
        keep = max(0.0, 1 - (net - target) / others) if others > 0 else 0.0
        for i in range(len(lines)):
            if i != B:
                lines[i] = int(lines[i] * keep)
        left = sum(lines) - cost - target
        if left > 0:
            lines[B] -= left      # business income still covers its cost: left ≤ business net income
        else:
            lines[OTHER] -= left
        return sum(lines) - cost

    @staticmethod
    def _relieve(lines: list, cost: int, n: int, pc: float) -> int:
        """临时救助 and 低保 bring income per person up to `pc` (the other lines as they were)."""
        lines[OTHER] += max(0, int(pc * n) - (sum(lines) - cost))
        return sum(lines) - cost

    # ---- monitoring ---------------------------------------------------------------------------------------------
    def _maybe_include(self, h, st, facts, shocks, members, net, spend, able, registered, lines_wage):
        rng, year, n = self.rng, self.year, len(members)
        margin = (net - spend) / n / self.mline
        chance = c.inclusion_chance(facts, margin, registered)
        if net // n <= self.line:
            chance = 1.0   # below the poverty line itself: no village turns that down
        candidate = bool(facts)
        if not candidate:  # not in the engine's list: a cadre's visit or the household's application
            vulnerable = (not able or any(p.chronic or p.serious or p.disabled for p in members)
                          or any(x.included for x in h.cases))
            chance = 0.006 if vulnerable and margin < 1.3 else 0.0
        if chance <= 0.0:
            return None
        included = rng.random() < chance
        if not included and not candidate:
            return None   # nobody noticed
        med_share = shocks.medical_fen / max(net, 1)
        edu_share = shocks.education_fen / max(net, 1)
        job_lost = shocks.job_cut < 1 and st.wage > 0 and lines_wage < 0.7 * st.wage
        risks = c.risks_of(shocks, med_share=med_share, edu_share=edu_share, job_lost=job_lost,
                           disabled=any(p.disabled for p in members), able=able)
        if not registered:
            kind = "sudden" if st.pc >= 1.5 * self.mline and candidate else "marginal"
        else:
            kind = "unstable"
        channel = c.channel_for(rng, risks, candidate)
        shock_on = min(shocks.dates.values()) if shocks.dates else None
        clue, decided = c.clue_and_decision(rng, year, shock_on, channel)
        case = c.Case(year, kind, risks, channel, clue, decided, included, facts,
                      c.measures_for(risks, able) if included else ())
        h.cases.append(case)
        if included:
            h.risk = risks[0]
            self.counts["included"][kind] += 1
            self.counts["by_channel"][channel] += 1
        else:
            self.counts["turned_down"] += 1
        return case

    def _include_event(self, h: Household, case: c.Case, n: int) -> None:
        reason = f"{c.KIND_NAME[case.kind]}（{'、'.join(case.risks)}）"
        h.events.append(Event("monitoring_in", self.year, case.decided_on, n, reason, started_on=case.clue_on))
        h.status = MONITORED   # as the registry's service sets it from the event (STATUS_AFTER_EVENT)

    def _review(self, h, st, pc, spend, n, gap, able) -> None:
        """The year-end review of an open case: risk removed when income is stably above the line again."""
        case = st.case
        stable = pc - spend // n >= self.mline * 1.1 and not gap
        if not (stable and able) or self.rng.random() >= 0.85:
            return
        day = c.removal_day(self.rng, case, self.year)
        if day is None:
            return
        case.removed_on = day
        h.events.append(Event("risk_removed", self.year, day, n, "收入持续稳定，风险消除",
                              started_on=day - dt.timedelta(days=14)))
        # A household never registered leaves monitoring as it came (the registry's service does the same).
        h.status = EXITED if h.identified is not None else ""
        st.case = None
        st.applied.clear()
        self.counts["risk_removed"] += 1

    def _re_exit(self, h, st, n) -> None:
        on = dt.date(self.year, 12, 5) + dt.timedelta(days=int(self.rng.random() * 22))
        h.events.append(Event("exited", self.year, on, n, "收入稳定超过标准，两不愁三保障"))
        h.exit_year, h.status, st.poor_since = self.year, EXITED, None
        self.counts["re_exited"] += 1

    def finish(self, households, states) -> None:
        """The year's returns to poverty: the hardest-hit of the exited households taken under monitoring,
        as many as the year's figure; the others are kept above the poverty line by relief (防止返贫)."""
        quota = d.scaled(self.t.returned_after[d.AFTER_YEARS.index(self.year)], self.scale, 1)
        self.pending.sort(key=lambda x: (not x[6], x[5]))
        for h, st, case, n, row, pc, exited, facts_at in self.pending:
            on = min(case.decided_on + dt.timedelta(days=40 + int(self.rng.random() * 30)), dt.date(self.year, 12, 28))
            if exited and quota > 0 and (on - case.decided_on).days >= 36:
                quota -= 1
                st.pc = case_pc = self._rewrite_income(row, n, self.line * (0.7 + 0.25 * self.rng.random()))
                case.facts = facts_at(case_pc)
                case.returned_on = on
                h.events.append(Event("returned", self.year, on, n, f"{case.risks[0]}返贫"))
                h.status, st.case, st.poor_since = RETURNED, None, self.year
                st.poor[self.year] = True
                self.counts["returned"] += 1
                self.counts["monitored_at_end"] -= 1
            elif pc <= self.line:
                st.pc = self._rewrite_income(row, n, self.line * (1.05 + 0.25 * self.rng.random()), relief=True)
                case.facts = facts_at(st.pc)

    def _rewrite_income(self, row: int, n: int, pc: float, relief: bool = False) -> int:
        """Income per person brought to `pc` in a record already written (a return, or relief); returns it."""
        r = list(self.hy[row])
        lines = [r[HY[m]] for m in MONEY]
        net = (self._relieve if relief else self._set_net)(lines, r[HY["production_cost_fen"]], n, pc)
        for m, x in zip(MONEY, lines):
            r[HY[m]] = x
        r[HY["net_income_fen"]], r[HY["per_capita_net_income_fen"]] = net, net // n
        r[HY["income_expected_stable"]] = False
        self.hy[row] = tuple(r)
        return net // n

    # ---- rows ---------------------------------------------------------------------------------------------------
    def _write(self, h, st, members, lines, cost, net, s, gap, registered, wage_cut) -> int:
        rng, year, n = self.rng, self.year, len(members)
        renovated = h.renovation_year is not None
        water = (40 + int(81 * rng.random()), True, int(11 * rng.random()),
                 40 + int(31 * rng.random()) if gap else int(16 * rng.random()))
        unstable = st.case is not None or net // n < self.mline
        self.hy.append((
            len(self.hy) + 1, h.id, year, n, *lines, cost, net, net // n, h.grade, h.renovation if renovated else "",
            h.renovation_year, h.renovation_cost_fen if renovated else 0, h.renovation_grade if renovated else "",
            *water, False, True, not unstable,
            s.medical_fen, s.education_fen, s.disaster_fen, s.business_failed, s.labourer is not None, 1, self.stamp,
        ))
        for key in s.dates:
            self.counts["shocks"][key] += 1
        counts = self.village_counts.setdefault((h.village, year), [0, 0])
        counts[0] += n
        counts[1] += 1
        attribute = h.attribute if registered else ""
        dibao = (registered and attribute == "04") or h.dibao or (st.case is not None and "兜底" in st.case.measures)
        tekun = registered and attribute == "06"
        assisted = registered or dibao or tekun or st.case is not None
        short = False
        for p in members:
            school_by_age, u1, u2, birth_year = self.static(p)
            age = year - birth_year
            school = school_by_age[age]
            adult = age >= 16 and school not in STUDYING
            ill = p.chronic or p.serious or p.disabled
            doctor = (ill or age >= 65 or u1 < 0.5) if registered else (p.chronic and u1 < 0.5)
            pension = adult and (registered or u2 < 0.85)
            if p.unable_from is not None:
                months = 0
            elif p.work_status == "4":
                months = 10 if registered else 0
            elif p.work_status and 16 <= age <= 60:
                months = max(1, round(p.work_months * min(1.0, wage_cut * st.wage_scar)))
                short = short or months <= 6
            else:
                months = 0
            self.py.append((len(self.py) + 1, p.id, year, school, True, True, assisted, doctor, pension, dibao, tekun,
                            months, 1, self.stamp))
        st.short_months = short
        return len(self.hy) - 1
