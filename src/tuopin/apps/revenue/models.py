"""资产收益: the ledgers of the projects that earn for the poor (decision 1510).

A village PV station (projects.Project, kind pv) earns month by month (kWh × the tariff); a livestock base (kind
livestock) pays its guaranteed dividend once a year. What came in (Income) is spent by the village's plan for the
year (Plan) on welfare posts, public works and dividends (Payment); a payment to a household is also written
into that household's income line for the year, through the registry's service. A reversed payment stays on file,
marked, and takes its amount back. The ledger never pays out more than came in (services.py).
"""

from django.conf import settings
from django.db import models

from tuopin.common.versioning import Versioned

from .choices import PaymentKind


class Income(Versioned):  # 收益入账: one month of a station, or a base's year (month 0)
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="ledger_incomes")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(help_text="1–12 for a station's month; 0 for a base's yearly receipt")
    kwh = models.BigIntegerField(null=True, blank=True, help_text="generation of the month (PV)")
    tariff = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True,
                                 help_text="yuan per kWh, from the standards")
    amount_fen = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "year", "month"], name="income_month_unique")]
        ordering = ["project", "year", "month"]


class Plan(Versioned):  # 收益分配方案: the village's shares of the year's revenue
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="ledger_plans")
    year = models.PositiveSmallIntegerField()
    posts_pct = models.PositiveSmallIntegerField(default=0)
    public_works_pct = models.PositiveSmallIntegerField(default=0)
    dividends_pct = models.PositiveSmallIntegerField(default=0)
    reserve_pct = models.PositiveSmallIntegerField(default=0)
    approved_on = models.DateField(null=True, blank=True, help_text="村民代表大会 approval")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="plan_year_unique")]


class Participation(models.Model):  # 入股: a household in a livestock base, with its guaranteed dividend
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="ledger_members")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    guaranteed_fen = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "household", "year"], name="participation_unique")]


class Payment(Versioned):  # 收益支出: a post's wage, a dividend, a public work
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="ledger_payments")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=PaymentKind.choices)
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="ledger_payments")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    post = models.CharField(max_length=40, blank=True, help_text="the welfare post (保洁员, 护林员 …) or the work")
    months = models.PositiveSmallIntegerField(default=0)
    monthly_wage_fen = models.BigIntegerField(default=0)
    amount_fen = models.BigIntegerField()
    paid_on = models.DateField()
    reversed_on = models.DateField(null=True, blank=True)
    reversal_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["project", "year"]), models.Index(fields=["household", "year"])]
        ordering = ["project", "year", "kind", "id"]
