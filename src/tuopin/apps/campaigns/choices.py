"""What a campaign's targets count (攻坚行动的任务指标), and how a village's progress on each is counted."""

from django.db import models
from django.utils.translation import pgettext_lazy


class TargetKind(models.TextChoices):
    HOUSES_FINISHED = "houses_finished", pgettext_lazy("TargetKind", "houses renovated and accepted")
    GAPS_CLOSED = "gaps_closed", pgettext_lazy("TargetKind", "households' gaps closed")
    VISITS_MADE = "visits_made", pgettext_lazy("TargetKind", "household visits made")
    COURTYARDS_CLEANED = "courtyards_cleaned", pgettext_lazy("TargetKind", "courtyards cleaned up")
    PROJECTS_FINISHED = "projects_finished", pgettext_lazy("TargetKind", "village projects finished")


# How each kind's progress is counted: every kind is the sum of the counts the village logs day by day, in the
# unit below; a house counts once accepted (竣工验收), a gap once its household's record meets the indicator, a visit
# once made (入户), a courtyard once cleaned and checked, a project once accepted.
UNITS = {
    TargetKind.HOUSES_FINISHED: pgettext_lazy("TargetUnit", "houses"),
    TargetKind.GAPS_CLOSED: pgettext_lazy("TargetUnit", "households"),
    TargetKind.VISITS_MADE: pgettext_lazy("TargetUnit", "visits"),
    TargetKind.COURTYARDS_CLEANED: pgettext_lazy("TargetUnit", "courtyards"),
    TargetKind.PROJECTS_FINISHED: pgettext_lazy("TargetUnit", "projects"),
}
