"""The enumerations of the village and county exit procedures."""

from django.db import models


# The exit of a poor village (贫困村退出) or a county (贫困县摘帽): AreaExit (models.py).
class AreaKind(models.TextChoices):
    VILLAGE = "village", "贫困村退出"
    COUNTY = "county", "贫困县摘帽"


class AreaStage(models.TextChoices):  # 村/县退出程序环节
    APPLIED = "applied", "申请"  # the village's (村申请) or county's (县级申请) application
    TOWNSHIP_REVIEW = "township_review", "乡镇审核"
    CITY_REVIEW = "city_review", "市级初审"
    PROVINCE_VERIFICATION = "province_verification", "省级核查"  # incl. the third-party evaluation (第三方评估)
    PUBLIC_NOTICE = "public_notice", "公示"
    COUNTY_APPROVAL = "county_approval", "县级审定"
    ANNOUNCED = "announced", "公告"
    REFUSED = "refused", "退回"
