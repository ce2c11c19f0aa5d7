"""Campaigns on the web (攻坚行动, decision 1535): the campaigns of the account's area (and a new one, for the
county office), a campaign's board — progress against target per village and township on a day, the days left,
the villages behind schedule — and the form a village or township logs a day's progress on."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.campaigns import selectors, services
from tuopin.apps.campaigns.models import Campaign, Participant, ProgressLog, Target

from ..access import forbidden, not_found
from ..params import one_named
from ..campaign_forms import CampaignForm, CorrectionForm, ParticipantForm, ProgressForm, TargetForm
from .actions import run

ENTITY = "campaigns.campaign"


def _campaign(request, pk: int) -> Campaign:
    if not may(request.user, Action.SEE_CAMPAIGNS):
        raise forbidden(request, entity=ENTITY, entity_id=pk)
    try:
        return selectors.campaigns_for(request.user).get(pk=pk)
    except Campaign.DoesNotExist:
        raise not_found(request, entity=ENTITY, entity_id=pk) from None


@login_required
def campaign_list(request):
    user = request.user
    if not may(user, Action.SEE_CAMPAIGNS):
        raise forbidden(request, entity=ENTITY)
    may_manage = may(user, Action.MANAGE_CAMPAIGN)
    form = CampaignForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise forbidden(request, entity=ENTITY)
        if form.is_valid():
            done = run(request, lambda: services.campaign_create(by=user, **form.cleaned_data), form=form,
                       entity=ENTITY, done=_("Campaign created."))
            if done:
                return redirect("web:campaign", done.value.pk)
    today = timezone.localdate()
    campaigns = list(selectors.campaigns_for(user))
    return render(request, "web/campaigns/list.html", {
        "campaigns": [(c, selectors.elapsed(c, today)[1]) for c in campaigns], "form": form, "today": today,
    })


def _on(request, campaign: Campaign) -> dt.date:
    """The day the board is read for: ?on=, else today, within the campaign's period."""
    raw = request.GET.get("on", "")
    try:
        on = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        on = timezone.localdate()
    return min(max(on, campaign.start), campaign.end)


@login_required
def campaign_board(request, pk: int):
    user = request.user
    campaign = _campaign(request, pk)
    township = None
    raw = request.GET.get("township")
    townships = selectors.villages_for(user).filter(
        pk__in=Target.objects.filter(campaign=campaign).values("village_id")).values_list("parent_id", flat=True)
    if raw:
        from tuopin.apps.geo.models import Region

        township = one_named(request, raw, Region.objects.filter(pk__in=townships), entity="geo.region")
    on = _on(request, campaign)
    board = selectors.board(user, campaign, on, township=township)
    manages = may(user, Action.MANAGE_CAMPAIGN)
    return render(request, "web/campaigns/board.html", {
        "campaign": campaign, "board": board, "township": township,
        "participants": selectors.participants(campaign), "may_manage": manages,
        "may_log": may(user, Action.RECORD_CAMPAIGN_PROGRESS),
        "target_form": TargetForm(villages=_villages(user)) if manages else None,
        "participant_form": ParticipantForm(units=selectors.units()) if manages else None,
    })


def _villages(user):
    return list(selectors.villages_for(user).select_related("parent").order_by("code"))


@login_required
def target_set(request, pk: int):
    """The county office sets a village's target (POST from the board); an existing one changes."""
    user = request.user
    campaign = _manage(request, pk)
    villages = _villages(user)
    form = TargetForm(request.POST, villages=villages)
    if form.is_valid():
        data = form.cleaned_data
        village = next(v for v in villages if str(v.pk) == data["village"])
        existing = Target.objects.filter(campaign=campaign, village=village, kind=data["kind"]).first()
        run(request, lambda: services.target_set(campaign=campaign, by=user, village=village, kind=data["kind"],
                                                 count=data["count"], version=existing.version if existing else None),
            entity=ENTITY, entity_id=pk, done=_("Target set."))
    else:
        messages.error(request, _("The target was not set: check the village, the kind and the count."))
    return redirect("web:campaign", campaign.pk)


def _manage(request, pk: int) -> Campaign:
    """The campaign a county-office POST from the board changes; anything else is refused."""
    campaign = _campaign(request, pk)
    if request.method != "POST" or not may(request.user, Action.MANAGE_CAMPAIGN):
        raise forbidden(request, entity=ENTITY, entity_id=pk)
    return campaign


@login_required
def participant_add(request, pk: int):
    """The county office adds a unit, or a cadre named within its unit, to the campaign (POST from the board)."""
    user = request.user
    campaign = _manage(request, pk)
    units = selectors.units()
    form = ParticipantForm(request.POST, units=units)
    if not form.is_valid():
        messages.error(request, _("Nobody was added: choose a unit."))
        return redirect("web:campaign", campaign.pk)
    data = form.cleaned_data
    unit = next(u for u in units if str(u.pk) == data["unit"])
    name = data["cadre"].strip()
    cadre = None
    if name:
        found = list(unit.cadres.filter(name=name)[:2])
        if len(found) != 1:
            messages.error(request, (_("%(unit)s has no cadre named %(name)s.") if not found else
                                     _("%(unit)s has more than one cadre named %(name)s: ask the unit which one."))
                           % {"unit": unit.name, "name": name})
            return redirect("web:campaign", campaign.pk)
        cadre = found[0]
    run(request, lambda: services.participant_add(campaign=campaign, by=user, unit=None if cadre else unit,
                                                  cadre=cadre, role=data["role"]),
        entity=ENTITY, entity_id=pk, done=_("Added to the campaign."))
    return redirect("web:campaign", campaign.pk)


@login_required
def participant_remove(request, pk: int, participant: int):
    user = request.user
    campaign = _manage(request, pk)
    try:
        taking_part = campaign.participants.get(pk=participant)
    except Participant.DoesNotExist:
        raise not_found(request, entity="campaigns.participant", entity_id=participant) from None
    run(request, lambda: services.participant_remove(participant=taking_part, by=user),
        entity=ENTITY, entity_id=pk, done=_("Removed from the campaign."))
    return redirect("web:campaign", campaign.pk)


@login_required
def progress_new(request, pk: int):
    user = request.user
    campaign = _campaign(request, pk)
    if not may(user, Action.RECORD_CAMPAIGN_PROGRESS):
        raise forbidden(request, entity=ENTITY, entity_id=pk)
    villages = list(selectors.villages_for(user).filter(
        pk__in=Target.objects.filter(campaign=campaign).values("village_id")).select_related("parent")
        .order_by("code"))
    kinds = set(Target.objects.filter(campaign=campaign, village__in=villages).values_list("kind", flat=True))
    form = ProgressForm(request.POST or None, villages=villages, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        village = next(v for v in villages if str(v.pk) == data["village"])
        done = run(request, lambda: services.progress_record(
            campaign=campaign, by=user, village=village, day=data["day"], kind=data["kind"], count=data["count"],
            note=data["note"]), form=form, entity=ENTITY, entity_id=campaign.pk, done=_("Progress logged."))
        if done:
            return redirect("web:campaign", campaign.pk)
    return render(request, "web/campaigns/log.html", {
        "campaign": campaign, "form": form, "logs": selectors.logs_for(user, campaign)[:30],
    })


@login_required
def progress_correct(request, pk: int, log: int):
    """A mistaken log corrected by a new one that takes its place (decision 1610); the old one stays."""
    user = request.user
    campaign = _campaign(request, pk)
    if not may(user, Action.RECORD_CAMPAIGN_PROGRESS):
        raise forbidden(request, entity=ENTITY, entity_id=pk)
    try:
        wrong = selectors.logs_for(user, campaign).get(pk=log)
    except ProgressLog.DoesNotExist:
        raise not_found(request, entity="campaigns.progresslog", entity_id=log) from None
    if not may(user, Action.RECORD_CAMPAIGN_PROGRESS, wrong.village):
        raise forbidden(request, entity="campaigns.progresslog", entity_id=log)
    kinds = set(Target.objects.filter(campaign=campaign, village=wrong.village).values_list("kind", flat=True))
    form = CorrectionForm(request.POST or None, kinds=kinds,
                          initial={"day": wrong.day, "kind": wrong.kind, "count": wrong.count})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run(request, lambda: services.progress_correct(
            log=wrong, by=user, day=data["day"], kind=data["kind"], count=data["count"], note=data["note"]),
            form=form, entity="campaigns.progresslog", entity_id=log, done=_("Log corrected."))
        if done:
            return redirect("web:campaign_log", campaign.pk)
    return render(request, "web/campaigns/correct.html", {"campaign": campaign, "log": wrong, "form": form})
