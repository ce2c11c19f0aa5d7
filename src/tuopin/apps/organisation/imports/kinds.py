"""What an organisation workbook may hold: one sheet per kind of record, each with its columns and the function
that applies one row through the services (which check permissions, validate and audit). A row either makes a
record, changes one found by its natural key, or finds it as it is; re-importing a file changes nothing.

Order matters: a sheet may name what an earlier sheet made (a cadre's unit, a group's leader, a trip's group).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import county, zone


@dataclass(frozen=True)
class Column:
    header: str
    required: bool
    example: str
    note: str = ""


@dataclass(frozen=True)
class Kind:
    key: str  # for `tuopin org template KIND` and the template's address
    sheet: str  # the sheet's name in the workbook
    label: str
    columns: tuple[Column, ...]
    apply: Callable  # (row, refs, by, source) -> "created" | "updated" | "unchanged"

    @property
    def first_column(self) -> str:
        return self.columns[0].header


C = Column
KINDS: tuple[Kind, ...] = (
    Kind("units", "单位", _("Units"), (
        C("单位名称", True, "县财政局"),
        C("单位类型", True, "党政机关", "党政机关 / 县直部门 / 企事业单位 / 乡镇"),
        C("行业", False, "finance", "县直部门承接短板的行业：education 教育、health 卫生健康、civil_affairs 民政、"
                                     "medical_insurance 医疗保障、housing 住建、water 水利 …"),
        C("所属乡镇", False, "", "乡镇人民政府所在的乡镇"),
    ), county.unit_row),
    Kind("cadres", "干部", _("Cadres"), (
        C("姓名", True, "张伟"), C("单位", True, "县财政局"), C("职务", False, "科员"),
        C("联系电话", False, "13900001111"), C("县级领导", False, "否", "是 / 否"),
    ), county.cadre_row),
    Kind("groups", "领导小组和专项小组", _("Leading group and special groups"), (
        C("小组名称", True, "镇赉县脱贫攻坚领导小组"), C("类型", False, "领导小组", "领导小组 / 专项小组（默认）"),
        C("组长", False, "陈县长", "姓名，或 姓名（单位）"), C("副组长", False, ""),
        C("成员单位", False, "县财政局、县民政局", "用顿号分隔"), C("职责", False, ""),
    ), county.group_row),
    Kind("zones", "战区", _("War zones"), (
        C("乡镇", True, "镇赉镇"), C("包乡县级领导", True, "陈县长", "须是县级领导"),
        C("乡镇党委书记", True, "周书记"),
    ), county.zone_row),
    Kind("unit_villages", "单位包村", _("Unit–village pairings"), (
        C("单位", True, "县财政局"), C("乡镇", True, "镇赉镇"), C("村", True, "西岗村", "村名，或12位区划代码"),
        C("开始日期", True, "2016-01-01"), C("结束日期", False, "", "空着：仍在包保"),
    ), zone.unit_village_row),
    Kind("work_teams", "驻村工作队", _("Work teams"), (
        C("乡镇", True, "镇赉镇"), C("村", True, "西岗村"), C("派出单位", False, "县财政局"),
        C("工作队开始日期", True, "2016-01-01"), C("工作队结束日期", False, ""),
        C("队员", True, "孙书记", "一行一名队员"), C("第一书记", False, "是", "是 / 否"),
        C("选派开始日期", False, "", "空着：同工作队开始日期"), C("选派结束日期", False, ""),
    ), zone.work_team_row),
    Kind("mutual_groups", "1×5互助组", _("1×5 mutual groups"), (
        C("互助组名称", True, "镇赉镇第1互助组"), C("乡镇", False, "镇赉镇"), C("车辆", False, "吉G12345"),
        C("成员", True, "张伟、李强、王芳、刘洋、陈静", "五名干部，用顿号分隔"),
    ), zone.mutual_group_row),
    Kind("trips", "联合走访", _("Shared trips"), (
        C("互助组", True, "镇赉镇第1互助组"), C("日期", True, "2018-05-12"),
        C("走访村", False, "西岗村", "用顿号分隔"), C("走访户", False, "", "户编号，用顿号分隔"), C("备注", False, ""),
    ), zone.trip_row),
    Kind("responsibility", "责任清单", _("Responsibility lists"), (
        C("层级", True, "包保部门", "包乡领导 / 包保部门 / 驻村工作队 / 第一书记 / 乡镇 / 村"),
        C("乡镇", True, "镇赉镇"), C("村", False, "西岗村", "包保部门、驻村工作队、第一书记、村 这四级须填"),
        C("责任单位", False, "县财政局", "包保部门、驻村工作队、乡镇 这三级须填"),
        C("责任人", False, "", "包乡领导、第一书记 这两级须填"),
        C("事项", True, "落实产业项目到户"), C("完成期限", False, "2018-12-31"),
    ), zone.responsibility_row),
)
BY_KEY = {k.key: k for k in KINDS}
BY_SHEET = {k.sheet: k for k in KINDS}
