"""Accounts, their role and the scope the role applies to."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("county administrator")  # 县扶贫办
    COMMANDER = "commander", _("war-zone commander")  # 战区指挥官
    FIRST_SECRETARY = "first_secretary", _("first secretary")  # 第一书记 / 驻村工作队
    CADRE = "cadre", _("pairing cadre")  # 包保干部
    DEPARTMENT = "department", _("department")  # 行业部门
    EVALUATOR = "evaluator", _("third-party evaluator")  # 第三方评估
    SYSTEM_ADMIN = "system_admin", _("system administrator")  # 系统管理员
    SECURITY_ADMIN = "security_admin", _("security administrator")  # 安全管理员
    AUDIT_ADMIN = "audit_admin", _("audit administrator")  # 审计管理员


# 三员分立: these roles administer the system and never read household data.
ADMINISTRATIVE_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
# Roles that may see full ID numbers (they verify identities against documents).
UNMASKED_ROLES = (Role.COUNTY_ADMIN,)
# Roles that may edit registry records inside their scope.
EDITOR_ROLES = (Role.COUNTY_ADMIN, Role.COMMANDER, Role.FIRST_SECRETARY, Role.CADRE)


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CADRE)
    # The region a commander (township), first secretary (village) or county admin (county) works in.
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A cadre account is a person in the organisation; their pairings decide their households.
    cadre = models.OneToOneField("organisation.Cadre", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="account")
    department = models.ForeignKey("organisation.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    totp_secret = models.CharField(max_length=64, blank=True)
    # The last TOTP time step accepted: a code of that step or an earlier one is refused (no replay).
    totp_last_step = models.BigIntegerField(null=True, blank=True)

    @property
    def may_see_id_numbers(self) -> bool:
        return self.role in UNMASKED_ROLES

    @property
    def may_edit_registry(self) -> bool:
        return self.role in EDITOR_ROLES
