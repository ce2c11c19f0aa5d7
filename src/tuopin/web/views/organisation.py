"""The organisation's pages: the index with its import and templates, the list of each kind, and what is missing.
The county office sees and edits everything; a war-zone commander sees its township's records and edits those
that lie in it (decision 1220). Edit pages are in organisation_edit.py."""

from __future__ import annotations


from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.assistance.models import Level as ItemLevel
from tuopin.apps.assistance.models import ResponsibilityItem
from tuopin.apps.assistance.ownerless import gaps_without_owner
from tuopin.apps.organisation import missing
from tuopin.apps.organisation.imports import organisation_import
from tuopin.apps.organisation.imports.kinds import BY_KEY, KINDS
from tuopin.apps.organisation.imports.template import template_bytes, template_kinds
from tuopin.apps.organisation.models import (Cadre, MutualGroup, SpecialGroup, Unit, UnitVillagePairing, WarZone,
                                             WorkTeam, WorkTeamMember)
from tuopin.apps.organisation.selectors import in_force
from tuopin.apps.files.import_lock import ImportBusy

from ..uploads import saved_upload
from ..access import forbidden
from ..params import search_text
from .organisation_edit import org_township

LIMIT = 500  # rows a list shows; the heading gives the full count


def _list(request, *, title, columns, rows, count, new_url=None, kind=None):
    return render(request, "web/org_list.html", {"title": title, "columns": columns, "rows": rows[:LIMIT],
                                                  "count": count, "new_url": new_url, "kind": kind,
                                                  "editable": may(request.user, Action.EDIT_ORGANISATION)})


def _county_only(request):
    township = org_township(request)
    if township is not None:
        raise forbidden(request, entity="organisation")


@login_required
def org_index(request):
    township = org_township(request)
    result = None
    if request.method == "POST":
        result = _import_upload(request)
    kinds = [{"key": k.key, "label": k.label, "sheet": k.sheet} for k in KINDS]
    return render(request, "web/org_index.html", {"kinds": kinds, "result": result, "township": township,
                                                  "may_import": may(request.user, Action.EDIT_ORGANISATION)})


def _import_upload(request):
    upload = request.FILES.get("file")
    if upload is None:
        return {"error": _("Choose the workbook to import.")}
    with saved_upload(upload) as (path, _name):
        try:
            result = organisation_import(path=path, by=request.user, source="web")
        except ImportBusy as exc:
            return {"error": str(exc)}
    return {"ok": result.ok, "file": result.file, "rows": result.rows, "problems": result.problems[:200],
            "problem_count": len(result.problems), "counts": result.counts}


@login_required
def org_template(request, kind: str):
    org_township(request)
    kinds = template_kinds(kind)
    if not kinds:
        raise Http404()
    response = HttpResponse(template_bytes(kinds),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = "organisation" if kind == "all" else kind
    response["Content-Disposition"] = f'attachment; filename="{name}-template.xlsx"'
    return response


@login_required
def unit_list(request):
    _county_only(request)
    units = Unit.objects.annotate(n_cadres=Count("cadres"))
    rows = [{"href": reverse("web:org_unit", args=[u.pk]), "cells": [u.name, u.get_kind_display(), u.domain,
                                                                       u.n_cadres]} for u in units[:LIMIT]]
    return _list(request, title=_("Units"), columns=[_("Name"), _("Kind"), _("Domain"), _("Cadres")], rows=rows,
                 count=units.count(), new_url=reverse("web:org_unit_new"), kind="units")


@login_required
def cadre_list(request):
    _county_only(request)
    q = search_text(request, limit=32)
    cadres = Cadre.objects.select_related("unit")
    if q:
        cadres = cadres.filter(name__contains=q) | cadres.filter(unit__name__contains=q)
    rows = [{"href": reverse("web:org_cadre", args=[c.pk]),
             "cells": [c.name, c.unit.name, c.post, _("yes") if c.is_county_leader else ""]} for c in cadres[:LIMIT]]
    return _list(request, title=_("Cadres"), columns=[_("Name"), _("Unit"), _("Post"), _("County leader")],
                 rows=rows, count=cadres.count(), new_url=reverse("web:org_cadre_new"), kind="cadres")


@login_required
def group_list(request):
    _county_only(request)
    groups = SpecialGroup.objects.select_related("leader", "deputy").annotate(n_units=Count("member_units"))
    rows = [{"href": reverse("web:org_group", args=[g.pk]),
             "cells": [g.name, _("Leading group") if g.is_leading_group else _("Special group"),
                       g.leader.name if g.leader else "", g.deputy.name if g.deputy else "",
                       g.n_units]} for g in groups]
    return _list(request, title=_("Leading group and special groups"),
                 columns=[_("Name"), _("Kind"), _("Leader"), _("Deputy"), _("Member units")], rows=rows,
                 count=groups.count(), new_url=reverse("web:org_group_new"), kind="groups")


def _zone_rows(township):
    from tuopin.web.org_forms import townships

    zones = {z.township_id: z for z in WarZone.objects.select_related("county_leader", "party_secretary")}
    regions = townships().filter(pk=township) if township else townships()
    rows = []
    for t in regions:
        z = zones.get(t.pk)
        rows.append({"href": reverse("web:org_zone", args=[t.pk]),
                     "cells": [t.name, z.county_leader.name if z and z.county_leader else "",
                               z.party_secretary.name if z and z.party_secretary else ""]})
    return rows


@login_required
def war_zone_list(request):
    township = org_township(request)
    rows = _zone_rows(township)
    return _list(request, title=_("War zones"), columns=[_("Township"), _("County leader in charge"),
                                                          _("Township Party secretary")], rows=rows,
                 count=len(rows), kind="zones")


def _period_cells(p) -> list:
    return [p.start.isoformat(), p.end.isoformat() if p.end else _("in force")]


@login_required
def pairing_list(request):
    township = org_township(request)
    pairings = UnitVillagePairing.objects.select_related("unit", "village__parent").order_by("village__code", "start")
    if township:
        pairings = pairings.filter(village__parent_id=township)
    rows = [{"href": reverse("web:org_pairing", args=[p.pk]),
             "cells": [p.unit.name, f"{p.village.parent.name} {p.village.name}", *_period_cells(p)]}
            for p in pairings[:LIMIT]]
    return _list(request, title=_("Unit–village pairings"),
                 columns=[_("Unit"), _("Village"), _("Starts on"), _("Ends on")], rows=rows, count=pairings.count(),
                 new_url=reverse("web:org_pairing_new"), kind="unit_villages")


@login_required
def work_team_list(request):
    township = org_township(request)
    teams = WorkTeam.objects.select_related("unit", "village__parent").order_by("village__code", "start")
    if township:
        teams = teams.filter(village__parent_id=township)
    firsts = {}
    for m in (WorkTeamMember.objects.filter(in_force(), is_first_secretary=True)
              .select_related("cadre")):
        firsts[m.team_id] = m.cadre.name
    rows = [{"href": reverse("web:org_team", args=[t.pk]),
             "cells": [f"{t.village.parent.name} {t.village.name}", t.unit.name if t.unit else "",
                       firsts.get(t.pk, ""), *_period_cells(t)]} for t in teams[:LIMIT]]
    return _list(request, title=_("Work teams"), columns=[_("Village"), _("Sending unit"), _("First secretary"),
                                                           _("Starts on"), _("Ends on")],
                 rows=rows, count=teams.count(), new_url=reverse("web:org_team_new"), kind="work_teams")


@login_required
def mutual_group_list(request):
    township = org_township(request)
    groups = (MutualGroup.objects.select_related("township").prefetch_related("members")
              .annotate(n_trips=Count("trips")))
    if township:
        groups = groups.filter(township_id=township)
    rows = [{"href": reverse("web:org_mutual_group", args=[g.pk]),
             "cells": [g.name, g.township.name if g.township else "", g.vehicle,
                       "、".join(c.name for c in g.members.all()), g.n_trips]} for g in groups[:LIMIT]]
    return _list(request, title=_("1×5 mutual groups"),
                 columns=[_("Name"), _("Township"), _("Vehicle"), _("Members"), _("Shared trips")], rows=rows,
                 count=groups.count(), new_url=reverse("web:org_mutual_group_new"), kind="mutual_groups")


@login_required
def item_list(request):
    township = org_township(request)
    items = ResponsibilityItem.objects.select_related("region", "owner_unit", "owner_cadre").order_by(
        "region__code", "level", "deadline", "pk")
    level = request.GET.get("level", "")
    if level in ItemLevel.values:
        items = items.filter(level=level)
    if township:
        items = items.filter(region_id=township) | items.filter(region__parent_id=township)
    rows = [{"href": reverse("web:org_item", args=[i.pk]),
             "cells": [i.get_level_display(), i.region.name, (i.owner_unit or i.owner_cadre or i.region).__str__(),
                       i.content, i.deadline.isoformat() if i.deadline else "", i.get_status_display()]}
            for i in items[:LIMIT]]
    return _list(request, title=_("Responsibility lists"),
                 columns=[_("Level"), _("Place"), _("Owner"), _("What it asks for"), _("Deadline"), _("Status")],
                 rows=rows, count=items.count(), new_url=reverse("web:org_item_new"), kind="responsibility")


@login_required
def org_missing(request):
    township = org_township(request)
    villages = missing.villages_without_team(township)
    households = missing.households_without_cadre(township)
    zones = missing.townships_without_commanders(township)
    gaps = gaps_without_owner(township)
    return render(request, "web/org_missing.html", {
        "villages": villages[:missing.SHOWN], "village_count": villages.count(),
        "households": households[:missing.SHOWN], "household_count": households.count(),
        "zones": zones, "gaps": gaps[:missing.SHOWN], "gap_count": len(gaps),
        "editable": may(request.user, Action.EDIT_ORGANISATION)})


__all__ = ["org_index", "org_template", "unit_list", "cadre_list", "group_list", "war_zone_list", "pairing_list",
           "work_team_list", "mutual_group_list", "item_list", "org_missing", "BY_KEY"]
