"""Geography: the region tree with 12-digit statistical division codes (统计用区划代码)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.common.versioning import Versioned


class Level(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")  # 乡镇 — each rural township is a war zone (战区)
    VILLAGE = "village", _("administrative village")  # 行政村
    NATURAL_VILLAGE = "natural_village", _("natural village")  # 自然村 / 屯


LEVEL_DEPTH = {
    Level.PROVINCE: 0,
    Level.CITY: 1,
    Level.COUNTY: 2,
    Level.TOWNSHIP: 3,
    Level.VILLAGE: 4,
    Level.NATURAL_VILLAGE: 5,
}


class Region(models.Model):  # 行政区划
    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=64)
    level = models.CharField(max_length=16, choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    kind = models.CharField(max_length=16, blank=True, help_text="镇 / 乡 / 民族乡 / 街道 …")
    is_rural = models.BooleanField(default=True)
    # 贫困村: registered poor village, and the year it was registered.
    is_poor_village = models.BooleanField(default=False)
    poor_village_since = models.PositiveSmallIntegerField(null=True, blank=True)
    west = models.BooleanField(default=False, help_text="western region: 3% exit threshold instead of 2%")

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "level"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_war_zone(self) -> bool:
        return self.level == Level.TOWNSHIP and self.is_rural

    def ancestors(self) -> list["Region"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class VillageYear(Versioned):  # 村年度信息: the denominator and the village exit facts
    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField(help_text="rural registered population (农村户籍人口)")
    households = models.PositiveIntegerField(default=0)
    has_clinic = models.BooleanField(default=False)  # 标准化卫生室
    has_qualified_doctor = models.BooleanField(default=False)  # 合格村医
    road_hardened = models.BooleanField(default=False)  # 通硬化路
    safe_water = models.BooleanField(default=False)  # 安全饮水全覆盖
    collective_income_fen = models.BigIntegerField(default=0)  # 村集体经济收入

    class Meta:
        constraints = [models.UniqueConstraint(fields=["village", "year"], name="village_year_unique")]
        ordering = ["village__code", "year"]
