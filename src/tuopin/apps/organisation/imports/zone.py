"""Rows of the sheets whose records lie in a township: unit ↔ village pairings, work teams and their members,
1×5 groups and their shared trips, responsibility list items. A commander may import these for its own zone."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tuopin.apps.assistance.models import Level, ResponsibilityItem
from tuopin.apps.assistance.responsibility import LEVEL_OWNER, LEVEL_REGION, responsibility_item_create
from tuopin.apps.geo.models import Level as GeoLevel

from ..editing import mutual_group_update, record_update, shared_trip_save
from ..models import MutualGroup, SharedTrip, UnitVillagePairing, WorkTeam, WorkTeamMember
from ..services import (MUTUAL_GROUP_SIZE, mutual_group_create, unit_village_pairing_create, work_team_create,
                        work_team_member_add)
from .county import _outcome
from .reading import Refs, RowError, date, items, optional, required, yes_no

LEVELS = {label: value for value, label in Level.choices}


def _village(row: dict, refs: Refs):
    township = refs.township("乡镇", required(row, "乡镇"))
    return refs.village("村", required(row, "村"), township)


def _check_end(row: dict, start, end, column: str) -> None:
    if end is not None and end < start:
        raise RowError(column, end.isoformat(), _("ends before it starts"))


def unit_village_row(row: dict, refs: Refs, by, source: str) -> str:
    unit = refs.unit("单位", required(row, "单位"))
    village = _village(row, refs)
    start, end = date(row, "开始日期", needed=True), date(row, "结束日期")
    _check_end(row, start, end, "结束日期")
    pairing = UnitVillagePairing.objects.filter(unit=unit, village=village, start=start).first()
    if pairing is None:
        unit_village_pairing_create(unit=unit, village=village, start=start, end=end, by=by, source=source)
        return "created"
    return _outcome(pairing.version, record_update(instance=pairing, by=by, version=None, source=source, end=end))


def work_team_row(row: dict, refs: Refs, by, source: str) -> str:
    village = _village(row, refs)
    unit_name = optional(row, "派出单位")
    unit = refs.unit("派出单位", unit_name) if unit_name else None
    start, end = date(row, "工作队开始日期", needed=True), date(row, "工作队结束日期")
    _check_end(row, start, end, "工作队结束日期")
    cadre = refs.cadre("队员", required(row, "队员"))
    first = yes_no(row, "第一书记")
    since, until = date(row, "选派开始日期") or start, date(row, "选派结束日期")
    _check_end(row, since, until, "选派结束日期")
    outcomes = []
    team = WorkTeam.objects.filter(village=village, start=start).first()
    if team is None:
        team = work_team_create(village=village, unit=unit, start=start, end=end, by=by, source=source)
        outcomes.append("created")
    else:
        version = team.version
        team = record_update(instance=team, by=by, version=None, source=source, unit=unit, end=end)
        outcomes.append(_outcome(version, team))
    member = WorkTeamMember.objects.filter(team=team, cadre=cadre, start=since).first()
    if member is None:
        work_team_member_add(team=team, cadre=cadre, start=since, end=until, first_secretary=first, by=by,
                             source=source)
        outcomes.append("created")
    else:
        outcomes.append(_outcome(member.version, record_update(instance=member, by=by, version=None, source=source,
                                                               end=until, is_first_secretary=first)))
    return "created" if "created" in outcomes else "updated" if "updated" in outcomes else "unchanged"


def mutual_group_row(row: dict, refs: Refs, by, source: str) -> str:
    name = required(row, "互助组名称")
    optional(row, "互助组名称", 60)
    township_name = optional(row, "乡镇")
    township = refs.township("乡镇", township_name) if township_name else None
    vehicle = optional(row, "车辆", 20)
    names = items(row, "成员")
    if len(set(names)) != MUTUAL_GROUP_SIZE:
        raise RowError("成员", "、".join(names), _("a 1×5 group has five different cadres, not %(n)s")
                       % {"n": len(set(names))})
    members = [refs.cadre("成员", n) for n in names]
    group = MutualGroup.objects.filter(name=name).first()
    if group is None:
        mutual_group_create(name=name, members=members, township=township, vehicle=vehicle, by=by, source=source)
        return "created"
    return _outcome(group.version, mutual_group_update(group=group, name=name, vehicle=vehicle, township=township,
                                                       members=members, by=by, version=None, source=source))


def trip_row(row: dict, refs: Refs, by, source: str) -> str:
    group = refs.mutual_group("互助组", required(row, "互助组"))
    on = date(row, "日期", needed=True)
    villages = [refs.village("走访村", v, group.township) for v in items(row, "走访村")]
    households = [refs.household("走访户", n) for n in items(row, "走访户")]
    trip = SharedTrip.objects.filter(group=group, on=on).first()
    before = trip.version if trip else None
    saved = shared_trip_save(trip=trip, group=group, on=on, villages=villages, households=households,
                             note=optional(row, "备注"), by=by, version=None, source=source)
    return _outcome(before, saved)


def responsibility_row(row: dict, refs: Refs, by, source: str) -> str:
    label = required(row, "层级")
    if label not in LEVELS:
        raise RowError("层级", label, _("the level is one of %(levels)s") % {"levels": "、".join(LEVELS)})
    level = LEVELS[label]
    township = refs.township("乡镇", required(row, "乡镇"))
    region = township
    if LEVEL_REGION[level] == GeoLevel.VILLAGE:
        region = refs.village("村", required(row, "村"), township)
    owner = LEVEL_OWNER[level]
    unit = refs.unit("责任单位", required(row, "责任单位")) if owner == "unit" else None
    cadre = refs.cadre("责任人", required(row, "责任人")) if owner == "cadre" else None
    content = required(row, "事项")
    if ResponsibilityItem.objects.filter(level=level, region=region, owner_unit=unit, owner_cadre=cadre,
                                         content=content).exists():
        return "unchanged"  # an item is found again by its level, place, owner and words
    responsibility_item_create(level=level, region=region, owner_unit=unit, owner_cadre=cadre, content=content,
                               deadline=date(row, "完成期限"), by=by, source=source)
    return "created"
