"""Funds and projects (资金和项目): where the money came from each year, which projects it was allocated to, what
was spent on them, and the projects themselves — the villages they serve, their budget by source, their progress,
the completion check (竣工验收) and the assets handed over to the villages (资产确权移交).

Allocations and spendings are entries, never edited: a mistake is undone by a reversal (冲销), an entry of the
opposite amount naming the one it undoes. The consolidation ledger (统筹整合涉农资金台账) is their sums per fund
(`ledger.py`); the services keep spent ≤ allocated ≤ the fund for every fund and project (decision 1500).
PV revenue and its distribution live in the revenue app, which names a project here.
"""

from django.conf import settings
from django.db import models

from tuopin.common.versioning import Versioned

from .choices import FundSource, ProjectKind, ProjectStatus


class Fund(Versioned):  # 一笔资金: a year's line of one source (整合涉农资金, 县级财力 …)
    name = models.CharField(max_length=80)
    year = models.PositiveSmallIntegerField(db_index=True)
    source = models.CharField(max_length=40, choices=FundSource.choices)
    amount_fen = models.BigIntegerField(help_text="what the fund holds for the year (下达/筹集), in fen")
    county = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document = models.CharField(max_length=80, blank=True, db_default="", help_text="文号")
    note = models.TextField(blank=True, db_default="")

    class Meta:
        ordering = ("year", "source", "name")

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Project(Versioned):  # 项目: PV station, livestock base, water, road, housing …
    kind = models.CharField(max_length=16, choices=ProjectKind.choices,
                            help_text="pv / livestock / water / road / housing / industry / other")
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=40, blank=True, db_default="", db_index=True, help_text="项目编号")
    county = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    villages = models.ManyToManyField("geo.Region", related_name="projects")
    capacity_kw = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True)
    # What else it builds, in its own unit (公里 of road, 人 served by a water works, 头 of cattle …).
    scale = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    scale_unit = models.CharField(max_length=12, blank=True, db_default="")
    budget_fen = models.BigIntegerField(default=0, help_text="the sum of its budget lines")
    spent_fen = models.BigIntegerField(default=0, help_text="the sum of its spendings, kept by the services")
    funds = models.ManyToManyField(Fund, blank=True, related_name="projects")  # the funds allocated to it
    status = models.CharField(max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED,
                              db_default=ProjectStatus.PLANNED, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="the year it was planned")
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    handed_over_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, db_default="")

    class Meta:
        ordering = ("kind", "name")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):  # 项目预算, by source
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    source = models.CharField(max_length=40, choices=FundSource.choices)
    amount_fen = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=("project", "source"), name="budget_line_once_per_source")]


class _Entry(models.Model):
    """An allocation or a spending: positive, or the reversal of one (negative, naming it)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField()
    on = models.DateField()
    document = models.CharField(max_length=80, blank=True, db_default="", help_text="文号 or voucher (凭证号)")
    note = models.TextField(blank=True, db_default="")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", db_index=False)
    recorded_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        abstract = True
        ordering = ("on", "pk")


class Allocation(_Entry):  # 资金分配/下达 to a project
    pass


class Spending(_Entry):  # 资金支出/拨付 on a project, from one fund's allocation
    pass


class CompletionCheck(models.Model):  # 竣工验收
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField()
    checked_by = models.CharField(max_length=120, help_text="who checked (验收单位/人)")
    passed = models.BooleanField()
    notes = models.TextField(blank=True, db_default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", db_index=False)

    class Meta:
        ordering = ("checked_on", "pk")


class Handover(models.Model):  # 资产确权移交: the project's assets given to a village it serves
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="handovers")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    assets = models.CharField(max_length=200, help_text="what was handed over")
    value_fen = models.BigIntegerField(default=0)
    received_by = models.CharField(max_length=120, blank=True, db_default="", help_text="村集体经济组织 …")
    document = models.CharField(max_length=80, blank=True, db_default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("project", "village"), name="handover_once_per_village")]
