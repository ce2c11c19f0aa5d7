"""Projects, funds and revenue distribution (PV stations, livestock bases, water, roads, housing)."""

from django.db import models


class Fund(models.Model):  # 资金来源 (整合涉农资金, 县级财力 …)
    name = models.CharField(max_length=80)
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=40)
    amount_fen = models.BigIntegerField()


class Project(models.Model):  # 项目: PV station, livestock base, water, road, housing
    kind = models.CharField(max_length=16, help_text="pv / livestock / water / road / housing / other")
    name = models.CharField(max_length=120)
    villages = models.ManyToManyField("geo.Region", related_name="projects")
    capacity_kw = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True)
    budget_fen = models.BigIntegerField(default=0)
    spent_fen = models.BigIntegerField(default=0)
    funds = models.ManyToManyField(Fund, blank=True, related_name="projects")
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)


class Revenue(models.Model):  # 收益 per period
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="revenues")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=16)
    kwh = models.BigIntegerField(default=0)
    amount_fen = models.BigIntegerField()


class Distribution(models.Model):  # 收益分配: public-welfare job wage or dividend; never more than came in
    revenue = models.ForeignKey(Revenue, on_delete=models.PROTECT, related_name="distributions")
    kind = models.CharField(max_length=10, help_text="job / dividend / public_work / reward")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    post = models.CharField(max_length=40, blank=True)
    amount_fen = models.BigIntegerField()
