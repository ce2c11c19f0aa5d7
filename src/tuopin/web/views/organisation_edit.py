"""The organisation's record pages: a form to make or change each kind of record, the record's history (its
audit events) beside it. The services check permissions, versions and rules; a stale edit is refused naming
who saved the record and when. A record a commander may see but not change shows its form read-only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.apps.accounts.models import Role
from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.assistance.models import ResponsibilityItem
from tuopin.apps.assistance.responsibility import responsibility_item_create, responsibility_item_update
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation import editing, services
from tuopin.apps.organisation.models import (Cadre, MutualGroup, SharedTrip, SpecialGroup, Unit, UnitVillagePairing,
                                             WarZone, WorkTeam, WorkTeamMember)
from tuopin.apps.organisation.selectors import township_id_of

from .. import org_forms as f
from ..access import forbidden, not_found
from .actions import run

ACTIONS = {"create": gettext_lazy("created"), "update": gettext_lazy("changed"), "end": gettext_lazy("ended")}


def org_township(request) -> int | None:
    """None for the county office (everything); the commander's township; anyone else is refused."""
    user = request.user
    if not may(user, Action.SEE_ORGANISATION):
        raise forbidden(request, entity="organisation")
    return None if user.role == Role.COUNTY_ADMIN else user.region_id


def _reach(request, record):
    """404 for a record outside the commander's township (or a county-wide one)."""
    township = org_township(request)
    if township is not None and township_id_of(record) != township:
        raise not_found(request, entity=record._meta.label_lower, entity_id=record.pk)
    return township


# The fields a record's history names, in the words of its form.
FIELD_LABELS = {
    "name": gettext_lazy("Name"), "kind": gettext_lazy("Kind"), "domain": gettext_lazy("Domain"),
    "region": gettext_lazy("Township"), "unit": gettext_lazy("Unit"), "post": gettext_lazy("Post"),
    "phone": gettext_lazy("Phone"), "is_county_leader": gettext_lazy("County leader"),
    "leader": gettext_lazy("Leader"), "deputy": gettext_lazy("Deputy"), "remit": gettext_lazy("Remit"),
    "member_units": gettext_lazy("Member units"), "is_leading_group": gettext_lazy("This is the leading group"),
    "county_leader": gettext_lazy("County leader in charge"),
    "party_secretary": gettext_lazy("Township Party secretary"),
    "village": gettext_lazy("Village"), "start": gettext_lazy("Starts on"), "end": gettext_lazy("Ends on"),
    "team": gettext_lazy("Work teams"), "cadre": gettext_lazy("Cadre"),
    "is_first_secretary": gettext_lazy("First secretary"),
    "members": gettext_lazy("Five members"), "vehicle": gettext_lazy("Vehicle"), "township": gettext_lazy("Township"),
    "on": gettext_lazy("Date"), "note": gettext_lazy("Note"), "visited": gettext_lazy("Villages visited"),
    "owner_unit": gettext_lazy("Owning unit"), "owner_cadre": gettext_lazy("Owning cadre"),
    "content": gettext_lazy("What it asks for"), "deadline": gettext_lazy("Deadline"), "level": gettext_lazy("Level"),
    "status": gettext_lazy("Status"),
}
# Related records a change names by id: shown by name.
RELATED = {"unit": Unit, "member_units": Unit, "leader": Cadre, "deputy": Cadre, "county_leader": Cadre,
           "party_secretary": Cadre, "cadre": Cadre, "members": Cadre, "region": Region, "village": Region,
           "township": Region, "owner_unit": Unit, "owner_cadre": Cadre}


def _shown(field: str, value):
    model = RELATED.get(field)
    if model is None or value in (None, "", []):
        return "—" if value in (None, "", []) else _("yes") if value is True else _("no") if value is False else value
    ids = value if isinstance(value, list) else [value]
    names = dict(model.objects.filter(pk__in=[i for i in ids if isinstance(i, int)]).values_list("pk", "name"))
    return "、".join(str(names.get(i, i)) for i in ids)


def history(record) -> list[dict]:
    if record is None or record.pk is None:
        return []
    events = AuditEvent.objects.filter(entity=record._meta.label_lower, entity_id=str(record.pk)).order_by("-at", "-pk")
    out = []
    for e in events[:100]:
        changes = []
        for name, pair in (e.changes or {}).items():
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            changes.append((FIELD_LABELS.get(name, name), _shown(name, old), _shown(name, new)))
        out.append({"at": timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"), "who": e.actor_name,
                    "action": ACTIONS.get(e.action, e.action), "source": e.source, "changes": changes})
    return out


def _page(request, *, title, form, save, record=None, back, sections=(), creating=False):
    editable = may(request.user, Action.EDIT_ORGANISATION, record if not creating else None)
    if not editable:
        if request.method == "POST":
            raise forbidden(request, entity=record._meta.label_lower if record else "organisation")
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        outcome = run(request, lambda: save(form.cleaned_data), form=form, done=_("Saved."),
                      entity=record._meta.label_lower if record else "organisation", entity_id=record.pk if record else "")
        if outcome:
            saved = outcome.value
            return redirect(saved if isinstance(saved, str) else request.path if not creating else back)
    return render(request, "web/org_form.html", {"title": title, "form": form, "record": record, "back": back,
                                                 "editable": editable, "history": history(record),
                                                 "sections": sections})


def _data(request):
    return request.POST if request.method == "POST" else None


def _items(**owner) -> list:
    return list(ResponsibilityItem.objects.filter(**owner).select_related("region").order_by("deadline", "pk"))


# ---- units, cadres, groups (the county office) ------------------------------------------------------------

@login_required
def unit_edit(request, pk: int | None = None):
    _county = org_township(request)
    if _county is not None:
        raise forbidden(request, entity="organisation.unit")
    unit = get_object_or_404(Unit, pk=pk) if pk else None
    initial = {"name": unit.name, "kind": unit.kind, "domain": unit.domain, "region": unit.region_id,
               "version": unit.version} if unit else {}
    form = f.UnitForm(_data(request), user=request.user, initial=initial)

    def save(d):
        if unit is None:
            made = services.unit_create(name=d["name"], kind=d["kind"], domain=d["domain"], region=d["region"],
                                        by=request.user)
            return reverse("web:org_unit", args=[made.pk])
        editing.record_update(instance=unit, by=request.user, version=d["version"], name=d["name"], kind=d["kind"],
                              domain=d["domain"], region=d["region"])

    sections = [] if unit is None else [
        {"title": _("Cadres"), "rows": [(c.name, c.post, reverse("web:org_cadre", args=[c.pk]))
                                        for c in unit.cadres.all()[:200]]},
        {"title": _("Responsibility list items"), "item_list": _items(owner_unit=unit)}]
    return _page(request, title=unit.name if unit else _("New unit"), form=form, save=save, record=unit,
                 back=reverse("web:org_units"), sections=sections, creating=unit is None)


@login_required
def cadre_edit(request, pk: int | None = None):
    if org_township(request) is not None:
        raise forbidden(request, entity="organisation.cadre")
    cadre = get_object_or_404(Cadre.objects.select_related("unit"), pk=pk) if pk else None
    initial = {"name": cadre.name, "unit": cadre.unit_id, "post": cadre.post, "phone": cadre.phone,
               "is_county_leader": cadre.is_county_leader, "version": cadre.version} if cadre else {}
    form = f.CadreForm(_data(request), user=request.user, initial=initial)

    def save(d):
        if cadre is None:
            made = services.cadre_create(name=d["name"], unit=d["unit"], post=d["post"], phone=d["phone"],
                                         is_county_leader=d["is_county_leader"], by=request.user)
            return reverse("web:org_cadre", args=[made.pk])
        editing.record_update(instance=cadre, by=request.user, version=d["version"], name=d["name"], unit=d["unit"],
                              post=d["post"], phone=d["phone"], is_county_leader=d["is_county_leader"])

    sections = [] if cadre is None else [{"title": _("Responsibility list items"),
                                          "item_list": _items(owner_cadre=cadre)}]
    return _page(request, title=str(cadre) if cadre else _("New cadre"), form=form, save=save, record=cadre,
                 back=reverse("web:org_cadres"), sections=sections, creating=cadre is None)


@login_required
def group_edit(request, pk: int | None = None):
    if org_township(request) is not None:
        raise forbidden(request, entity="organisation.specialgroup")
    group = get_object_or_404(SpecialGroup, pk=pk) if pk else None
    initial = {"name": group.name, "is_leading_group": group.is_leading_group, "remit": group.remit,
               "leader": str(group.leader) if group.leader else "", "deputy": str(group.deputy) if group.deputy else "",
               "member_units": list(group.member_units.values_list("pk", flat=True)),
               "version": group.version} if group else {}
    form = f.GroupForm(_data(request), user=request.user, initial=initial)

    def save(d):
        saved = editing.special_group_save(group=group, name=d["name"], leader=d["leader_cadre"],
                                           deputy=d["deputy_cadre"], member_units=d["member_units"],
                                           remit=d["remit"], is_leading_group=d["is_leading_group"],
                                           version=d["version"], by=request.user)
        return reverse("web:org_group", args=[saved.pk])

    return _page(request, title=group.name if group else _("New group"), form=form, save=save, record=group,
                 back=reverse("web:org_groups"), creating=group is None)


@login_required
def zone_edit(request, pk: int):
    township = get_object_or_404(Region, pk=pk, level=Level.TOWNSHIP)
    scope = org_township(request)
    if scope is not None and scope != township.pk:
        raise not_found(request, entity="organisation.warzone", entity_id=pk)
    zone = WarZone.objects.filter(township=township).select_related("county_leader", "party_secretary").first()
    initial = {"county_leader": str(zone.county_leader) if zone and zone.county_leader else "",
               "party_secretary": str(zone.party_secretary) if zone and zone.party_secretary else "",
               "version": zone.version if zone else None}
    form = f.ZoneForm(_data(request), user=request.user, initial=initial)

    def save(d):
        if d["leader_cadre"] is None or d["secretary_cadre"] is None:
            raise ValidationError(_("Name both commanders."))
        services.war_zone_set_commanders(township=township, county_leader=d["leader_cadre"],
                                         party_secretary=d["secretary_cadre"], version=d["version"], by=request.user)

    record = zone or WarZone(township=township)
    return _page(request, title=_("War zone %(name)s") % {"name": township.name}, form=form, save=save,
                 record=record, back=reverse("web:org_zones"))


# ---- pairings and work teams ------------------------------------------------------------------------------

@login_required
def pairing_edit(request, pk: int | None = None):
    township = org_township(request)
    if pk is None:
        form = f.PairingForm(_data(request), user=request.user, township_id=township)

        def save(d):
            services.unit_village_pairing_create(unit=d["unit"], village=d["village"], start=d["start"], end=d["end"],
                                                 by=request.user)
            return reverse("web:org_pairings")

        return _page(request, title=_("New unit–village pairing"), form=form, save=save,
                     back=reverse("web:org_pairings"), creating=True)
    pairing = get_object_or_404(UnitVillagePairing.objects.select_related("unit", "village"), pk=pk)
    _reach(request, pairing)
    form = f.PeriodEndForm(_data(request), user=request.user, initial={"end": pairing.end, "version": pairing.version})

    def save(d):
        editing.record_update(instance=pairing, by=request.user, version=d["version"], end=d["end"])

    return _page(request, title=f"{pairing.unit.name} — {pairing.village.name} ({pairing.start})", form=form,
                 save=save, record=pairing, back=reverse("web:org_pairings"))


@login_required
def team_edit(request, pk: int | None = None):
    township = org_township(request)
    if pk is None:
        form = f.WorkTeamForm(_data(request), user=request.user, township_id=township,
                              initial={"village": request.GET.get("village")})

        def save(d):
            team = services.work_team_create(village=d["village"], unit=d["unit"], start=d["start"], end=d["end"],
                                             by=request.user)
            return reverse("web:org_team", args=[team.pk])

        return _page(request, title=_("New work team"), form=form, save=save, back=reverse("web:org_teams"),
                     creating=True)
    team = get_object_or_404(WorkTeam.objects.select_related("unit", "village"), pk=pk)
    _reach(request, team)
    form = f.WorkTeamEditForm(_data(request), user=request.user,
                              initial={"unit": team.unit_id, "end": team.end, "version": team.version})

    def save(d):
        editing.record_update(instance=team, by=request.user, version=d["version"], unit=d["unit"], end=d["end"])

    members = [(f"{m.cadre.name}{'（' + _('First secretary') + '）' if m.is_first_secretary else ''}",
                f"{m.start} – {m.end or ''}", reverse("web:org_member", args=[m.pk]))
               for m in team.members.select_related("cadre").order_by("start", "pk")]
    sections = [{"title": _("Members"), "rows": members, "add": reverse("web:org_member_new", args=[team.pk]),
                 "add_label": _("Dispatch a member")}]
    return _page(request, title=_("Work team of %(village)s") % {"village": team.village.name}, form=form, save=save,
                 record=team, back=reverse("web:org_teams"), sections=sections)


@login_required
def member_edit(request, pk: int | None = None, team_pk: int | None = None):
    if pk is None:
        team = get_object_or_404(WorkTeam.objects.select_related("village"), pk=team_pk)
        _reach(request, team)
        form = f.MemberForm(_data(request), user=request.user, initial={"start": team.start})

        def save(d):
            if d["cadre"] is None:
                raise ValidationError(_("Name the cadre."))
            services.work_team_member_add(team=team, cadre=d["cadre"], start=d["start"], end=d["end"],
                                          first_secretary=d["first_secretary"], by=request.user)
            return reverse("web:org_team", args=[team.pk])

        return _page(request, title=_("Dispatch a member to %(village)s") % {"village": team.village.name}, form=form,
                     save=save, back=reverse("web:org_team", args=[team.pk]), creating=True)
    member = get_object_or_404(WorkTeamMember.objects.select_related("cadre", "team__village"), pk=pk)
    _reach(request, member)
    form = f.MemberEditForm(_data(request), user=request.user, initial={
        "first_secretary": member.is_first_secretary, "end": member.end, "version": member.version})

    def save(d):
        editing.record_update(instance=member, by=request.user, version=d["version"], end=d["end"],
                              is_first_secretary=d["first_secretary"])

    return _page(request, title=f"{member.cadre.name} — {member.team.village.name}", form=form, save=save,
                 record=member, back=reverse("web:org_team", args=[member.team_id]))


# ---- 1×5 groups, trips, responsibility items ------------------------------------------------------------

@login_required
def mutual_group_edit(request, pk: int | None = None):
    township = org_township(request)
    group = get_object_or_404(MutualGroup, pk=pk) if pk else None
    if group:
        _reach(request, group)
    initial = {"name": group.name, "township": group.township_id, "vehicle": group.vehicle, "version": group.version,
               "members": "、".join(str(c) for c in group.members.select_related("unit"))} if group else {}
    form = f.MutualGroupForm(_data(request), user=request.user, township_id=township, initial=initial)

    def save(d):
        if group is None:
            made = services.mutual_group_create(name=d["name"], members=d["member_cadres"], township=d["township"],
                                                vehicle=d["vehicle"], by=request.user)
            return reverse("web:org_mutual_group", args=[made.pk])
        editing.mutual_group_update(group=group, name=d["name"], vehicle=d["vehicle"], township=d["township"],
                                    members=d["member_cadres"], version=d["version"], by=request.user)

    sections = [] if group is None else [{
        "title": _("Shared trips"), "add": reverse("web:org_trip_new", args=[group.pk]),
        "add_label": _("Record a trip"),
        "rows": [(t.on.isoformat(), "、".join(v.name for v in t.villages.all()), reverse("web:org_trip", args=[t.pk]))
                 for t in group.trips.prefetch_related("villages")]}]
    return _page(request, title=group.name if group else _("New 1×5 group"), form=form, save=save, record=group,
                 back=reverse("web:org_mutual_groups"), sections=sections, creating=group is None)


@login_required
def trip_edit(request, pk: int | None = None, group_pk: int | None = None):
    trip = get_object_or_404(SharedTrip.objects.select_related("group"), pk=pk) if pk else None
    group = trip.group if trip else get_object_or_404(MutualGroup, pk=group_pk)
    _reach(request, trip or group)
    initial = {"on": trip.on, "note": trip.note, "version": trip.version,
               "villages": list(trip.villages.values_list("pk", flat=True)),
               "households": "、".join(trip.households.values_list("number", flat=True))} if trip else {}
    form = f.TripForm(_data(request), user=request.user, group=group, initial=initial)

    def save(d):
        editing.shared_trip_save(trip=trip, group=group, on=d["on"], villages=d["villages"],
                                 households=d["household_list"], note=d["note"], version=d["version"],
                                 by=request.user)
        return reverse("web:org_mutual_group", args=[group.pk])

    return _page(request, title=_("Shared trip of %(group)s") % {"group": group.name}, form=form, save=save,
                 record=trip, back=reverse("web:org_mutual_group", args=[group.pk]), creating=trip is None)


@login_required
def item_new(request):
    township = org_township(request)
    form = f.ItemForm(_data(request), user=request.user, township_id=township)

    def save(d):
        responsibility_item_create(level=d["level"], region=d["region"], owner_unit=d["owner_unit"],
                                   owner_cadre=d["cadre"], content=d["content"], deadline=d["deadline"],
                                   by=request.user)
        return reverse("web:org_items")

    return _page(request, title=_("New responsibility list item"), form=form, save=save,
                 back=reverse("web:org_items"), creating=True)


@login_required
def household_pairing_new(request, pk: int):
    """干部包户 for a household the missing list names: the new cadre takes over from the start date (a pairing
    still in force ends the day before: responsibility is handed over, never left empty)."""
    from tuopin.apps.accounts.scoping import households_visible_to

    org_township(request)
    household = households_visible_to(request.user).filter(pk=pk).select_related("village").first()
    if household is None:
        raise not_found(request, entity="registry.household", entity_id=pk)
    form = f.HouseholdPairingForm(_data(request), user=request.user, initial={"start": timezone.localdate()})

    def save(d):
        if d["cadre"] is None:
            raise ValidationError(_("Name the cadre."))
        services.cadre_household_handover(household=household, to=d["cadre"], on=d["start"], by=request.user)
        return reverse("web:org_missing")

    return _page(request, title=_("Pairing cadre for household %(number)s") % {"number": household.number},
                 form=form, save=save, back=reverse("web:org_missing"), creating=True)


@login_required
def item_edit(request, pk: int):
    item = get_object_or_404(ResponsibilityItem.objects.select_related("region", "owner_unit", "owner_cadre__unit"),
                             pk=pk)
    _reach(request, item)
    form = f.ItemEditForm(_data(request), user=request.user, initial={
        "owner_unit": item.owner_unit_id, "owner_cadre": str(item.owner_cadre) if item.owner_cadre else "",
        "content": item.content, "deadline": item.deadline, "version": item.version})

    def save(d):
        responsibility_item_update(item=item, by=request.user, version=d["version"], content=d["content"],
                                   deadline=d["deadline"], owner_unit=d["owner_unit"], owner_cadre=d["cadre"])

    title = f"{item.get_level_display()} · {item.region.name}（{item.get_status_display()}）"
    return _page(request, title=title, form=form, save=save, record=item, back=reverse("web:org_items"))
