"""Responsibility lists at six levels (责任清单: 包乡领导, 包保部门, 驻村工作队, 第一书记, 乡镇, 村):
items with an owner, a deadline, a status and evidence."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.geo.models import Level as GeoLevel
from tuopin.apps.geo.models import Region

from tuopin.common.versioning import locked, stamp

from .models import Level, ResponsibilityItem, TaskStatus

# The region each level's list belongs to, and who may own its items.
LEVEL_REGION = {
    Level.TOWNSHIP_LEADER: GeoLevel.TOWNSHIP, Level.TOWNSHIP: GeoLevel.TOWNSHIP,
    Level.PAIRED_UNIT: GeoLevel.VILLAGE, Level.WORK_TEAM: GeoLevel.VILLAGE,
    Level.FIRST_SECRETARY: GeoLevel.VILLAGE, Level.VILLAGE: GeoLevel.VILLAGE,
}
# "unit", "cadre", or None where the region itself (the village committee) owns the item.
LEVEL_OWNER = {
    Level.TOWNSHIP_LEADER: "cadre", Level.TOWNSHIP: "unit", Level.PAIRED_UNIT: "unit", Level.WORK_TEAM: "unit",
    Level.FIRST_SECRETARY: "cadre", Level.VILLAGE: None,
}
FIELDS = ("level", "region", "owner_unit", "owner_cadre", "content", "deadline", "status")


@transaction.atomic
def responsibility_item_create(*, level: str, region: Region, content: str, by, owner_unit=None, owner_cadre=None,
                               deadline: dt.date | None = None, source: str = "web") -> ResponsibilityItem:
    require(by, Action.EDIT_ORGANISATION, region)
    if level not in Level.values:
        raise ValidationError({"level": _("unknown level %(level)r") % {"level": level}})
    if region.level != LEVEL_REGION[level]:
        raise ValidationError({"region": _("a %(level)s list belongs to a %(needed)s, not to %(region)s")
                                         % {"level": Level(level).label, "needed": GeoLevel(LEVEL_REGION[level]).label,
                                            "region": region.name}})
    _check_owner(level, owner_unit, owner_cadre)
    if not content.strip():
        raise ValidationError({"content": _("say what the item asks for")})
    item = ResponsibilityItem.objects.create(level=level, region=region, owner_unit=owner_unit,
                                             owner_cadre=owner_cadre, content=content.strip(), deadline=deadline,
                                             created_at=timezone.now())
    audit_change(actor=by, action="create", instance=item, source=source,
                 summary=f"{Level(level).label}: {content[:80]}",
                 changes={k: [None, v] for k, v in snapshot(item, FIELDS).items()})
    return item


def _check_owner(level: str, owner_unit, owner_cadre) -> None:
    need = LEVEL_OWNER[level]
    if need == "unit" and (owner_unit is None or owner_cadre is not None):
        raise ValidationError({"owner_unit": _("a %(level)s item is owned by a unit")
                                             % {"level": Level(level).label}})
    if need == "cadre" and (owner_cadre is None or owner_unit is not None):
        raise ValidationError({"owner_cadre": _("a %(level)s item is owned by a cadre")
                                              % {"level": Level(level).label}})


@transaction.atomic
def responsibility_item_update(*, item: ResponsibilityItem, by, version: int | None, content: str,
                               deadline: dt.date | None, owner_unit=None, owner_cadre=None,
                               source: str = "web") -> ResponsibilityItem:
    """Change what an item asks for, its deadline or its owner; its level and place stay (a new item for those)."""
    item = locked(ResponsibilityItem, item.pk, version)
    require(by, Action.EDIT_ORGANISATION, item.region)
    _check_owner(item.level, owner_unit, owner_cadre)
    if not content.strip():
        raise ValidationError({"content": _("say what the item asks for")})
    fields = ("content", "deadline", "owner_unit", "owner_cadre")
    before = snapshot(item, fields)
    item.content, item.deadline, item.owner_unit, item.owner_cadre = content.strip(), deadline, owner_unit, owner_cadre
    changes = diff(before, snapshot(item, fields))
    if not changes:
        return item
    item.save(update_fields=[*fields, *stamp(item, by)])
    audit_change(actor=by, action="update", instance=item, changes=changes, source=source,
                 summary=f"{Level(item.level).label}: {item.content[:80]}")
    return item


@transaction.atomic
def responsibility_item_complete(*, item: ResponsibilityItem, evidence: str, by, on: dt.date | None = None,
                                 source: str = "web") -> ResponsibilityItem:
    item = ResponsibilityItem.objects.select_for_update().get(pk=item.pk)
    if item.status != TaskStatus.OPEN:
        raise ValidationError(_("the item is already completed"))
    if not evidence.strip():
        raise ValidationError({"evidence": _("say what was done (the evidence)")})
    before = snapshot(item, ("status", "evidence", "completed_on"))
    item.status, item.evidence = TaskStatus.DONE, evidence.strip()
    item.completed_on = on or timezone.localdate()
    item.save(update_fields=["status", "evidence", "completed_on"])
    audit_change(actor=by, action="complete", instance=item, source=source, summary=f"item {item.pk} completed",
                 changes=diff(before, snapshot(item, ("status", "evidence", "completed_on"))))
    return item
