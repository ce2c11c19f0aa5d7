"""Accountability: responsibility lists, tasks, visits, assessments, the war-zone commanders' veto."""

from django.conf import settings
from django.db import models

from tuopin.common.versioning import Versioned


class Level(models.TextChoices):  # the six levels of responsibility lists
    TOWNSHIP_LEADER = "township_leader", "包乡领导"
    PAIRED_UNIT = "paired_unit", "包保部门"
    WORK_TEAM = "work_team", "驻村工作队"
    FIRST_SECRETARY = "first_secretary", "第一书记"
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村"


class TaskStatus(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已完成"
    CLOSED_BY_SYNC = "resolved", "差距已消除"
    # The gap is still there but routed to someone else now (a new pairing cadre, a new paired unit).
    HANDED_OVER = "handed", "已移交"


class ResponsibilityItem(Versioned):  # 责任清单事项: edited on its page, so versioned (decision 1222)
    level = models.CharField(max_length=20, choices=Level.choices)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    owner_unit = models.ForeignKey("organisation.Unit", null=True, blank=True, on_delete=models.PROTECT)
    owner_cadre = models.ForeignKey("organisation.Cadre", null=True, blank=True, on_delete=models.PROTECT)
    content = models.TextField()
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    evidence = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)


class Task(Versioned):  # 任务: "4+4" templates and tasks made from gaps; the sync leaves `updated_by` empty
    kind = models.CharField(max_length=20, help_text="unit4 / cadre4 / gap / visit_followup / rectification")
    template = models.CharField(max_length=40, blank=True)
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="tasks")
    village = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(max_length=40, blank=True, help_text="the gap's indicator, for gap tasks")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    owner_unit = models.ForeignKey("organisation.Unit", null=True, blank=True, on_delete=models.PROTECT)
    owner_cadre = models.ForeignKey("organisation.Cadre", null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField(max_length=200)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True)
    closed_on = models.DateField(null=True, blank=True)
    # The identity a generated task is found again by: "gap|<household>|<indicator>|u<unit>" (or c<cadre>),
    # "unit4|<year>|<pairing>|<template>" … — re-running a generator or the sync never duplicates a task.
    key = models.CharField(max_length=96, null=True, blank=True, unique=True)
    opened_on = models.DateField(null=True, blank=True, help_text="created or last reopened")
    detail = models.TextField(blank=True, default="", db_default="",
                              help_text="the gap's reason, or what the task asks for")
    item = models.ForeignKey(ResponsibilityItem, null=True, blank=True, on_delete=models.SET_NULL, db_index=False,
                             related_name="tasks", help_text="the responsibility list item it serves")


class TaskEvidence(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    text = models.TextField(blank=True)
    photo = models.FileField(upload_to="tasks/%Y/", blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")


class Visit(models.Model):  # "1+1" 走访
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="visits")
    cadre = models.ForeignKey("organisation.Cadre", on_delete=models.PROTECT, related_name="visits")
    on = models.DateField()
    found = models.TextField("发现问题", blank=True)
    done = models.TextField("帮办事项", blank=True)
    trip = models.CharField(max_length=40, blank=True, help_text="a 1×5 group's shared trip")
    mutual_group = models.ForeignKey("organisation.MutualGroup", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="visits")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # A structured visit (decision 1560): the phone's or the XLSForm's idempotency key, the checklist's answers
    # ([{question, person, value, seen}]) and where it came from (web / field / xlsform).
    client_id = models.UUIDField(null=True, blank=True, unique=True)
    answers = models.JSONField(default=list, blank=True, db_default=[])
    source = models.CharField(max_length=10, default="web", db_default="web")


class Assessment(models.Model):  # 考核
    period = models.CharField(max_length=16, help_text="e.g. 2018 or 2018H1")
    subject_kind = models.CharField(max_length=12, help_text="cadre / unit / work_team / township")
    subject_id = models.PositiveBigIntegerField()
    score = models.DecimalField(max_digits=5, decimal_places=1)
    result = models.CharField(max_length=12, help_text="excellent / good / pass / fail")
    commander_suggestion = models.TextField(blank=True)
    vetoed = models.BooleanField(default=False)
    vetoed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    veto_reason = models.TextField(blank=True)
    # What the formula gave before any veto (a veto caps `result` at fail; this stays as computed).
    computed_result = models.CharField(max_length=12, blank=True, default="", db_default="")
    components = models.JSONField(default=dict, blank=True, help_text="the figures behind the score")
    vetoed_at = models.DateTimeField(null=True, blank=True)


class TaskEventKind(models.TextChoices):
    OPENED = "opened", "生成"
    CLOSED = "closed", "差距消除"
    HANDED_OVER = "handed", "移交"
    REOPENED = "reopened", "重新打开"
    COMPLETED = "completed", "完成"


class TaskEvent(models.Model):  # 任务记录: a task's history — who (or the sync) opened, closed, reopened it
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=TaskEventKind.choices)
    at = models.DateTimeField()
    # Not indexed: a sync writes tens of thousands of events at once, and nobody looks them up by account.
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", db_index=False)
    by_name = models.CharField(max_length=150, blank=True, help_text="the account, or 'sync'")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["task", "at", "id"]


class AssessmentEvent(models.Model):  # 考核记录: scores, the commander's proposals (建议) and vetoes (否决)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, help_text="scored / proposal / veto")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    by_name = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)
    result_before = models.CharField(max_length=12, blank=True)
    result_after = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["assessment", "at", "id"]


class RectificationSource(models.TextChoices):
    FINDING = "finding", "评估发现"
    CHECK = "check", "检查发现"
    MANUAL = "manual", "手工登记"


class Rectification(models.Model):  # 问题整改: where a rectification task came from (decision 1241)
    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="rectification")
    source = models.CharField(max_length=10, choices=RectificationSource.choices)
    sample = models.ForeignKey("evaluation.SampledHousehold", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="rectifications", help_text="the evaluation finding it answers")
    check_kind = models.CharField(max_length=40, blank=True, help_text="the check's flag kind, e.g. household_pairing")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
