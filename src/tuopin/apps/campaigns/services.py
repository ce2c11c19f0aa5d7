"""Campaigns as services: the county office sets a campaign, its targets per village and who takes part; a village
(first secretary), its township (commander) or the county office records a day's progress. Each write is checked,
permission-checked, version-checked where it edits, and audited in the same transaction (decision 1535)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation.models import Cadre, Unit
from tuopin.common.versioning import locked, stamp

from .choices import TargetKind
from .models import Campaign, Participant, ProgressLog, Target

CAMPAIGN_FIELDS = ("name", "start", "end", "description")


def _by_name(by) -> str:
    return "system" if by is None else (by.get_full_name() or by.get_username())[:64]


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError({"end": _("the campaign ends before it starts")})


@transaction.atomic
def campaign_create(*, by, name: str, start: dt.date, end: dt.date, description: str = "",
                    source: str = "web") -> Campaign:
    require(by, Action.MANAGE_CAMPAIGN)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("give the campaign a name")})
    _check_period(start, end)
    if Campaign.objects.filter(name=name).exists():
        raise ValidationError({"name": _("a campaign of this name exists already")})
    campaign = Campaign.objects.create(name=name, start=start, end=end, description=description.strip(),
                                       created_by=by, updated_by=by)
    audit_change(actor=by, action="campaign:create", instance=campaign, source=source,
                 changes=diff({}, snapshot(campaign, CAMPAIGN_FIELDS)), summary=name)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, version: int, by, name: str, start: dt.date, end: dt.date,
                    description: str = "", source: str = "web") -> Campaign:
    campaign = locked(Campaign, campaign.pk, version)
    require(by, Action.MANAGE_CAMPAIGN)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("give the campaign a name")})
    if Campaign.objects.filter(name=name).exclude(pk=campaign.pk).exists():
        raise ValidationError({"name": _("a campaign of this name exists already")})
    _check_period(start, end)
    logged = campaign.logs.exclude(day__range=(start, end)).exists()
    if logged:
        raise ValidationError({"start": _("progress is logged outside the new period")})
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    campaign.name, campaign.start, campaign.end, campaign.description = name, start, end, description.strip()
    stamp(campaign, by)
    campaign.save()
    audit_change(actor=by, action="campaign:update", instance=campaign, source=source,
                 changes=diff(before, snapshot(campaign, CAMPAIGN_FIELDS)), summary=campaign.name)
    return campaign


@transaction.atomic
def target_set(*, campaign: Campaign, by, village: Region, kind: str, count: int, version: int | None = None,
               source: str = "web") -> Target:
    """Set a village's target of a kind: a new one, or a change of the one there (naming the version read)."""
    require(by, Action.MANAGE_CAMPAIGN)
    if kind not in TargetKind.values:
        raise ValidationError({"kind": _("unknown target kind %(kind)s") % {"kind": kind}})
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": _("a target is set for a village")})
    if count <= 0:
        raise ValidationError({"count": _("a target counts at least one")})
    existing = Target.objects.filter(campaign=campaign, village=village, kind=kind).first()
    if existing is None:
        target = Target.objects.create(campaign=campaign, village=village, kind=kind, count=count, updated_by=by)
        audit_change(actor=by, action="campaign:target", instance=target, source=source,
                     changes={"village": [None, village.pk], "kind": [None, kind], "count": [None, count]},
                     summary=f"{campaign.name}: {village.name} {kind} {count}")
        return target
    target = locked(Target, existing.pk, version)
    before = snapshot(target, ("count",))
    target.count = count
    stamp(target, by)
    target.save()
    audit_change(actor=by, action="campaign:target", instance=target, source=source,
                 changes=diff(before, snapshot(target, ("count",))),
                 summary=f"{campaign.name}: {village.name} {kind} {count}")
    return target


@transaction.atomic
def participant_add(*, campaign: Campaign, by, unit: Unit | None = None, cadre: Cadre | None = None,
                    role: str = "", source: str = "web") -> Participant:
    require(by, Action.MANAGE_CAMPAIGN)
    if unit is None and cadre is None:
        raise ValidationError(_("name a unit or a cadre"))
    if Participant.objects.filter(campaign=campaign, unit=unit, cadre=cadre).exists():
        raise ValidationError(_("already taking part"))
    participant = Participant.objects.create(campaign=campaign, unit=unit, cadre=cadre, role=role.strip()[:60])
    audit_change(actor=by, action="campaign:participant", instance=participant, source=source,
                 changes={"unit": [None, getattr(unit, "pk", None)], "cadre": [None, getattr(cadre, "pk", None)],
                          "role": [None, participant.role]}, summary=f"{campaign.name}: {_named(participant)}")
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant, by, source: str = "web") -> None:
    """A unit or cadre added by mistake, or withdrawn: the row goes, the audit record keeps who it was."""
    require(by, Action.MANAGE_CAMPAIGN)
    participant = Participant.objects.select_for_update(of=("self",)).select_related(
        "campaign", "unit", "cadre__unit").get(pk=participant.pk)
    audit_change(actor=by, action="campaign:participant_remove", instance=participant, source=source,
                 changes={"unit": [participant.unit_id, None], "cadre": [participant.cadre_id, None],
                          "role": [participant.role, None]},
                 summary=f"{participant.campaign.name}: {_named(participant)}")
    participant.delete()


def _named(participant: Participant) -> str:
    if participant.cadre_id:
        return f"{participant.cadre.unit.name} {participant.cadre.name}"
    return participant.unit.name


def _check_log(campaign: Campaign, village: Region, day: dt.date, kind: str, count: int, *, least: int) -> None:
    if not Target.objects.filter(campaign=campaign, village=village, kind=kind).exists():
        raise ValidationError({"kind": _("the village has no target of this kind in the campaign")})
    if not campaign.start <= day <= campaign.end:
        raise ValidationError({"day": _("the day lies outside the campaign (%(start)s to %(end)s)")
                                      % {"start": campaign.start, "end": campaign.end}})
    if day > timezone.localdate():
        raise ValidationError({"day": _("progress is logged once made; %(day)s is in the future") % {"day": day}})
    if count < least:
        raise ValidationError({"count": _("log at least one") if least else _("a count cannot be negative")})


@transaction.atomic
def progress_record(*, campaign: Campaign, by, village: Region, day: dt.date, kind: str, count: int,
                    note: str = "", source: str = "web") -> ProgressLog:
    """A day's progress of a village on one of its targets (the village, its township or the county office)."""
    require(by, Action.RECORD_CAMPAIGN_PROGRESS, village)
    _check_log(campaign, village, day, kind, count, least=1)
    log = ProgressLog.objects.create(campaign=campaign, village=village, day=day, kind=kind, count=count,
                                     note=note.strip()[:200], by=by, by_name=_by_name(by))
    audit_change(actor=by, action="campaign:progress", instance=log, source=source,
                 changes={"village": [None, village.pk], "day": [None, day.isoformat()], "kind": [None, kind],
                          "count": [None, count]}, summary=f"{campaign.name}: {village.name} +{count} {kind}")
    return log


@transaction.atomic
def progress_correct(*, log: ProgressLog, by, day: dt.date, kind: str, count: int, note: str,
                     source: str = "web") -> ProgressLog:
    """A mistaken log corrected (decision 1610): a new log of the same village names the one it corrects and
    takes its place on the board; the old one stays, marked corrected. The day, the kind and the count may change
    (0: nothing was done); the reason is required. Only the newest log of a chain is corrected: a log corrected
    meanwhile by someone else is refused, naming who, so that nobody's correction is overwritten unseen."""
    old = (ProgressLog.objects.select_for_update(of=("self",)).select_related("campaign", "village")
           .get(pk=log.pk))
    require(by, Action.RECORD_CAMPAIGN_PROGRESS, old.village)
    newer = ProgressLog.objects.filter(corrects=old).first()
    if newer is not None:
        raise ValidationError(_("this log was corrected already by %(who)s at %(when)s: reload the page and "
                                "correct the newest entry") % {
            "who": newer.by_name, "when": timezone.localtime(newer.created_at).strftime("%Y-%m-%d %H:%M")
            if newer.created_at else "?"})
    reason = note.strip()[:200]
    if not reason:
        raise ValidationError({"note": _("say why the log is corrected")})
    _check_log(old.campaign, old.village, day, kind, count, least=0)
    if (day, kind, count) == (old.day, old.kind, old.count):
        raise ValidationError(_("the correction changes neither the day, the target nor the count"))
    fixed = ProgressLog.objects.create(campaign=old.campaign, village=old.village, day=day, kind=kind, count=count,
                                       note=reason, by=by, by_name=_by_name(by), corrects=old)
    audit_change(actor=by, action="campaign:progress_correct", instance=fixed, source=source,
                 changes={"corrects": [None, old.pk], "day": [old.day.isoformat(), day.isoformat()],
                          "kind": [old.kind, kind], "count": [old.count, count], "note": [old.note, reason]},
                 summary=f"{old.campaign.name}: {old.village.name} {old.count} {old.kind} → {count} {kind}")
    return fixed
