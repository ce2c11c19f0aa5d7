"""The stages of a house's renovation (危房改造) and the options it may take (decision 1521)."""

from django.db import models

from tuopin.apps.registry.choices import Renovation


class Stage(models.TextChoices):
    """In order; each stage is recorded only after the one before it (services.py)."""

    INSPECTED = "inspected", "鉴定"                 # graded C or D by an inspector
    OPTION_CHOSEN = "option_chosen", "方案选定"       # repair, reinforce, rebuild or relocate, with the household
    APPROVED = "approved", "县级审批"                 # the county office approves the option and its subsidy
    WORKS = "works", "施工"                           # works started
    ACCEPTED = "accepted", "竣工验收"                 # the finished works accepted
    SAFE = "safe", "改造后鉴定安全"                    # inspected again and graded A or B: the registry is written


ORDER = list(Stage.values)
OPEN = tuple(s for s in ORDER if s != Stage.SAFE)
# The options a renovation may choose: the registry's renovation codes, less "none".
OPTIONS = tuple(v for v in Renovation.values if v)
# The grades an inspection that opens a renovation may find (A and B need none).
UNSAFE_GRADES = ("C", "D")
