"""The demo county's aid payments and its 653 campaign, from the generator's rows (synth.aid, synth.campaign),
written in bulk with one audit batch per table (decisions 1532, 1536)."""

from __future__ import annotations

from tuopin.apps.aid.models import AidPayment
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.campaigns.models import Campaign, Participant, ProgressLog, Target
from tuopin.apps.geo.models import Region
from tuopin.apps.organisation.models import Unit, UnitKind, UnitVillagePairing, WarZone
from tuopin.apps.registry.bulk import insert_rows
from tuopin.synth import aid as synth_aid
from tuopin.synth import campaign as synth_campaign

AID_COLUMNS = ("person_id", "household_id", "village_id", "year", "kind", "amount_fen", "paid_on", "department_id",
               "reference", "note")


def _audit(model, n: int, seed: int, scale: float) -> None:
    audit_batch(actor=None, action="demo_build", entity=model._meta.label_lower, source="demo",
                batch={"seed": seed, "scale": scale, "rows": n},
                summary=f"demo county (seed {seed}): {n} rows of {model._meta.verbose_name_plural}")


def load_aid(tables, *, seed: int, scale: float) -> int:
    units = {}
    for unit_id, domain in (Unit.objects.filter(kind=UnitKind.DEPARTMENT).exclude(domain="").order_by("id")
                            .values_list("id", "domain")):
        units.setdefault(domain, unit_id)
    rows = [(*r[:7], units[r[7]], *r[8:]) for r in synth_aid.aid_rows(tables, seed=seed, scale=scale)
            if r[7] in units]
    n = insert_rows(AidPayment, AID_COLUMNS, rows)
    _audit(AidPayment, n, seed, scale)
    return n


def load_campaign(tables, *, seed: int, scale: float) -> dict:
    poor = set(Region.objects.filter(is_poor_village=True).values_list("pk", flat=True))
    made = synth_campaign.campaign_653(tables, poor, seed=seed)
    campaign = Campaign.objects.create(name=synth_campaign.NAME, start=synth_campaign.START,
                                       end=synth_campaign.END, description=synth_campaign.DESCRIPTION)
    names = dict(Region.objects.filter(pk__in={v for v, _ in made["targets"]}).values_list("pk", "name"))
    insert_rows(Target, ("campaign_id", "village_id", "kind", "count"),
                [(campaign.pk, v, kind, n) for (v, kind), n in made["targets"].items()])
    insert_rows(ProgressLog, ("campaign_id", "village_id", "day", "kind", "count", "by_name", "note"),
                [(campaign.pk, v, day, kind, n, f"{names[v]}驻村工作队", "") for v, day, kind, n in made["logs"]])
    # Taking part: the units paired with the villages on the first day, and each war zone's county leader.
    on = synth_campaign.START
    units = (UnitVillagePairing.objects.filter(village_id__in=names, start__lte=on)
             .exclude(end__lt=on).values_list("unit_id", flat=True).distinct())
    leaders = WarZone.objects.exclude(county_leader=None).values_list("county_leader_id", flat=True).distinct()
    Participant.objects.bulk_create([Participant(campaign=campaign, unit_id=u, role="包村单位") for u in set(units)]
                                    + [Participant(campaign=campaign, cadre_id=c, role="战区指挥")
                                       for c in set(leaders)])
    for model, n in ((Target, len(made["targets"])), (ProgressLog, len(made["logs"]))):
        _audit(model, n, seed, scale)
    return {"campaign": campaign.pk, "targets": len(made["targets"]), "logs": len(made["logs"]),
            "achieved": sum(made["achieved"].values())}
