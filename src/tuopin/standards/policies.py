"""The policy catalogue (data/policies.toml): each policy's name, delivering domain, the roster kind that proves
it delivered and the registry column that records it. Framework-free: the rules take its ages as parameters,
the coverage pages and command its names and domains."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from .loader import DATA

# The persons_yearly columns a policy may name (docs/data-formats.md): the registry's own record of coverage.
REGISTRY_COLUMNS = ("basic_medical", "serious_illness_insurance", "medical_assistance", "family_doctor",
                    "pension_insurance", "dibao", "tekun", "work_months")


@dataclass(frozen=True)
class Policy:
    code: str
    name: str
    domain: str
    eligible: str
    roster: str | None  # the roster kind that proves coverage, if any
    column: str | None  # the persons_yearly column that records it, if any
    status: str
    source: str


@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads((DATA / "policies.toml").read_text(encoding="utf-8"))


def catalogue() -> dict[str, Policy]:
    """{code: Policy} in the file's order."""
    out = {}
    for code, entry in _data()["policies"].items():
        column = entry.get("column")
        if column is not None and column not in REGISTRY_COLUMNS:
            raise ValueError(f"policies.toml: {code} names {column}, not a registry column ({', '.join(REGISTRY_COLUMNS)})")
        out[code] = Policy(code=code, name=entry["name"], domain=entry["domain"], eligible=entry["eligible"],
                           roster=entry.get("roster"), column=column, status=entry["status"],
                           source=entry["source"])
    return out


def ages() -> dict[str, int]:
    """[ages]: the age bounds the eligibility rule reads, as rule parameters (policy_<name>)."""
    return {f"policy_{name}": int(value) for name, value in _data()["ages"].items()}


def of_domain(domain: str) -> tuple[str, ...]:
    """The codes of the policies a department of `domain` delivers."""
    return tuple(code for code, policy in catalogue().items() if policy.domain == domain)


def roster_kinds() -> tuple[str, ...]:
    """The roster kinds some policy's coverage is proved by, in the catalogue's order."""
    return tuple(dict.fromkeys(p.roster for p in catalogue().values() if p.roster))
