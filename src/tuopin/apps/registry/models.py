"""The registry (建档立卡): households, persons, their yearly records and status events."""

from django.conf import settings
from django.db import models

from tuopin.apps.audit.context import ReadAudited
from tuopin.common.versioning import Versioned

from . import choices as c

MONEY_FIELDS = (
    # (field, national label) — the income lines of the 2020 household form, in integer fen.
    ("wage_income_fen", "工资性收入"),
    ("business_income_fen", "生产经营性收入"),
    ("property_income_fen", "其他财产性收入"),
    ("dividend_income_fen", "资产收益扶贫分红收入"),
    ("dibao_fen", "低保金"),
    ("tekun_fen", "特困供养金"),
    ("pension_fen", "养老保险金"),
    ("family_planning_fen", "计划生育金"),
    ("eco_compensation_fen", "生态补偿金"),
    ("other_transfer_fen", "其他转移性收入"),
    # Files that give only 人均纯收入 (the national person-level export) land here, un-itemised.
    ("unitemised_income_fen", "未分项纯收入"),
)

# The yearly shocks that monitoring after exit reads (HouseholdYear), in the order forms and files show them.
SHOCK_FIELDS = ("medical_expense_fen", "education_expense_fen", "disaster_loss_fen", "business_failed",
                "labourer_lost")


# Household, Person and their yearly records are personal data: each instance loaded while a request is served
# is recorded in that request's `read` audit event (ReadAudited, decision 1152).
class Household(ReadAudited, Versioned):  # 户
    number = models.CharField("户编号", max_length=24, unique=True)
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="households")
    natural_village = models.ForeignKey(
        "geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="natural_households"
    )
    # Denormalised from village.parent: the war-zone scope filters on it without a join.
    township = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="township_households")
    is_registered = models.BooleanField("建档立卡", default=False, db_index=True)
    attribute = models.CharField("贫困户属性", max_length=2, choices=c.HouseholdAttribute.choices,
                                 default=c.HouseholdAttribute.NON_POOR)
    status = models.CharField("脱贫属性", max_length=1, choices=c.PovertyStatus.choices, blank=True,
                              default=c.PovertyStatus.NOT_REGISTERED, db_index=True)
    identified_year = models.PositiveSmallIntegerField("识别年度", null=True, blank=True)
    exit_year = models.PositiveSmallIntegerField("脱贫年度", null=True, blank=True)
    primary_cause = models.CharField("主要致贫原因", max_length=2, choices=c.Cause.choices, blank=True)
    other_causes = models.CharField("其他致贫原因", max_length=40, blank=True, help_text="codes, comma-separated")
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField(max_length=128, blank=True)
    cultivated_land_mu = models.DecimalField("耕地面积(亩)", max_digits=8, decimal_places=2, default=0)
    housing_area_m2 = models.DecimalField("住房面积(㎡)", max_digits=8, decimal_places=2, default=0)
    closed = models.BooleanField("已销户", default=False)
    split_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="splits")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merges")

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["village", "status"]), models.Index(fields=["township", "status"])]

    def __str__(self) -> str:
        return self.number


class Person(ReadAudited, Versioned):  # 人
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    number = models.CharField("人编号", max_length=28, unique=True)
    id_number = models.CharField("证件号码", max_length=18, unique=True)
    name = models.CharField("姓名", max_length=32, db_index=True)
    sex = models.CharField("性别", max_length=1, choices=c.Sex.choices)
    birth_date = models.DateField("出生日期")
    relation = models.CharField("与户主关系", max_length=2, choices=c.Relation.choices)
    ethnicity = models.CharField("民族", max_length=2, choices=c.Ethnicity.choices, default=c.Ethnicity.HAN)
    education = models.CharField("文化程度", max_length=1, choices=c.Education.choices, blank=True)
    school_status = models.CharField("在校生状况", max_length=2, choices=c.SchoolStatus.choices, blank=True)
    # 健康状况 is combinable in the national form: 长期慢性病, 患有大病 and 残疾 can all hold.
    chronic_illness = models.BooleanField("长期慢性病", default=False)
    serious_illness = models.BooleanField("患有大病", default=False)
    disabled = models.BooleanField("残疾", default=False)
    disability_grade = models.PositiveSmallIntegerField("残疾等级", null=True, blank=True)
    labour_ability = models.CharField("劳动技能", max_length=1, choices=c.LabourAbility.choices)
    work_status = models.CharField("务工状况", max_length=1, choices=c.WorkStatus.choices, blank=True)
    work_months = models.PositiveSmallIntegerField("务工时间(月)", default=0)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    # A person who left (death, marriage out, moved, misidentified) stays on file, inactive.
    active = models.BooleanField(default=True, db_index=True)
    left_on = models.DateField(null=True, blank=True)
    left_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["household__number", "relation", "number"]

    def __str__(self) -> str:
        return self.name

    @property
    def health_label(self) -> str:
        parts = [label for flag, label in ((self.chronic_illness, "长期慢性病"), (self.serious_illness, "患有大病"),
                                           (self.disabled, "残疾")) if flag]
        return "、".join(parts) or "健康"


class HouseholdYear(ReadAudited, Versioned):  # 户年度信息: income lines, housing, water
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField()
    members = models.PositiveSmallIntegerField("人数")
    wage_income_fen = models.BigIntegerField(default=0)
    business_income_fen = models.BigIntegerField(default=0)
    property_income_fen = models.BigIntegerField(default=0)
    dividend_income_fen = models.BigIntegerField(default=0)
    dibao_fen = models.BigIntegerField(default=0)
    tekun_fen = models.BigIntegerField(default=0)
    pension_fen = models.BigIntegerField(default=0)
    family_planning_fen = models.BigIntegerField(default=0)
    eco_compensation_fen = models.BigIntegerField(default=0)
    other_transfer_fen = models.BigIntegerField(default=0)
    unitemised_income_fen = models.BigIntegerField(default=0)
    production_cost_fen = models.BigIntegerField("生产经营性支出", default=0)
    # Derived by the service on every save: the household's net income (纯收入), total and per head.
    net_income_fen = models.BigIntegerField(default=0)
    per_capita_net_income_fen = models.BigIntegerField("人均纯收入", default=0)
    housing_grade = models.CharField("住房安全等级", max_length=1, choices=c.HousingGrade.choices, default="A")
    renovation = models.CharField("危房改造", max_length=10, choices=c.Renovation.choices, blank=True)
    renovation_year = models.PositiveSmallIntegerField(null=True, blank=True)
    renovation_cost_fen = models.BigIntegerField(default=0)
    # 改造后鉴定: the grade of the house inspected again once the renovation was accepted ('' = not inspected
    # again). Only a safe grade here makes the renovated house safe (decision 1520).
    renovation_grade = models.CharField("改造后鉴定等级", max_length=1, choices=c.HousingGrade.choices, blank=True)
    water_litres_per_day = models.PositiveSmallIntegerField("人均日供水(升)", default=60)
    water_quality_ok = models.BooleanField("水质达标", default=True)
    water_minutes = models.PositiveSmallIntegerField("取水往返(分钟)", default=0)
    water_cut_days = models.PositiveSmallIntegerField("年断水天数", default=0)
    water_short_area = models.BooleanField("缺水地区", default=False)
    food_clothing_secure = models.BooleanField("不愁吃不愁穿", default=True)
    income_expected_stable = models.BooleanField("收入稳定", default=True)
    # The shocks monitoring after exit (防返贫) looks for: rigid spending against income, a disaster, a failed
    # business, the main labourer lost. Recorded by the year they happened in; zero / false when none.
    medical_expense_fen = models.BigIntegerField("自付医疗费用", default=0)
    education_expense_fen = models.BigIntegerField("教育支出", default=0)
    disaster_loss_fen = models.BigIntegerField("灾害损失", default=0)
    business_failed = models.BooleanField("产业经营失败", default=False)
    labourer_lost = models.BooleanField("主要劳动力死亡或丧失劳动能力", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="household_year_unique")]
        ordering = ["household__number", "year"]

    @property
    def renovation_finished(self) -> bool:
        """The house's renovation (危房改造) was finished by the end of this record's year and the house inspected
        again was graded safe (改造后鉴定). The housing rule in rules/sql/household_gaps.sql counts a C or D house
        as safe on the same fact; pages show the grade of such a house as renovated (decisions 1252, 1520;
        tests/web/test_housing_renovation.py pins the agreement)."""
        from tuopin import standards

        safe = standards.load().section("household")["safe_housing_grades"]
        return (bool(self.renovation) and self.renovation_year is not None and self.renovation_year <= self.year
                and self.renovation_grade in safe)

    def compute_income(self) -> None:
        gross = sum(getattr(self, f) for f, _ in MONEY_FIELDS)
        self.net_income_fen = gross - self.production_cost_fen
        self.per_capita_net_income_fen = self.net_income_fen // self.members if self.members else 0


class PersonYear(ReadAudited, Versioned):  # 人年度信息: schooling, insurance, social protection
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField()
    school_status = models.CharField(max_length=2, choices=c.SchoolStatus.choices, blank=True)
    basic_medical = models.BooleanField("基本医疗保险", default=False)
    serious_illness_insurance = models.BooleanField("大病保险", default=False)
    medical_assistance = models.BooleanField("医疗救助", default=False)
    family_doctor = models.BooleanField("家庭医生签约", default=False)
    pension_insurance = models.BooleanField("养老保险", default=False)
    dibao = models.BooleanField("低保", default=False)
    tekun = models.BooleanField("特困供养", default=False)
    work_months = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="person_year_unique")]


class StatusEvent(models.Model):  # 户状态事件 with its procedure (识别 / 脱贫 / 返贫 …)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=c.EventKind.choices)
    year = models.PositiveSmallIntegerField(help_text="the assessment year the event belongs to")
    stage = models.CharField(max_length=20, choices=c.Stage.choices, default=c.Stage.PROPOSED)
    # The date that counts: the announcement (公告) for procedures, the fact's date otherwise.
    effective_on = models.DateField(null=True, blank=True, db_index=True)
    persons = models.PositiveSmallIntegerField(default=0, help_text="members on the effective date")
    reason = models.CharField(max_length=200, blank=True)
    related_household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["household__number", "effective_on", "id"]
        indexes = [models.Index(fields=["kind", "stage", "year"])]

    @property
    def counts(self) -> bool:
        return self.stage == c.Stage.ANNOUNCED


class ProcedureStep(models.Model):  # one stage of a procedure: who, when, outcome
    event = models.ForeignKey(StatusEvent, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=20, choices=c.Stage.choices)
    on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="end of the public notice")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    by_name = models.CharField(max_length=64, blank=True)
    passed = models.BooleanField(default=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["event", "on", "id"]


class NoticeObjection(models.Model):  # 公示异议
    step = models.ForeignKey(ProcedureStep, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField()
    content = models.TextField()
    resolution = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
