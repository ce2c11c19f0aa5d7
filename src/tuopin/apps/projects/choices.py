"""The words of funds and projects: where money comes from (资金来源), what a project builds, how far it got."""

from django.db import models
from django.utils.translation import pgettext_lazy


class FundSource(models.TextChoices):  # 资金来源
    CENTRAL = "central", pgettext_lazy("FundSource", "central government (中央财政)")
    PROVINCIAL = "provincial", pgettext_lazy("FundSource", "provincial government (省级财政)")
    COUNTY = "county", pgettext_lazy("FundSource", "county budget (县级财政)")
    # 统筹整合使用财政涉农资金: what the county pooled, Zhenlai's with the city construction it paused.
    POOLED = "pooled", pgettext_lazy("FundSource", "pooled agricultural funds (统筹整合)")
    SOCIAL = "social", pgettext_lazy("FundSource", "social and paired support (社会帮扶、东西部协作)")


class ProjectKind(models.TextChoices):  # 项目类别
    PV = "pv", pgettext_lazy("ProjectKind", "photovoltaic station (光伏电站)")
    LIVESTOCK = "livestock", pgettext_lazy("ProjectKind", "livestock base (养殖基地)")
    WATER = "water", pgettext_lazy("ProjectKind", "drinking water (安全饮水)")
    ROAD = "road", pgettext_lazy("ProjectKind", "road (道路)")
    HOUSING = "housing", pgettext_lazy("ProjectKind", "housing (住房)")
    INDUSTRY = "industry", pgettext_lazy("ProjectKind", "industry (产业)")
    OTHER = "other", pgettext_lazy("ProjectKind", "other (其他)")


class ProjectStatus(models.TextChoices):  # 项目进度
    PLANNED = "planned", pgettext_lazy("ProjectStatus", "planned")
    UNDER_WAY = "under_way", pgettext_lazy("ProjectStatus", "under way")
    COMPLETED = "completed", pgettext_lazy("ProjectStatus", "completed")
    HANDED_OVER = "handed_over", pgettext_lazy("ProjectStatus", "handed over")


# The order a project goes through; a step is never skipped and never taken back.
STATUS_ORDER = (ProjectStatus.PLANNED, ProjectStatus.UNDER_WAY, ProjectStatus.COMPLETED, ProjectStatus.HANDED_OVER)

# The words an import or an old record uses for a source, a kind, a status.
SOURCE_WORDS = {"中央": FundSource.CENTRAL, "中央财政": FundSource.CENTRAL, "省级": FundSource.PROVINCIAL,
                "省级财政": FundSource.PROVINCIAL, "县级": FundSource.COUNTY, "县级财政": FundSource.COUNTY,
                "统筹整合": FundSource.POOLED, "统筹整合涉农资金": FundSource.POOLED,
                "社会帮扶": FundSource.SOCIAL, "东西部协作": FundSource.SOCIAL}
KIND_WORDS = {"光伏": ProjectKind.PV, "光伏电站": ProjectKind.PV, "养殖": ProjectKind.LIVESTOCK,
              "养殖基地": ProjectKind.LIVESTOCK, "饮水": ProjectKind.WATER, "安全饮水": ProjectKind.WATER,
              "道路": ProjectKind.ROAD, "住房": ProjectKind.HOUSING, "产业": ProjectKind.INDUSTRY,
              "其他": ProjectKind.OTHER}
STATUS_WORDS = {"计划": ProjectStatus.PLANNED, "在建": ProjectStatus.UNDER_WAY, "已完工": ProjectStatus.COMPLETED,
                "已移交": ProjectStatus.HANDED_OVER}
