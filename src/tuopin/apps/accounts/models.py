"""Accounts, their role and the scope the role applies to."""

from django.contrib.auth.models import AbstractUser, UserManager
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
    # A new account, until the security administrator gives it a role and scope: it sees nothing.
    UNASSIGNED = "unassigned", _("no role yet")


class AccountManager(UserManager):
    def create_superuser(self, *args, **kwargs):
        # A superuser would hold every power at once; 三员分立 splits them (decision 1102).
        raise PermissionError("tuopin has no superuser accounts (三员分立)")


class User(AbstractUser):
    objects = AccountManager()

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.UNASSIGNED)
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
    # Set when someone other than the account's holder chose its password (`tuopin init`, the system
    # administrator's accounts page): until the holder chooses a new one, every page sends it to the change page.
    must_change_password = models.BooleanField(default=False)

    # Shorthands for templates and serializers; the decision is the permission layer's (permissions.py).
    @property
    def may_see_id_numbers(self) -> bool:
        from .permissions import Action, may

        return may(self, Action.SEE_ID_NUMBERS)

    @property
    def may_edit_registry(self) -> bool:
        from .permissions import Action, may

        return may(self, Action.EDIT_REGISTRY)
