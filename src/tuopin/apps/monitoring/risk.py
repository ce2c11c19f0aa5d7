"""The risk score on the county's own registry: train and validate the model (`tuopin risk train`), rank the
households of an account's scope with the factors that push each (`tuopin risk rank`, the risk page).

The model is a file under var/models (LightGBM's text and its JSON card), trained by the county office on the
registry it keeps; the ranking is cached per scope, year and latest write, like the engine's figures. A ranking
proposes whom to visit first: nothing here changes a household's status (decision 1421).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin import rules, standards
from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.marker import latest_write_id
from tuopin.apps.audit.services import audit_event
from tuopin.apps.registry.exchange.snapshot_export import snapshot_tables
from tuopin.apps.registry.models import Household
from tuopin.engine import duckdb_runner
from tuopin.engine.connection import register_arrow
from tuopin.risk import model as m
from tuopin.risk.features import features, year_features
from tuopin.risk.validate import validate

CACHE_SECONDS = 24 * 3600
# How far back a year's features look (features.sql reads t − 2 … t).
LOOK_BACK = 2

FACTORS = {
    "income_to_line": gettext_lazy("income per person against the monitoring line"),
    "income_ratio_1y": gettext_lazy("income against the year before"),
    "income_ratio_prev": gettext_lazy("income of the year before against the one before it"),
    "wage_share": gettext_lazy("share of wages in income"),
    "business_share": gettext_lazy("share of business income"),
    "transfer_share": gettext_lazy("share of transfers in income"),
    "members": gettext_lazy("members"),
    "working_age": gettext_lazy("members of working age"),
    "elders": gettext_lazy("members aged 65 or more"),
    "children": gettext_lazy("children under 16"),
    "work_months_per_adult": gettext_lazy("months of work per adult"),
    "in_upper_school": gettext_lazy("members in high school or college"),
    "on_social_assistance": gettext_lazy("members on 低保 or 特困 support"),
    "medically_assisted": gettext_lazy("members given medical assistance"),
    "medical_to_income": gettext_lazy("out-of-pocket medical costs against income"),
    "medical_to_income_prev": gettext_lazy("medical costs against income the year before"),
    "education_to_income": gettext_lazy("education costs against income"),
    "disaster_to_income": gettext_lazy("disaster losses against income"),
    "business_failures_2y": gettext_lazy("business failures in two years"),
    "labourers_lost_2y": gettext_lazy("main labourers lost in two years"),
    "unsafe_housing": gettext_lazy("unsafe house"),
    "village_disaster_share": gettext_lazy("share of the village hit by a disaster"),
    "village_below_line_share": gettext_lazy("share of the village below the monitoring line"),
    "never_registered": gettext_lazy("never registered as poor"),
    "risk_removed_before": gettext_lazy("risk removed before"),
    "ever_returned": gettext_lazy("returned to poverty before"),
    "ever_monitored": gettext_lazy("monitored before"),
    "years_since_exit": gettext_lazy("years since exit"),
}


class RiskModelMissing(Exception):
    """No model trained for this registry yet."""


@dataclass(frozen=True)
class Ranked:
    household_id: int
    number: str
    village: str
    township: str
    score: float
    factors: list[tuple[str, float, float]]  # (feature, its value, its push in log-odds); factor_label names it


def model_path() -> Path:
    return Path(settings.VAR_DIR) / "models" / "risk.txt"


def _connection(tables: dict[str, pa.Table]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    register_arrow(con, {name: t for name, t in tables.items() if name != "regions"})
    return con


def _county_standards(tables: dict[str, pa.Table]):
    counties = tables["households_yearly"].column("county_code").unique().to_pylist()
    return standards.load(str(counties[0]) if counties else "000000")


def labelled_years(tables: dict[str, pa.Table]) -> list[int]:
    """Years t whose households have next year's record, and of which some entered monitoring or returned in t+1."""
    years = sorted(set(tables["households_yearly"].column("year").to_pylist()))
    events = tables["status_events"]
    entered = pc.is_in(events.column("kind"), value_set=pa.array(["monitoring_in", "returned"]))
    entry_years = set(pc.year(events.filter(entered).column("effective_on")).to_pylist())
    return [y for y in years if y + 1 in years and y + 1 in entry_years]


def risk_train(*, account, source: str = "cli") -> dict:
    """Validate out of time on the last two labelled years, then train on all of them; save and audit."""
    require(account, Action.TRAIN_RISK_MODEL)
    tables = snapshot_tables(user=account)
    years = labelled_years(tables)
    if not years:
        raise RiskModelMissing(_("No year on file has a next year with entries into monitoring to learn from."))
    con = _connection(tables)
    rules_in_force = _county_standards(tables)
    table = features(con, rules_in_force, years)

    def candidates(year: int) -> set[int]:
        return rule_candidates(_connection(tables), rules_in_force, year)

    reports = validate(table, years[-2:], candidates=candidates) if len(years) >= 3 else []
    trained = m.train(table, trained_on=years, trained_at=timezone.now().isoformat(timespec="seconds"),
                      validation=reports)
    trained.save(model_path())
    audit_event(actor=account, action="risk_model_trained", source=source, entity="monitoring.risk",
                summary=f"risk model trained on {', '.join(map(str, years))} ({table.num_rows} household-years)",
                batch={"years": years, "rows": table.num_rows, "validation": reports})
    return trained.card


def rule_candidates(con: duckdb.DuckDBPyConnection, rules_in_force, year: int) -> set[int]:
    """The households the monitoring rules propose at the end of `year` (new candidates, not those monitored
    already): the list the score is compared with. The snapshot tables must be registered on `con`."""
    result = duckdb_runner.run(con, rules.parameters(rules_in_force, year), year=year)
    chosen = result.monitoring_result.filter(pc.field("candidate"))
    return set(chosen.column("household_id").to_pylist())


def load_model() -> m.Model:
    path = model_path()
    if not path.exists():
        raise RiskModelMissing(_("No risk model has been trained yet: the county office runs `tuopin risk train`."))
    return m.load(path)


def risk_ranking(*, account, year: int, top: int = 100) -> list[Ranked]:
    """The `top` households of the account's scope most likely to enter monitoring in `year` + 1."""
    require(account, Action.SEE_RISK_SCORES)
    model = load_model()
    key = f"risk:{account.pk}:{year}:{top}:{latest_write_id()}:{model_path().stat().st_mtime_ns}"
    found = cache.get(key)
    if found is None:
        found = _rank(account, model, year, top)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _rank(account, model: m.Model, year: int, top: int) -> list[Ranked]:
    tables = snapshot_tables(user=account, years_in=tuple(range(year - LOOK_BACK, year + 1)))
    rows = year_features(_connection(tables), _county_standards(tables), year)
    if rows.num_rows == 0:
        return []
    scores = model.score(rows)
    order = scores.argsort()[::-1][:top]
    chosen = rows.take(pa.array(order))
    explained = model.explain(chosen)
    households = {h.pk: h for h in Household.objects.filter(pk__in=chosen.column("household_id").to_pylist())
                  .select_related("village", "township")}
    out = []
    for k, hid in enumerate(chosen.column("household_id").to_pylist()):
        h = households[hid]
        out.append(Ranked(hid, h.number, h.village.name, h.township.name, float(scores[order[k]]),
                          explained[k]))
    return out


def factor_label(name: str) -> str:
    return str(FACTORS.get(name, name))


def default_year() -> int:
    """The last complete year: the ranking looks at households at the end of a year."""
    return dt.date.today().year - 1


def outcome_text(action: str, outcome: dict) -> str:
    """What `tuopin risk` (and `tuopin demo`, after training) prints of a ranking, a training or a validation."""
    if action == "rank":
        lines = [f"{outcome['year']}: {len(outcome['households'])} households, riskiest first"]
        for r in outcome["households"]:
            factors = "; ".join(f"{f['label']} {f['value']:g}" for f in r["factors"])
            lines.append(f"  {r['score']:.3f}  {r['number']}  {r['township']} {r['village']}  {factors}")
        return "\n".join(lines)
    reports = outcome.get("validation", [])
    lines = [f"trained on {outcome['trained_on']}"] if action == "train" else []
    for r in reports:
        lines.append(f"test year {r['test_year']}: AUC {r['auc']:.3f} (logistic {r['auc_logistic']:.3f}), "
                     f"top decile captures {r['top_decile_capture']:.0%} of {r['test_positives']} entries")
        if "rule_candidates" in r:
            lines.append(f"  the rules' {r['rule_candidates']:,} candidates hold {r['rule_capture']:.0%} of them; "
                         f"the score's first {r['rule_candidates']:,} hold {r['score_capture_at_rule_size']:.0%}")
    return "\n".join(lines) or "no validation: fewer than three labelled years"
