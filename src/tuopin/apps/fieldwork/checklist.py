"""The checklist as data (data/checklist.toml): its questions, the condition each is asked under, and how an
answer compares with the registry fact it checks. Pure functions over plain facts, so that the phone's sheet
(selectors) and the arriving answers (services) resolve the same questions the same way."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DATA = Path(__file__).parent / "data" / "checklist.toml"
KINDS = ("yes_no", "yuan", "choice")
PERS = ("household", "member")
ACTIONS = ("propose", "clue", "complete_task", "")
CHECKS = ("person_year.school_status", "person_year.basic_medical", "household_year.renovation", "task", "")
SCHOOL_AGE = (6, 15)  # 义务教育: the ages "in school?" is asked of, at the visit year
# 在校生状况 codes that count as in school (送教上门 is schooling at home); 因病免学, 辍学 and none do not.
IN_SCHOOL = frozenset({"10", "20", "30", "40", "41", "50", "80"})
UNSAFE_GRADES = frozenset({"C", "D"})
YUAN_MAX = 10_000_000  # a quarter's income of a household: the registry's market-income ceiling


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    kind: str
    per: str
    when: str
    checks: str
    on_contradiction: str
    choices: tuple[str, ...] = ()

    @property
    def template(self) -> str:
        """The 4+4 template a task question is about ("" for the others)."""
        return self.when.split(":", 1)[1] if self.when.startswith("cadre_task:") else ""

    def as_json(self) -> dict:
        out = {"key": self.key, "text": self.text, "kind": self.kind, "per": self.per, "when": self.when,
               "checks": self.checks, "on_contradiction": self.on_contradiction}
        if self.choices:
            out["choices"] = list(self.choices)
        return out


@lru_cache(maxsize=4)
def load(path: str = "") -> dict:
    data = tomllib.loads(Path(path or DATA).read_text(encoding="utf-8"))
    questions: dict[str, Question] = {}
    for spec in data.get("question", []):
        q = Question(key=spec["key"], text=spec["text"], kind=spec["kind"], per=spec["per"], when=spec["when"],
                     checks=spec.get("checks", ""), on_contradiction=spec.get("on_contradiction", ""),
                     choices=tuple(spec.get("choices", ())))
        if (q.kind not in KINDS or q.per not in PERS or q.on_contradiction not in ACTIONS or q.checks not in CHECKS
                or q.key in questions or (q.kind == "choice") != bool(q.choices)
                or not (q.when in ("always", "school_age", "renovation_due") or q.template)):
            raise ImproperlyConfigured(f"checklist.toml: question {q.key!r} is not well formed")
        questions[q.key] = q
    photos = data.get("photos", {})
    return {"questions": questions, "photo_max_bytes": int(photos.get("max_bytes", 2_097_152)),
            "photo_max_per_visit": int(photos.get("max_per_visit", 6)),
            "sync_max_request_bytes": int(data.get("sync", {}).get("max_request_bytes", 33_554_432))}


def questions() -> dict[str, Question]:
    return load()["questions"]


def age(birth: dt.date, year: int) -> int:
    """Age at the visit year's 31 August, the school year's reference day."""
    ref = dt.date(year, 8, 31)
    return ref.year - birth.year - ((ref.month, ref.day) < (birth.month, birth.day))


@dataclass
class Facts:
    """What the registry holds of one household for the checklist, in a year (its latest record up to then)."""
    year: int | None
    members: list  # Person rows (active), each with .py: its PersonYear of `year` or None
    record: object | None  # the HouseholdYear of `year`, or None
    open_templates: set  # 4+4 templates with an open cadre task


def house_safe(record) -> bool | None:
    """A safe grade, or the renovation's works recorded as done by the record's year. The re-inspection grade
    that makes a renovated house count as safe for the standard stays the township's (decision 1522)."""
    if record is None:
        return None
    done = bool(record.renovation) and record.renovation_year is not None and record.renovation_year <= record.year
    return record.housing_grade not in UNSAFE_GRADES or done


def asked(question: Question, facts: Facts, person=None) -> bool:
    if question.when == "always":
        return True
    if question.when == "school_age":
        low, high = SCHOOL_AGE
        return person is not None and facts.year is not None and low <= age(person.birth_date, facts.year) <= high
    if question.when == "renovation_due":
        return house_safe(facts.record) is False
    return question.template in facts.open_templates


def seen(question: Question, facts: Facts, person=None):
    """The registry's value of the fact the question checks, in the answer's terms (what the phone shows)."""
    if question.checks == "person_year.school_status":
        return None if person is None or person.py is None else person.py.school_status in IN_SCHOOL
    if question.checks == "person_year.basic_medical":
        return None if person is None or person.py is None else person.py.basic_medical
    if question.checks == "household_year.renovation":
        return house_safe(facts.record)
    if question.checks == "task":
        return False if question.template in facts.open_templates else None
    return None


def raw(question: Question, facts: Facts, person=None):
    """The registry's own value behind `seen` (what a proposed change's `current` records), JSON-able."""
    if question.checks == "person_year.school_status":
        return None if person is None or person.py is None else person.py.school_status
    if question.checks == "person_year.basic_medical":
        return None if person is None or person.py is None else person.py.basic_medical
    if question.checks == "household_year.renovation":
        r = facts.record
        return None if r is None else {"renovation": r.renovation, "renovation_year": r.renovation_year}
    return None


def proposed(question: Question, value, facts: Facts, person=None):
    """The registry value a contradicting answer proposes (decision 1560)."""
    if question.checks == "person_year.school_status":
        if not value:
            return "90"  # 辍学: the answer says a child of compulsory school age is out of school
        return "20" if age(person.birth_date, facts.year) <= 11 else "30"  # 小学 / 七至九年级 by age
    if question.checks == "person_year.basic_medical":
        return bool(value)
    if question.checks == "household_year.renovation":
        current = (facts.record.renovation if facts.record is not None else "") or "repair"
        return {"renovation": current, "renovation_year": facts.year}
    return None
