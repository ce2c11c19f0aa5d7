"""The demo county's aid payments and its 653 campaign, as the generator makes them (no database): the seed's
2.82 million yuan of education aid, exactly, to pupils of registered households at the standards' amounts; medical
assistance from the recorded expenses; the campaign's targets from the 2018 record and logs summing to what was
achieved."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuopin.standards.aid import aid_kinds, demo_education
from tuopin.synth import aid, build_registry
from tuopin.synth import campaign as c653

SCALE = 0.05


@pytest.fixture(scope="module")
def reg():
    return build_registry(3, SCALE)


def _cols(reg, table):
    columns, rows = reg.tables[table]
    return {c: i for i, c in enumerate(columns)}, rows


def test_the_seed_figure_is_data_with_its_source():
    seed = demo_education()
    assert seed["total_yuan"] == 2_820_000 and seed["source"] and seed["status"] in ("verified", "partial")
    assert aid.education_total_fen(1.0) == 282_000_000
    for kind in aid_kinds().values():
        assert kind["source"] and kind["status"] in ("verified", "partial", "unverified") and kind["departments"]


def test_at_full_size_the_education_aid_is_exactly_2_82_million_yuan_at_standard_amounts():
    """The county's eligible pupil-years (about 3,000 a year) at full size, without building the county."""
    rng = random.Random(1)
    amounts = {"two_exemptions": (100_000, 125_000), "grant_senior": (200_000,), "yulu": (300_000,),
               "grant_college": (100_000,)}
    candidates = [(year, i, i // 3, 1, kind, rng.choice(amounts[kind]))
                  for year in aid.EDUCATION_YEARS for i, kind in
                  enumerate(rng.choices(list(amounts), weights=(60, 11, 7, 3), k=3000))]
    rows = aid.education_payments(candidates, aid.education_total_fen(1.0), random.Random(2))
    assert sum(r[5] for r in rows) == 282_000_000
    by_year = Counter(r[3] for r in rows)
    assert set(by_year) == set(aid.EDUCATION_YEARS) and min(by_year.values()) > 200
    assert sum(1 for r in rows if r[9] == aid.PRO_RATED) <= len(aid.EDUCATION_YEARS)
    assert len({(r[7], r[8]) for r in rows}) == len(rows)  # references unique per department


def test_the_generated_education_aid_is_the_scaled_total_paid_to_pupils_of_registered_households(reg):
    rows = aid.aid_rows(reg.tables, seed=3, scale=SCALE)
    education = [r for r in rows if r[4] in {kind for kind, _key in aid.SCHOOL_KINDS.values()}]
    assert sum(r[5] for r in education) == aid.education_total_fen(SCALE)
    assert {r[3] for r in education} == set(aid.EDUCATION_YEARS)
    hi, households = _cols(reg, "household")
    registered = {r[hi["id"]] for r in households if r[hi["is_registered"]]}
    yi, years = _cols(reg, "personyear")
    status = {(r[yi["person_id"]], r[yi["year"]]): r[yi["school_status"]] for r in years}
    for r in education:
        assert r[1] in registered
        assert aid.SCHOOL_KINDS[status[(r[0], r[3])]][0] == r[4]
        assert r[6].year == r[3]
    standard = {k: v for k, v in aid_kinds().items()}
    full = [r for r in education if not r[9]]
    assert all(r[5] in {standard[r[4]].get(key, 0) * 100 for key in ("yuan", "primary_yuan", "junior_yuan")}
               for r in full)


def test_medical_assistance_follows_the_recorded_expenses_from_2021(reg):
    rows = [r for r in aid.aid_rows(reg.tables, seed=3, scale=SCALE) if r[4] == "medical_assistance"]
    standard = aid_kinds()["medical_assistance"]
    yi, years = _cols(reg, "householdyear")
    expense = {(r[yi["household_id"]], r[yi["year"]]): r[yi["medical_expense_fen"]] for r in years}
    later = [r for r in rows if r[3] >= aid.EXPENSES_FROM]
    assert later and {r[3] for r in rows} >= {2016, 2021}
    for r in later:
        assert expense[(r[1], r[3])] >= standard["threshold_yuan"] * 100
        assert r[5] <= min(standard["cap_yuan"] * 100, expense[(r[1], r[3])] * standard["share"])
    assert {r[7] for r in rows if r[3] <= 2018} == {"civil_affairs"}
    assert {r[7] for r in rows if r[3] >= 2019} == {"medical_insurance"}


def test_the_insurers_reimbursements_follow_the_recorded_expenses_and_change_nothing_before_them(reg):
    """Decision 1613: from 2021, a registered household's recorded self-paid expense is the generator's share of
    its costs; the basic insurance paid back its share of the cost, the serious-illness insurance its share above
    the deductible, the two never more than the cost less the expense. The rows before them, and the registry's
    tables (so the incidence), are what they were without them."""
    import pickle

    from tuopin.synth.risk import REGISTERED_MEDICAL_SHARE

    before = pickle.dumps((reg.tables["householdyear"], reg.tables["person"]))
    rows = aid.aid_rows(reg.tables, seed=3, scale=SCALE)
    assert pickle.dumps((reg.tables["householdyear"], reg.tables["person"])) == before
    rng = random.Random("3:aid")
    earlier = aid.education_payments(aid.education_candidates(reg.tables), aid.education_total_fen(SCALE), rng)
    earlier += aid.medical_payments(reg.tables, rng, 2025)
    assert rows[:len(earlier)] == earlier
    paid = rows[len(earlier):]
    assert {r[4] for r in paid} == {"basic_insurance", "serious_illness_insurance"}
    yi, years = _cols(reg, "householdyear")
    expense = {(r[yi["household_id"]], r[yi["year"]]): r[yi["medical_expense_fen"]] for r in years}
    by_year: dict = defaultdict(int)
    for r in paid:
        by_year[(r[1], r[3])] += r[5]
        assert r[3] >= aid.EXPENSES_FROM and r[7] == "medical_insurance" and r[6].year == r[3]
    basic_share = aid_kinds()["basic_insurance"]["cost_share"]
    for (household, year), total in by_year.items():
        cost = expense[(household, year)] / REGISTERED_MEDICAL_SHARE
        assert total <= cost - expense[(household, year)]
        basic = sum(r[5] for r in paid if r[1] == household and r[3] == year and r[4] == "basic_insurance")
        assert basic <= cost * basic_share
    assert len({(r[7], r[8]) for r in rows}) == len(rows)  # references unique per department


def test_the_653_campaign_targets_come_from_the_2018_record_and_its_logs_sum_to_what_was_achieved(reg):
    poor = {v["code"] for v in reg.geo.villages if v["is_poor_village"]}
    made = c653.campaign_653(reg.tables, poor, seed=3)
    assert (c653.END - c653.START).days + 1 == 100 and c653.START.month == 4 and c653.END.month == 7
    hi, households = _cols(reg, "household")
    village_of = {r[hi["id"]]: r[hi["village_id"]] for r in households if r[hi["is_registered"]]}
    yi, years = _cols(reg, "householdyear")
    renovated = Counter(village_of[r[yi["household_id"]]] for r in years if r[yi["year"]] == 2018
                        and r[yi["renovation_year"]] == 2018 and village_of.get(r[yi["household_id"]]) in poor)
    houses = {v: n for (v, kind), n in made["targets"].items() if kind == "houses_finished"}
    assert houses == dict(renovated) and sum(houses.values()) > 0
    assert {v for v, _ in made["targets"]} <= poor
    logged = defaultdict(int)
    for village, day, kind, n in made["logs"]:
        assert c653.START <= day <= c653.END and n > 0
        logged[(village, kind)] += n
    assert {k: n for k, n in made["achieved"].items() if n} == dict(logged)
    assert all(made["achieved"][k] <= n for k, n in made["targets"].items())
    behind = {v for k, n in made["targets"].items() if made["achieved"][k] < n for v in [k[0]]}
    assert 0 < len(behind) < len({v for v, _ in made["targets"]})


@given(st.lists(st.tuples(st.sampled_from(aid.EDUCATION_YEARS), st.sampled_from((1000, 1250, 2000, 3000))),
                min_size=1, max_size=60),
       st.floats(min_value=0.0, max_value=1.0), st.integers(min_value=0, max_value=10**6))
@settings(max_examples=60, deadline=None)
def test_any_total_up_to_the_entitlement_is_paid_exactly_at_or_below_the_standards(pupils, fraction, seed):
    candidates = [(year, i, i, 1, "grant_senior", yuan * 100) for i, (year, yuan) in enumerate(pupils)]
    entitled = sum(c[5] for c in candidates) // 100
    total = int(entitled * fraction) * 100
    rows = aid.education_payments(candidates, total, random.Random(seed))
    assert sum(r[5] for r in rows) == total
    standard = {c[1]: c[5] for c in candidates}
    assert all(0 < r[5] <= standard[r[0]] for r in rows)
    assert len({r[0] for r in rows}) == len(rows)  # a pupil-year paid once
    pro_rated = Counter(r[3] for r in rows if r[9] == aid.PRO_RATED)
    assert all(n == 1 for n in pro_rated.values())
