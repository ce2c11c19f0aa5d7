"""Matching a roster's rows to the registry's persons (倒查正推, decisions 1540, 1544).

By ID number first: a valid number found in the registry is that person (`how='id'`). The rows without a valid
number go to `match_by_likeness`, the Fellegi–Sunter linker of tuopin.linkage over name, sex, birth date and
place: above its upper threshold a match (`how='likeness'`), between its thresholds a proposal for a person to
confirm (`how='review'`, decision 1543). A valid number the registry does not hold is a person outside it, not a
typo: it is not matched by likeness to a namesake."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from tuopin.apps.registry.models import Person
from tuopin.linkage.likeness import link_by_likeness

from .models import RosterEntry

CHUNK = 900  # numbers a query: under SQLite's oldest limit on a statement's parameters


def match_by_id(entries: list[RosterEntry]) -> None:
    """Set `person`, `how='id'` and `agreement` on the rows whose valid ID number the registry holds (in memory;
    the caller saves)."""
    numbers = sorted({e.id_number for e in entries if e.id_valid})
    persons = {}
    for i in range(0, len(numbers), CHUNK):
        persons.update((p.id_number, p) for p in Person.objects.filter(id_number__in=numbers[i:i + CHUNK])
                       .only("id", "id_number", "name", "sex", "birth_date", "household_id"))
    for e in entries:
        person = persons.get(e.id_number) if e.id_valid else None
        if person is None:
            e.person, e.how, e.weight, e.agreement = None, "none", None, {}
            continue
        e.person, e.how, e.weight = person, "id", None
        e.agreement = {"id_number": True, "name": e.name == person.name,
                       "sex": e.sex == person.sex if e.sex else None,
                       "birth_date": e.birth_date == person.birth_date if e.birth_date else None}


@dataclass
class Registry:
    """The registry's persons as the linker reads them, loaded once for a run of imports (the demo's twenty rosters)
    rather than once a roster: `persons` with each person's place county/township/village."""

    persons: pa.Table
    county: str
    township_of: dict[str, set[str]]

    def place(self, county: str, township: str, village: str) -> str:
        # The registry's path county/township/village; a roster that leaves out the county or the township (a
        # county's department often does) gets them from the registry where the village's name says which.
        if village and not township and len(self.township_of.get(village, ())) == 1:
            township = next(iter(self.township_of[village]))
        return f"{county or self.county}/{township}/{village}"


def registry_persons() -> Registry:
    found = list(Person.objects.values_list(
        "pk", "name", "sex", "birth_date", "household__village__name", "household__village__parent__name",
        "household__village__parent__parent__name"))
    county = found[0][6] if found and len({p[6] for p in found}) == 1 else ""
    township_of: dict[str, set[str]] = {}
    for p in found:
        township_of.setdefault(p[4], set()).add(p[5])
    registry = Registry(pa.table({}), county, township_of)
    registry.persons = pa.table({
        "person_id": pa.array([p[0] for p in found], pa.int64()), "name": pa.array([p[1] for p in found], pa.string()),
        "sex": pa.array([p[2] for p in found], pa.string()),
        "birth_date": pa.array([p[3] for p in found], pa.date32()),
        "village": pa.array([registry.place(p[6], p[5], p[4]) for p in found], pa.string())})
    return registry


def match_by_likeness(entries: list[RosterEntry], registry: Registry | None = None) -> None:
    """Link the rows without a valid ID number to the registry's persons by likeness; set `person`, `how`,
    `weight` (the match weight, log2 of the odds) and `agreement` ({field: True, False, None or 'close'}) in memory.
    `registry`: the persons as `registry_persons()` read them, when the caller imports several rosters at once."""
    rows = [e for e in entries if not e.id_valid and e.how == "none"]
    if not rows:
        return
    registry = registry or registry_persons()
    if not registry.persons.num_rows:
        return
    found = link_by_likeness(registry.persons, pa.table({
        "row": pa.array([e.row for e in rows], pa.int64()), "name": [e.name for e in rows],
        "sex": [e.sex for e in rows], "birth_date": pa.array([e.birth_date for e in rows], pa.date32()),
        "village": [registry.place(e.county, e.township, e.village) for e in rows]}))
    by_row = {e.row: e for e in rows}
    by_pk = {}
    for r in found.to_pylist():
        if r["decision"] not in ("match", "review") or r["person_id"] is None:
            continue
        e = by_row[r["row"]]
        by_pk.setdefault(r["person_id"], []).append(e)
        e.how = "likeness" if r["decision"] == "match" else "review"
        e.weight = round(r["match_weight"], 2)
        e.agreement = {field: _agreed(r[f"{column}_level"]) for field, column in
                       (("name", "name"), ("sex", "sex"), ("birth_date", "birth_date"), ("village", "place"))}
    for person in Person.objects.filter(pk__in=list(by_pk)).only("id", "household_id"):
        for e in by_pk[person.pk]:
            e.person = person


def _agreed(level: str | None):
    """A comparison level as the roster's page shows it: the same, different, close (a level between), or unknown."""
    if level in (None, "null"):
        return None
    return {"exact": True, "else": False}.get(level, "close")


def counts(entries: list[RosterEntry]) -> dict[str, int]:
    """The roster's counts, a reviewer's decisions included (the MATCHED rule, decision 1543): a confirmed row is
    matched by likeness, a rejected one unmatched, a row awaiting its reviewer queued."""
    def bucket(e: RosterEntry) -> str:
        if e.review == "rejected":
            return "unmatched"
        if e.how == "review":
            return "matched_by_likeness" if e.review == "confirmed" else "queued_for_review"
        return {"id": "matched_by_id", "likeness": "matched_by_likeness"}.get(e.how, "unmatched")

    found = [bucket(e) for e in entries]
    return {key: found.count(key) for key in ("matched_by_id", "matched_by_likeness", "queued_for_review",
                                               "unmatched")}
