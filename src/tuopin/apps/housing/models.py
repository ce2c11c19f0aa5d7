"""A house's renovation (危房改造) as a workflow: inspection, option, approval, works, acceptance, re-inspection
(decision 1521). Only its last stage writes the registry (HouseholdYear.renovation*, through the registry's
audited service): until then the house is as the registry says."""

from django.db import models
from django.db.models import Q

from tuopin.apps.registry.choices import HousingGrade, Renovation
from tuopin.common.versioning import Versioned

from .choices import Stage


class HouseRenovation(Versioned):  # 危房改造
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="renovations")
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices, default=Stage.INSPECTED, db_index=True)
    # 鉴定: the house as the inspector found it; the floor area and household size decide the options' areas.
    grade = models.CharField("鉴定等级", max_length=1, choices=HousingGrade.choices)
    inspected_on = models.DateField("鉴定日期")
    inspector = models.CharField("鉴定人", max_length=64)
    agency = models.CharField("鉴定机构", max_length=100, blank=True)
    floor_area_m2 = models.DecimalField("住房面积(㎡)", max_digits=8, decimal_places=2)
    members = models.PositiveSmallIntegerField("人数")
    # 方案: the option and, from the standards in force when it was chosen, its reference cost and the subsidy.
    option = models.CharField("改造方式", max_length=10, choices=Renovation.choices, blank=True)
    option_on = models.DateField("方案选定日期", null=True, blank=True)
    estimated_cost_fen = models.BigIntegerField("参考费用", default=0)
    subsidy_fen = models.BigIntegerField("补助", default=0)
    # 县级审批
    approved_on = models.DateField("审批日期", null=True, blank=True)
    approved_by_name = models.CharField("审批人", max_length=64, blank=True)
    # 施工
    works_on = models.DateField("开工日期", null=True, blank=True)
    contractor = models.CharField("施工单位", max_length=100, blank=True)
    # 竣工验收: the last check held; a failed one leaves the works open (`accepted` False).
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    accepted_by_name = models.CharField("验收人", max_length=64, blank=True)
    accepted = models.BooleanField("验收合格", null=True, blank=True)
    cost_fen = models.BigIntegerField("实际费用", default=0)
    # 改造后鉴定: the last re-inspection; a grade C or D leaves the renovation accepted but not safe.
    reinspected_on = models.DateField("改造后鉴定日期", null=True, blank=True)
    reinspector = models.CharField("改造后鉴定人", max_length=64, blank=True)
    reinspection_grade = models.CharField("改造后鉴定等级", max_length=1, choices=HousingGrade.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["household"], condition=~Q(stage="safe"),
                                               name="one_open_renovation_per_household")]
        indexes = [models.Index(fields=["stage", "inspected_on"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.get_stage_display()}"

    @property
    def last_date(self):
        """The date of the latest stage recorded: the overdue clock runs from it."""
        return {Stage.INSPECTED: self.inspected_on, Stage.OPTION_CHOSEN: self.option_on,
                Stage.APPROVED: self.approved_on, Stage.WORKS: self.works_on,
                Stage.ACCEPTED: self.accepted_on, Stage.SAFE: self.reinspected_on}[Stage(self.stage)]
