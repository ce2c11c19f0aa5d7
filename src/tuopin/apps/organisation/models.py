"""Organisation: units, cadres, the leading group, war zones, work teams, pairings, 1×5 mutual groups."""

from django.db import models

from tuopin.common.versioning import Versioned


class Period(Versioned):
    """A responsibility that holds from `start` to `end` (open-ended while `end` is empty)."""

    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True


class UnitKind(models.TextChoices):
    PARTY_GOV = "party_gov", "党政机关"
    DEPARTMENT = "department", "县直部门"
    ENTERPRISE = "enterprise", "企事业单位"
    TOWNSHIP = "township", "乡镇"


class Unit(Versioned):  # 单位
    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=UnitKind.choices)
    # Departments hold social data and receive the gaps of their domain (education, health …).
    domain = models.CharField(max_length=32, blank=True, help_text="education / health / civil_affairs / …")
    # The region a township government (乡镇人民政府) answers for: routed gaps owned by "township" land here.
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cadre(Versioned):  # 干部
    name = models.CharField(max_length=32)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cadres")
    post = models.CharField("职务", max_length=40, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    is_county_leader = models.BooleanField("县级领导", default=False)

    class Meta:
        ordering = ["unit__name", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class SpecialGroup(Versioned):  # 专项小组 of the leading group (领导小组)
    name = models.CharField(max_length=60, unique=True)
    # The leading group itself (领导小组) is kept as one row of this table, marked: it has a leader (组长), a deputy
    # and member units like the special groups it sets up (decision 1221).
    is_leading_group = models.BooleanField("领导小组", default=False, db_default=False)
    remit = models.TextField("职责", blank=True)
    leader = models.ForeignKey(Cadre, null=True, on_delete=models.PROTECT, related_name="groups_led")
    deputy = models.ForeignKey(Cadre, null=True, on_delete=models.PROTECT, related_name="groups_deputised")
    member_units = models.ManyToManyField(Unit, blank=True, related_name="special_groups")

    class Meta:
        ordering = ["-is_leading_group", "name"]
        constraints = [models.UniqueConstraint(fields=["is_leading_group"], condition=models.Q(is_leading_group=True),
                                               name="one_leading_group")]

    def __str__(self) -> str:
        return self.name


class WarZone(Versioned):  # 战区: one per rural township
    township = models.OneToOneField("geo.Region", on_delete=models.PROTECT, related_name="war_zone")
    # Jointly responsible commanders (捆绑同责): the county leader in charge and the Party secretary.
    county_leader = models.ForeignKey(Cadre, null=True, on_delete=models.PROTECT, related_name="zones_led")
    party_secretary = models.ForeignKey(Cadre, null=True, on_delete=models.PROTECT, related_name="zones_secretary")


class WorkTeam(Period):  # 驻村工作队
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="work_teams")
    unit = models.ForeignKey(Unit, null=True, on_delete=models.PROTECT, related_name="work_teams")


class WorkTeamMember(Period):
    team = models.ForeignKey(WorkTeam, on_delete=models.CASCADE, related_name="members")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="team_memberships")
    is_first_secretary = models.BooleanField("第一书记", default=False)


class UnitVillagePairing(Period):  # 单位包村
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="village_pairings")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="unit_pairings")


class CadreHouseholdPairing(Period):  # 干部包户 (帮扶责任人)
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="household_pairings")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="cadre_pairings")

    class Meta:
        indexes = [models.Index(fields=["cadre", "end"]), models.Index(fields=["household", "end"])]


class MutualGroup(Versioned):  # "1×5": five cadres, one vehicle
    name = models.CharField(max_length=60)
    township = models.ForeignKey("geo.Region", null=True, on_delete=models.PROTECT, related_name="+")
    vehicle = models.CharField("车辆", max_length=20, blank=True)
    members = models.ManyToManyField(Cadre, related_name="mutual_groups")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SharedTrip(Versioned):  # 1×5 联合走访: the group goes out together in its vehicle
    group = models.ForeignKey(MutualGroup, on_delete=models.PROTECT, related_name="trips")
    on = models.DateField()
    villages = models.ManyToManyField("geo.Region", blank=True, related_name="+")
    households = models.ManyToManyField("registry.Household", blank=True, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [models.UniqueConstraint(fields=["group", "on"], name="one_trip_per_group_and_day")]
