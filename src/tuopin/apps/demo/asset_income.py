"""The demo county's asset-income ledgers (decision 1516): the generator's rows (tuopin.synth.asset_income) written
in bulk against the county's PV stations and livestock bases — found by kind and village when the projects' part
of the build made them, made here when it did not."""

from __future__ import annotations

from decimal import Decimal

from tuopin.apps.audit.services import audit_batch
from tuopin.apps.geo.models import Region
from tuopin.apps.projects.models import Project
from tuopin.apps.registry.bulk import insert_rows
from tuopin.apps.revenue import rules
from tuopin.apps.revenue.models import Income, Participation, Payment, Plan
from tuopin.synth import asset_income
from tuopin.synth.county import Registry

INCOME = ("project_id", "year", "month", "kwh", "tariff", "amount_fen")
PLAN = ("project_id", "year", "posts_pct", "public_works_pct", "dividends_pct", "reserve_pct", "approved_on", "note")
MEMBER = ("project_id", "household_id", "year", "guaranteed_fen")
PAYMENT = ("project_id", "year", "kind", "household_id", "person_id", "post", "months", "monthly_wage_fen",
           "amount_fen", "paid_on", "reversal_reason")


def _stations(codes: list[str], region_id: dict[str, int], names: dict[str, str]) -> dict[str, int]:
    found = dict(Project.objects.filter(kind="pv", villages__code__in=codes).values_list("villages__code", "pk"))
    for code in codes:
        if code not in found:
            p = Project.objects.create(kind="pv", name=f"{names[code]}光伏扶贫电站", capacity_kw=Decimal(
                asset_income.CAPACITY_KW), started_on=None)
            p.villages.add(region_id[code])
            found[code] = p.pk
    return found


def _bases(bases: list[tuple[str, list[str]]]) -> dict[int, int]:
    existing = list(Project.objects.filter(kind="livestock").order_by("pk").values_list("pk", flat=True))
    out = {}
    for i, (name, townships) in enumerate(bases):
        if i < len(existing):
            out[i] = existing[i]
            continue
        p = Project.objects.create(kind="livestock", name=name)
        p.villages.add(*Region.objects.filter(level="village", parent__code__in=townships))
        out[i] = p.pk
    return out


def load_asset_income(reg: Registry, *, seed: int, scale: float) -> dict:
    county = Region.objects.get(level="county")
    per_kw, shares = rules.generation(county.code)
    limits = rules.plan_limits(county.code)
    ledgers = asset_income.build(reg, tariff=rules.tariff(county.code), kwh_per_kw=per_kw, month_shares=shares,
                                 floor_pct=int(limits.get("posts_and_public_works_at_least_pct", 80)),
                                 reserve_pct=min(5, int(limits.get("reserve_at_most_pct", 5))))
    region_id = dict(Region.objects.values_list("code", "id"))
    names = {v["code"]: v["name"] for v in reg.geo.villages}
    stations, bases = _stations(ledgers.stations, region_id, names), _bases(ledgers.bases)

    def pid(key) -> int:
        return stations[key[1]] if key[0] == "pv" else bases[key[1]]

    tables = (
        (Income, INCOME, [(pid(k), *rest) for k, *rest in ledgers.incomes]),
        (Plan, PLAN, [(pid(k), *rest, "村民代表大会通过") for k, *rest in ledgers.plans]),
        (Participation, MEMBER, [(pid(k), *rest) for k, *rest in ledgers.members]),
        (Payment, PAYMENT, [(pid(k), *rest, "") for k, *rest in ledgers.payments]),
    )
    counts = {}
    for model, columns, rows in tables:
        counts[model._meta.model_name] = n = insert_rows(model, columns, rows)
        audit_batch(actor=None, action="demo_build", entity=model._meta.label_lower, source="demo",
                    batch={"seed": seed, "scale": scale, "rows": n},
                    summary=f"demo county (seed {seed}): {n} rows of the asset-income ledgers")
    # A base serves the villages its member households live in: the projects' part may have named fewer.
    village_of = {h.id: h.village for h in reg.households}
    for i, pk in bases.items():
        served = {region_id[village_of[h_id]] for (kind, index), h_id, *_ in ledgers.members
                  if (kind, index) == ("livestock", i)}
        Project.objects.get(pk=pk).villages.add(*served)
    counts["stations"], counts["bases"] = len(stations), len(bases)
    counts["posts_paid_from_other_funds_fen"] = ledgers.unpaid_posts_fen
    return counts
