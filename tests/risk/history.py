"""A small synthetic history with a planted risk process, written in the snapshot layout: households whose
out-of-pocket medical costs are high against their income at the end of a year are more likely to be taken
under monitoring the next year; everything else is noise."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from tuopin.engine.snapshot import INCOME_LINES, SCHEMAS, write_snapshot

YEARS = list(range(2019, 2025))
TOWNSHIPS = [220821100000 + 1000 * k for k in range(6)]


def write_history(folder, *, households: int = 3000, seed: int = 3) -> dict:
    rng = np.random.default_rng(seed)
    ids = np.arange(1, households + 1)
    township = rng.choice(TOWNSHIPS, households)
    village = township + rng.integers(1, 6, households)
    members = rng.integers(1, 6, households)
    frailty = rng.gamma(1.0, 1.0, households)  # the hidden, persistent tendency to fall ill
    base = rng.lognormal(np.log(9000), 0.4, households) * 100 * members  # net income, fen
    events, yearly, persons_yearly, persons = [], [], [], []
    event_id = 0
    # Every household exited in 2016 (so all are at risk after it).
    for h in ids:
        event_id += 1
        events.append((event_id, int(h), "identified", 2014, dt.date(2014, 10, 1)))
        event_id += 1
        events.append((event_id, int(h), "exited", 2016, dt.date(2016, 12, 10)))
    monitored = np.zeros(households, dtype=bool)
    for year in YEARS:
        medical = (rng.random(households) < 0.1 * frailty) * rng.lognormal(np.log(8000), 0.8, households) * 100
        net = (base * rng.normal(1.0, 0.08, households)).astype(np.int64)
        load = medical / np.maximum(net, 1)
        p = 1 / (1 + np.exp(-(-4.5 + 4.0 * load)))
        enter_next = (rng.random(households) < p) & ~monitored
        for k in range(households):
            row = {name: 0 for name in INCOME_LINES}
            row.update(household_id=int(ids[k]), county_code=220821000000, township_code=int(township[k]),
                       village_code=int(village[k]), status=1, members=int(members[k]),
                       wage_income_fen=int(net[k]), production_cost_fen=0, net_income_fen=int(net[k]),
                       per_capita_net_income_fen=int(net[k] // members[k]), housing_grade="A", renovation="",
                       renovation_year=None, renovation_cost_fen=0, renovation_grade="", water_litres_per_day=60,
                       water_quality_ok=True, water_minutes=5, water_cut_days=0, water_short_area=False,
                       food_clothing_secure=True, income_expected_stable=True,
                       medical_expense_fen=int(medical[k]), education_expense_fen=0, disaster_loss_fen=0,
                       business_failed=False, labourer_lost=False, year=year)
            yearly.append(row)
            if enter_next[k] and year < YEARS[-1]:
                event_id += 1
                events.append((event_id, int(ids[k]), "monitoring_in", year + 1, dt.date(year + 1, 5, 20)))
        monitored |= enter_next
    for h in ids:
        persons.append({"person_id": int(h), "household_id": int(h), "number": f"P{h}", "id_number": "",
                        "name": "", "sex": "M", "birth_date": dt.date(1960 + int(h) % 40, 1, 1), "relation": 1,
                        "ethnicity": 1, "education": 0, "school_status": 0, "chronic_illness": False,
                        "serious_illness": False, "disabled": False, "disability_grade": None,
                        "labour_ability": 1, "work_status": 0, "work_months": 0, "active": True, "left_on": None})
        for year in YEARS:
            persons_yearly.append({"person_id": int(h), "household_id": int(h), "school_status": 0,
                                   "basic_medical": True, "serious_illness_insurance": True,
                                   "medical_assistance": False, "family_doctor": False, "pension_insurance": False,
                                   "dibao": False, "tekun": False, "work_months": 10, "year": year})
    status_events = pa.table({
        "event_id": [e[0] for e in events], "household_id": [e[1] for e in events], "kind": [e[2] for e in events],
        "year": [e[3] for e in events], "stage": ["announced"] * len(events), "effective_on": [e[4] for e in events],
        "persons": [1] * len(events), "related_household_id": [None] * len(events),
    })
    tables = {
        "households_yearly": pa.Table.from_pylist(yearly),
        "persons": pa.Table.from_pylist(persons, schema=SCHEMAS["persons"]),
        "persons_yearly": pa.Table.from_pylist(persons_yearly),
        "status_events": status_events,
    }
    write_snapshot(folder, tables)
    return {"monitoring_in": sum(1 for e in events if e[2] == "monitoring_in")}
