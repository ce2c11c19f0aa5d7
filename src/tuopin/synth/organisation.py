"""The county's organisation for poverty alleviation (the 1+N groups, war zones, work teams, pairings), as rows with explicit ids.

28 special groups led by 20 county leaders with 27 department heads as deputies; a war zone per
township (the county leader in charge and the township Party secretary); 189 units paired with the
141 villages; work teams with 115 first secretaries and 302 members; 8,935 pairing cadres for the
registered households (1–5 each, in the village their unit is paired with); "1×5" mutual groups.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from . import distributions as d
from . import names
from .people import Household

START = dt.date(2016, 1, 1)  # pairings and teams in force from 2016, kept after exit (四个不摘)


@dataclass
class Organisation:
    units: list = field(default_factory=list)            # (id, name, kind, domain, region_id)
    cadres: list = field(default_factory=list)           # (id, name, unit_id, post, phone, is_county_leader)
    special_groups: list = field(default_factory=list)   # (id, name, remit, leader_id, deputy_id)
    group_units: list = field(default_factory=list)      # (id, specialgroup_id, unit_id)
    war_zones: list = field(default_factory=list)        # (id, township_id, county_leader_id, party_secretary_id)
    work_teams: list = field(default_factory=list)       # (id, start, end, village_id, unit_id)
    team_members: list = field(default_factory=list)     # (id, start, end, team_id, cadre_id, is_first_secretary)
    unit_villages: list = field(default_factory=list)    # (id, start, end, unit_id, village_id)
    cadre_households: list = field(default_factory=list)  # (id, start, end, cadre_id, household_id)
    mutual_groups: list = field(default_factory=list)    # (id, name, township_id, vehicle)
    group_members: list = field(default_factory=list)    # (id, mutualgroup_id, cadre_id)
    # Who the demo accounts are (ids in the rows above).
    picks: dict = field(default_factory=dict)


def build_organisation(rng: random.Random, villages: list[dict], townships: list[dict],
                       households: list[Household], t: d.Targets, scale: float, region_id) -> Organisation:
    org = Organisation()

    def unit(name, kind, domain="", region=None):
        org.units.append((len(org.units) + 1, name, kind, domain, region))
        return len(org.units)

    def cadre(unit_id, post, leader=False):
        sex = "M" if rng.random() < 0.7 else "F"
        org.cadres.append((len(org.cadres) + 1, names.full_name(rng, sex, rng.randint(1962, 1992)), unit_id, post,
                           names.phone(rng), leader))
        return len(org.cadres)

    departments = {domain: unit(f"{names.COUNTY}{name}", "department", domain) for name, domain in names.DEPARTMENTS}
    others = [unit(name, kind) for name, kind in
              names.unit_names([tw["name"] for tw in townships], t.pairing_units - len(departments))]
    by_name = {u[1]: u[0] for u in org.units}
    # A township government answers for its township (gaps routed to "the township" land there).
    township_unit = {tw["code"]: unit(f"{tw['name']}人民政府", "township", region=region_id[tw["code"]])
                     for tw in townships}

    # County leaders (县级领导), department heads, township Party secretaries.
    def leader_unit(post):
        for key, office in (("人大", "县人大常委会办公室"), ("政协", "县政协办公室"), ("武装部", "县人民武装部"),
                            ("县委", "县委办公室")):
            if key in post:
                return by_name[names.COUNTY + office[1:]]
        return by_name[names.COUNTY + "政府办公室"]

    leaders = [cadre(leader_unit(post), post, leader=True) for post in names.COUNTY_LEADER_POSTS[: t.county_leaders]]
    heads = {domain: cadre(uid, "主任" if "办" in org.units[uid - 1][1] else
                           ("理事长" if "联合会" in org.units[uid - 1][1] else "局长"))
             for domain, uid in departments.items()}
    secretaries = {code: cadre(uid, "党委书记") for code, uid in township_unit.items()}

    # 专项小组: a county leader leads, a department head deputises, the domain's departments are members.
    for i, (name, remit, domains) in enumerate(names.SPECIAL_GROUPS[: t.special_groups]):
        gid = len(org.special_groups) + 1
        org.special_groups.append((gid, name, remit, leaders[i % len(leaders)], heads[domains[0]]))
        for domain in domains:
            org.group_units.append((len(org.group_units) + 1, gid, departments[domain]))

    # 战区: one per township, the county leader in charge and the Party secretary (捆绑同责).
    for i, tw in enumerate(townships):
        org.war_zones.append((i + 1, region_id[tw["code"]], leaders[(2 + i) % len(leaders)], secretaries[tw["code"]]))

    # 单位包村: every village one unit; the rest go to poor villages as a second unit.
    pairing_units = list(departments.values()) + others
    rng.shuffle(pairing_units)
    village_units: dict[str, list[int]] = {v["code"]: [] for v in villages}
    for v, uid in zip(villages, pairing_units):
        village_units[v["code"]].append(uid)
    poor_villages = [v["code"] for v in villages if v["is_poor_village"]]
    extra = pairing_units[len(villages):]
    for code, uid in zip(rng.sample(poor_villages, min(len(extra), len(poor_villages))), extra):
        village_units[code].append(uid)
    for v in villages:
        for uid in village_units[v["code"]]:
            org.unit_villages.append((len(org.unit_villages) + 1, START, None, uid, region_id[v["code"]]))

    # 驻村工作队: every poor village, then the non-poor villages with most poor households.
    registered = [h for h in households if h.identified is not None]
    poor_count: dict[str, int] = {}
    for h in registered:
        poor_count[h.village] = poor_count.get(h.village, 0) + 1
    non_poor = sorted((v for v in villages if not v["is_poor_village"]), key=lambda v: -poor_count.get(v["code"], 0))
    team_villages = [v for v in villages if v["is_poor_village"]] + non_poor
    team_villages = team_villages[: t.first_secretaries]
    sizes = d.allocate(t.team_members, [3.0 if v["is_poor_village"] else 1.7 for v in team_villages])
    for v, n_members in zip(team_villages, sizes):
        uid = village_units[v["code"]][0]
        tid = len(org.work_teams) + 1
        org.work_teams.append((tid, START, None, region_id[v["code"]], uid))
        first = cadre(uid, "第一书记")
        org.team_members.append((len(org.team_members) + 1, START, None, tid, first, True))
        org.picks.setdefault("first_secretaries", {})[v["code"]] = first
        for _ in range(n_members):
            org.team_members.append((len(org.team_members) + 1, START, None, tid, cadre(uid, "驻村工作队员"), False))

    _pair_cadres(rng, org, villages, registered, village_units, d.scaled(t.pairing_cadres, scale, 1), cadre)
    _mutual_groups(rng, org, townships, region_id)

    org.picks.update(county_leaders=leaders, secretaries=secretaries, departments=departments)
    return org


def _pair_cadres(rng, org, villages, registered, village_units, n_cadres, cadre) -> None:
    """干部包户: the cadres of a village's paired units take its registered households, 1–5 each."""
    original = [h for h in registered if h.identified <= 2015]
    later = [h for h in registered if h.identified > 2015]
    by_village: dict[str, list[Household]] = {}
    for h in original:
        by_village.setdefault(h.village, []).append(h)
    codes = [v["code"] for v in villages]
    weights = [len(by_village.get(c, [])) for c in codes]
    per_village = d.allocate(n_cadres, weights)
    for i, c in enumerate(codes):  # between a fifth and all of the village's stable households
        hs = by_village.get(c, [])
        n_stable = sum(1 for h in hs if not h.closed)
        per_village[i] = max(math.ceil(len(hs) / 5), min(per_village[i], n_stable)) if hs else 0
    _rebalance(per_village, n_cadres, [len(by_village.get(c, [])) for c in codes],
               [sum(1 for h in by_village.get(c, []) if not h.closed) for c in codes])

    cadre_village: dict[int, str] = {}
    load: dict[int, int] = {}
    for c, n in zip(codes, per_village):
        hs = by_village.get(c, [])
        if not hs:
            continue
        units = village_units[c]
        ids = [cadre(units[k % len(units)], rng.choice(("科员", "科员", "干部", "副科长", "科长", "职员")))
               for k in range(n)]
        stable = [h for h in hs if not h.closed]
        closing = [h for h in hs if h.closed]
        rng.shuffle(stable)
        # Each cadre first takes a household that stays on the register, so none ends with no household.
        assignment = list(zip(ids, stable[: len(ids)]))
        rest = stable[len(ids):] + closing
        rng.shuffle(rest)
        counts = dict.fromkeys(ids, 1)
        open_ids = [i for i in ids if counts[i] < 5]
        for h in rest:
            k = rng.randrange(len(open_ids))
            cid = open_ids[k]
            assignment.append((cid, h))
            counts[cid] += 1
            if counts[cid] >= 5:
                open_ids[k] = open_ids[-1]
                open_ids.pop()
        for cid, h in sorted(assignment, key=lambda a: a[1].id):
            end = h.events[-1].on if h.closed else None
            org.cadre_households.append((len(org.cadre_households) + 1, START, end, cid, h.id))
        for cid in ids:
            cadre_village[cid] = c
        load.update(counts)

    # New identifications (2016–2017) join a cadre of their village with room, from their identification date.
    for h in later:
        local = [cid for cid, v in cadre_village.items() if v == h.village and load[cid] < 5]
        if not local:
            local = [cid for cid, v in cadre_village.items() if v[:9] == h.village[:9] and load[cid] < 5]
        if not local:
            local = [cid for cid in cadre_village if load[cid] < 5] or list(cadre_village)
        cid = local[rng.randrange(len(local))]
        load[cid] += 1
        identified_on = next(e.on for e in h.events if e.kind == "identified")
        org.cadre_households.append((len(org.cadre_households) + 1, identified_on, None, cid, h.id))
    org.picks["cadre_village"] = cadre_village
    org.picks["cadre_load"] = load


def _rebalance(per_village: list[int], total: int, households: list[int], stable: list[int]) -> None:
    """Move cadres between villages until they sum to `total`, within each village's bounds."""
    diff = total - sum(per_village)
    order = sorted(range(len(per_village)), key=lambda i: -households[i])
    while diff != 0:
        moved = False
        for i in order:
            if diff > 0 and per_village[i] < stable[i]:
                per_village[i] += 1
                diff -= 1
                moved = True
            elif diff < 0 and per_village[i] > max(1 if households[i] else 0, math.ceil(households[i] / 5)):
                per_village[i] -= 1
                diff += 1
                moved = True
            if diff == 0:
                break
        if not moved:
            break


def _mutual_groups(rng, org, townships, region_id) -> None:
    """"1×5": the pairing cadres of a township in groups of five, one vehicle each."""
    cadre_village = org.picks.get("cadre_village", {})
    by_township: dict[str, list[int]] = {}
    for cid, village in sorted(cadre_village.items()):
        by_township.setdefault(village[:9] + "000", []).append(cid)
    for tw in townships:
        members = by_township.get(tw["code"], [])
        for k in range(0, len(members), 5):
            gid = len(org.mutual_groups) + 1
            org.mutual_groups.append((gid, f"{tw['name']}第{k // 5 + 1}互助组", region_id[tw["code"]],
                                      names.plate(rng)))
            for cid in members[k:k + 5]:
                org.group_members.append((len(org.group_members) + 1, gid, cid))
