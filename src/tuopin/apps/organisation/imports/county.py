"""Rows of the county-wide sheets: units, cadres, the leading group and special groups, war zones."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..editing import record_update, special_group_save
from ..importer import KIND_LABELS, _PHONE
from ..models import Cadre, SpecialGroup, Unit, WarZone
from ..services import cadre_create, unit_create, war_zone_set_commanders
from .reading import Refs, RowError, items, optional, required, yes_no

LEADING, SPECIAL = "领导小组", "专项小组"
DOMAINS = {"教育": "education", "卫生健康": "health", "卫生": "health", "民政": "civil_affairs",
           "医疗保障": "medical_insurance", "医保": "medical_insurance", "住建": "housing",
           "住房和城乡建设": "housing", "水利": "water", "财政": "finance", "农业": "agriculture",
           "人社": "hr", "交通": "transport", "残联": "disabled_persons", "扶贫": "poverty"}


def _outcome(before_version: int | None, after) -> str:
    if before_version is None:
        return "created"
    return "updated" if after.version != before_version else "unchanged"


def unit_row(row: dict, refs: Refs, by, source: str) -> str:
    name = required(row, "单位名称")
    optional(row, "单位名称", 80)
    label = required(row, "单位类型")
    if label not in KIND_LABELS:
        raise RowError("单位类型", label, _("unit type is one of %(kinds)s") % {"kinds": "、".join(KIND_LABELS)})
    domain = optional(row, "行业", 32)
    domain = DOMAINS.get(domain, domain)
    township_name = optional(row, "所属乡镇")
    township = refs.township("所属乡镇", township_name) if township_name else None
    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        unit_create(name=name, kind=KIND_LABELS[label], domain=domain, region=township, by=by, source=source)
        return "created"
    return _outcome(unit.version, record_update(instance=unit, by=by, version=None, source=source,
                                                kind=KIND_LABELS[label], domain=domain, region=township))


def cadre_row(row: dict, refs: Refs, by, source: str) -> str:
    name, unit_name = required(row, "姓名"), required(row, "单位")
    optional(row, "姓名", 32)
    unit = refs.unit("单位", unit_name)
    post, phone = optional(row, "职务", 40), optional(row, "联系电话").replace(" ", "")
    if phone and not _PHONE.match(phone):
        raise RowError("联系电话", phone, _("not a phone number"))
    leader = yes_no(row, "县级领导")
    found = list(Cadre.objects.filter(unit=unit, name=name)[:2])
    if len(found) > 1:
        found = [c for c in found if phone and c.phone == phone]
        if len(found) != 1:
            raise RowError("姓名", name, _("several cadres of the unit have this name: give the phone number"))
    if not found:
        cadre_create(name=name, unit=unit, post=post, phone=phone, is_county_leader=leader, by=by, source=source)
        return "created"
    cadre = found[0]
    return _outcome(cadre.version, record_update(instance=cadre, by=by, version=None, source=source,
                                                 post=post or cadre.post, phone=phone or cadre.phone,
                                                 is_county_leader=leader))


def group_row(row: dict, refs: Refs, by, source: str) -> str:
    name = required(row, "小组名称")
    optional(row, "小组名称", 60)
    kind = optional(row, "类型") or SPECIAL
    if kind not in (LEADING, SPECIAL):
        raise RowError("类型", kind, _("write 领导小组 or 专项小组"))
    leader = refs.cadre("组长", optional(row, "组长")) if optional(row, "组长") else None
    deputy = refs.cadre("副组长", optional(row, "副组长")) if optional(row, "副组长") else None
    units = [refs.unit("成员单位", u) for u in items(row, "成员单位")]
    group = SpecialGroup.objects.filter(name=name).first()
    before = group.version if group else None
    saved = special_group_save(group=group, name=name, leader=leader, deputy=deputy, member_units=units,
                               remit=optional(row, "职责"), is_leading_group=kind == LEADING, by=by, source=source)
    return _outcome(before, saved)


def zone_row(row: dict, refs: Refs, by, source: str) -> str:
    township = refs.township("乡镇", required(row, "乡镇"))
    leader = refs.cadre("包乡县级领导", required(row, "包乡县级领导"))
    secretary = refs.cadre("乡镇党委书记", required(row, "乡镇党委书记"))
    if not leader.is_county_leader:
        raise RowError("包乡县级领导", leader.name, _("not a county leader (mark 县级领导 是 on the sheet 干部)"))
    zone = WarZone.objects.filter(township=township).first()
    if zone and (zone.county_leader_id, zone.party_secretary_id) == (leader.pk, secretary.pk):
        return "unchanged"
    war_zone_set_commanders(township=township, county_leader=leader, party_secretary=secretary, by=by, source=source)
    return "updated" if zone else "created"
