"""Matching a roster's rows to the registry's persons (倒查正推, decision 1540).

By ID number first: a valid number found in the registry is that person (`how='id'`). The rows left — no valid
number, or a number the registry does not hold — go to `match_by_likeness`, the hook for the probabilistic
linker (tuopin.linkage, being written); until it is plugged in they stay `how='none'`."""

from __future__ import annotations

from tuopin.apps.registry.models import Person

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


def match_by_likeness(entries: list[RosterEntry]) -> None:
    """The hook for matching by likeness (name, birth date, sex, village) the rows the ID number did not match:
    the Splink linker in tuopin.linkage will set `person`, `how` ('likeness' above its threshold, 'review' between
    its thresholds), `weight` and `agreement` here. It does nothing yet: those rows stay `how='none'`."""
    return None


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
