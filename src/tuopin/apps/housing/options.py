"""The options of a house's renovation compared as the seed county compared them: what each costs and the floor
area the household is left with, from the standards file (`[housing.*]`, each figure with its source and mark;
docs/standards.md, decision 1521). No figure lives here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tuopin import standards
from tuopin.standards import StandardMissing


@dataclass(frozen=True)
class Option:
    code: str             # repair reinforce rebuild relocate (the registry's renovation codes)
    open: bool            # open to the grade inspected
    cost_fen: int         # reference cost for a household
    area_m2: Decimal      # the floor area the household lives in afterwards
    keeps_area: bool      # the house kept (its own area), or a new house of the standard area
    status: str           # the cost's mark: verified / partial / unverified
    source: str

    @property
    def fen_per_m2(self) -> int:
        return int(self.cost_fen / self.area_m2) if self.area_m2 else 0


def _housing(code: str) -> dict:
    try:
        return standards.load(code).section("housing")
    except KeyError:
        raise StandardMissing(f"no [housing] section in the standards of {code}") from None


def cost_fen(entry: dict, members: int) -> int:
    """An option's reference cost for a household: a figure per household, or per person (relocation)."""
    if "cost_yuan" in entry:
        return int(entry["cost_yuan"]) * 100
    return int(entry["cost_yuan_per_person"]) * 100 * max(members, 1)


def standard_area(members: int, *, code: str) -> Decimal:
    """The floor area of a rebuilt house for a household of this size."""
    area = _housing(code)["area"]
    by_members = area["rebuild_m2_by_members"]
    if members <= len(by_members):
        return Decimal(by_members[max(members, 1) - 1])
    return Decimal(area["rebuild_m2_per_person_above"]) * members


def compare(*, grade: str, floor_area_m2: Decimal, members: int, code: str) -> list[Option]:
    """Every option with its cost and area for this house, in the file's order; `open` says which the grade
    allows. Cost per ㎡ of the house lived in afterwards is what made reinforcement the seed county's choice."""
    housing = _housing(code)
    out = []
    for name, entry in housing["options"].items():
        keeps = entry["area"] == "keeps"
        if keeps:
            area = Decimal(floor_area_m2)
        elif entry["area"] == "per_person":
            area = Decimal(housing["area"]["relocate_m2_per_person"]) * max(members, 1)
        else:
            area = standard_area(members, code=code)
        out.append(Option(code=name, open=grade in entry["grades"], cost_fen=cost_fen(entry, members),
                          area_m2=area, keeps_area=keeps, status=entry.get("status", ""),
                          source=entry.get("source", "")))
    return out


def proposed(options: list[Option]) -> Option | None:
    """The open option costing least per ㎡ lived in (the cheaper on a tie): a suggestion, never a decision."""
    open_ = [o for o in options if o.open and o.area_m2 > 0]
    return min(open_, key=lambda o: (o.fen_per_m2, o.cost_fen)) if open_ else None


def subsidy_fen(grade: str, cost_fen: int, *, code: str) -> int:
    """The subsidy for a house of this grade, never more than the renovation's cost."""
    entry = _housing(code)["subsidy"].get(grade)
    if entry is None:
        return 0
    return min(int(entry["yuan"]) * 100, max(cost_fen, 0))


def subsidy_entry(grade: str, *, code: str) -> dict:
    return dict(_housing(code)["subsidy"].get(grade, {}))


def stage_days(*, code: str) -> dict[str, int]:
    """How many days each stage may take after the one before (the overdue list)."""
    days = _housing(code)["stage_days"]
    return {k: int(v) for k, v in days.items() if k not in ("status", "source")}
