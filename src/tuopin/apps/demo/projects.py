"""The demo county's funds and projects (decision 1504), loaded from the generator (`synth.funds`): the yearly
fund lines 2016–2025, the water and road projects paid from the pooled funds, the 82 PV stations and the two
livestock bases, their allocations and spendings, completion checks and handovers. Written in bulk with one
audit batch, like the rest of the demo; the ledger's invariant holds by the plan's construction (and a test)."""

from __future__ import annotations

from decimal import Decimal

from tuopin.apps.audit.services import audit_batch
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.projects.models import (Allocation, BudgetLine, CompletionCheck, Fund, Handover, Project,
                                         Spending)
from tuopin.synth.funds import county_plan


def _villages() -> tuple[list[dict], dict[str, int]]:
    rows = (Region.objects.filter(level=Level.VILLAGE).order_by("code")
            .values_list("pk", "code", "name", "is_poor_village", "parent__code", "parent__name"))
    villages = [{"code": code, "name": name, "is_poor_village": poor, "township_code": t_code,
                 "township_name": t_name} for _pk, code, name, poor, t_code, t_name in rows]
    return villages, {code: pk for pk, code, *_rest in rows}


def load_funds_and_projects(*, seed: int) -> dict:
    county = Region.objects.get(level=Level.COUNTY)
    villages, village_pk = _villages()
    plan = county_plan(seed, villages)
    funds = Fund.objects.bulk_create([Fund(name=f["name"], year=f["year"], source=f["source"],
                                           amount_fen=f["amount_fen"], county=county, document=f["document"])
                                      for f in plan.funds])
    fund_pk = {f["key"]: fund.pk for f, fund in zip(plan.funds, funds, strict=True)}
    spent: dict[str, int] = {}
    for s in plan.spendings:
        spent[s["project"]] = spent.get(s["project"], 0) + s["amount_fen"]
    projects = Project.objects.bulk_create([Project(
        kind=p["kind"], name=p["name"], code=p["code"], county=county, year=p["year"], status=p["status"],
        capacity_kw=Decimal(p["capacity_kw"]) if p["capacity_kw"] else None,
        scale=Decimal(str(p["scale"])) if p["scale"] else None, scale_unit=p["scale_unit"],
        budget_fen=sum(p["budget"].values()), spent_fen=spent.get(p["key"], 0), started_on=p["started_on"],
        completed_on=p["completed_on"], handed_over_on=p["handed_over_on"]) for p in plan.projects])
    project_pk = {p["key"]: project.pk for p, project in zip(plan.projects, projects, strict=True)}
    Served = Project.villages.through
    Served.objects.bulk_create([Served(project_id=project_pk[p["key"]], region_id=village_pk[code])
                                for p in plan.projects for code in p["villages"]])
    BudgetLine.objects.bulk_create([BudgetLine(project_id=project_pk[p["key"]], source=source, amount_fen=amount)
                                    for p in plan.projects for source, amount in p["budget"].items()])
    Financed = Project.funds.through
    Financed.objects.bulk_create([Financed(project_id=project_pk[a["project"]], fund_id=fund_pk[a["fund"]])
                                  for a in plan.allocations], ignore_conflicts=True)
    for model, rows in ((Allocation, plan.allocations), (Spending, plan.spendings)):
        model.objects.bulk_create([model(fund_id=fund_pk[r["fund"]], project_id=project_pk[r["project"]],
                                         amount_fen=r["amount_fen"], on=r["on"]) for r in rows])
    done = [p for p in plan.projects if p["completed_on"]]
    CompletionCheck.objects.bulk_create([CompletionCheck(project_id=project_pk[p["key"]], checked_on=p["completed_on"],
                                                         checked_by=p["checked_by"], passed=True) for p in done])
    Handover.objects.bulk_create([Handover(
        project_id=project_pk[p["key"]], village_id=village_pk[code], on=p["handed_over_on"],
        assets=p["name"], value_fen=sum(p["budget"].values()) // len(p["villages"]),
        received_by="村股份经济合作社") for p in done for code in p["villages"]])
    counts = {"funds": len(funds), "projects": len(projects), "allocations": len(plan.allocations),
              "spendings": len(plan.spendings), "handed_over": len(done)}
    audit_batch(actor=None, action="demo_build", entity="projects.project", source="demo",
                batch={"seed": seed, **counts},
                summary=f"demo county (seed {seed}): {len(funds)} fund lines 2016–2025, {len(projects)} projects")
    return counts
