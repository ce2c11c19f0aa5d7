"""build_county(seed, scale): the whole synthetic county as rows, without touching a database.

The same seed gives the same data (the rows, in the same order, with the same ids). `scale` shrinks
the population and the story proportionally (tests use 0.02); the geography and the organisation's
fixed sizes (groups, departments, units, teams) stay whole.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from tuopin.apps.geo.data import ZHENLAI, read_divisions

from . import distributions as d
from . import after, people, records, story
from .organisation import Organisation, build_organisation


def _default_stamp():
    return dt.datetime(2021, 1, 1, tzinfo=dt.UTC)


def _default_stamp_of(day: dt.date):
    return dt.datetime(day.year, day.month, day.day, 1, 0, tzinfo=dt.UTC)  # 09:00 in Beijing


@dataclass
class Geography:
    regions: list[dict]
    townships: list[dict]
    villages: list[dict]


def geography(path: str | Path = ZHENLAI) -> Geography:
    regions = read_divisions(path)
    townships = [r for r in regions if r["level"] == "township"]
    names = {t["code"]: t["name"] for t in townships}
    villages = [dict(r, township_code=r["parent_code"], township_name=names[r["parent_code"]])
                for r in regions if r["level"] == "village"]
    return Geography(regions, townships, villages)


@dataclass
class Registry:
    """Rows per table, in load order, and what the story decided."""

    seed: int
    scale: float
    geo: Geography
    households: list
    persons: list
    tables: dict = field(default_factory=dict)   # name → (columns, rows)
    story: dict = field(default_factory=dict)
    # (household id, year) → the welfare post's part of its wage line, fen (records.yearly_rows)
    posts: dict = field(default_factory=dict)


class _Identity(dict):
    def __missing__(self, key):
        return key


def build_registry(seed: int, scale: float = 1.0, *, region_id=None, stamp=None, stamp_of=None,
                   path: str | Path = ZHENLAI, targets: d.Targets | None = None) -> Registry:
    t = targets or d.Targets()
    region_id = region_id if region_id is not None else _Identity()
    stamp = stamp if stamp is not None else _default_stamp()
    stamp_of = stamp_of or _default_stamp_of
    geo = geography(path)
    # One stream per part, so that a change in one part does not reshuffle the others.
    households, persons, ids = people.build_people(random.Random(f"{seed}:people"), geo.villages, t, scale)
    summary = story.write_story(random.Random(f"{seed}:story"), households, t, scale)
    births, deaths = people.births_and_deaths(random.Random(f"{seed}:demography"), households, persons, ids)
    summary.update(births=births, other_deaths=deaths)
    reg = Registry(seed, scale, geo, households, persons, story=summary)
    hy, py, counts = records.yearly_rows(random.Random(f"{seed}:years"), households, stamp, posts=reg.posts)
    # The consolidation years from streams of their own: the first years' rows above never move.
    summary["after"] = after.continue_story(random.Random(f"{seed}:after"), geo.villages, households, persons, ids,
                                            hy, py, counts, t, scale, stamp)
    township_name = {tw["code"]: tw["name"] for tw in geo.townships}
    events, steps = records.event_rows(households, township_name, stamp_of)
    villages = records.village_year_rows(random.Random(f"{seed}:villages"), geo.villages, counts, region_id)
    reg.tables = {
        "household": (records.HOUSEHOLD_COLUMNS, list(records.household_rows(households, region_id, stamp))),
        "person": (records.PERSON_COLUMNS, list(records.person_rows(persons, stamp))),
        "householdyear": (records.HOUSEHOLD_YEAR_COLUMNS, hy),
        "personyear": (records.PERSON_YEAR_COLUMNS, py),
        "statusevent": (records.EVENT_COLUMNS, events),
        "procedurestep": (records.STEP_COLUMNS, steps),
        "villageyear": (records.VILLAGE_YEAR_COLUMNS, villages + records.village_rows_after(
            random.Random(f"{seed}:villages-after"), geo.villages, counts, region_id, villages)),
    }
    return reg


def build_org(reg: Registry, *, region_id=None, targets: d.Targets | None = None) -> Organisation:
    region_id = region_id if region_id is not None else _Identity()
    return build_organisation(random.Random(f"{reg.seed}:organisation"), reg.geo.villages, reg.geo.townships,
                              reg.households, targets or d.Targets(), reg.scale, region_id)


def build_county(seed: int, scale: float = 1.0, **kw) -> tuple[Registry, Organisation]:
    """The registry and the organisation, as rows (region columns hold codes unless region_id maps them)."""
    reg = build_registry(seed, scale, **kw)
    return reg, build_org(reg, region_id=kw.get("region_id"))
