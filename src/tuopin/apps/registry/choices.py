"""Enumerations of the national registry (全国扶贫开发信息系统), with its own codes and labels.

The labels are the national system's words; imports accept them (and a few common variants,
see IMPORT_ALIASES), exports write them.
"""

from django.db import models


class HouseholdAttribute(models.TextChoices):  # 贫困户属性
    GENERAL = "01", "一般贫困户"
    DIBAO = "04", "低保贫困户"
    TEKUN = "06", "特困供养贫困户"
    NON_POOR = "00", "非贫困户"


class PovertyStatus(models.TextChoices):  # 脱贫属性 / 户状态 (cached from the status events)
    NOT_REGISTERED = "", "未建档"
    POOR = "0", "未脱贫"
    EXITED = "1", "已脱贫"
    RETURNED = "3", "返贫"
    EXITED_NO_POLICY = "4", "已脱贫(不再享受政策)"
    MONITORED = "5", "监测对象"
    CLOSED = "9", "销户"


POOR_STATUSES = (PovertyStatus.POOR, PovertyStatus.RETURNED)


class Cause(models.TextChoices):  # 主要致贫原因
    ILLNESS = "1", "因病"
    DISABILITY = "2", "因残"
    SCHOOLING = "3", "因学"
    DISASTER = "4", "因灾"
    LAND = "5", "缺土地"
    WATER = "6", "缺水"
    SKILLS = "7", "缺技术"
    LABOUR = "8", "缺劳动力"
    CAPITAL = "9", "缺资金"
    TRANSPORT = "10", "交通条件落后"
    MOTIVATION = "11", "自身发展动力不足"


class Relation(models.TextChoices):  # 与户主关系
    HEAD = "01", "户主"
    SPOUSE = "02", "配偶"
    SON = "03", "之子"
    DAUGHTER = "04", "之女"
    SON_IN_LAW = "05", "之女婿"
    DAUGHTER_IN_LAW = "06", "之儿媳"
    GRANDCHILD = "07", "之孙子女"
    GREAT_GRANDCHILD = "08", "之曾孙子女"
    PARENT = "09", "之父母"
    GRANDPARENT = "10", "之祖父母"
    SIBLING = "11", "之兄弟姐妹"
    OTHER = "99", "其他"


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Education(models.TextChoices):  # 文化程度
    ILLITERATE = "1", "文盲或半文盲"
    PRIMARY = "2", "小学"
    JUNIOR = "3", "初中"
    SENIOR = "4", "高中"
    COLLEGE = "5", "大专"
    BACHELOR = "6", "本科及以上"
    PRESCHOOL = "0", "学龄前儿童"


class SchoolStatus(models.TextChoices):  # 在校生状况
    NONE = "", "非在校生"
    PRESCHOOL = "10", "学前教育"
    PRIMARY = "20", "小学"
    JUNIOR = "30", "七年级至九年级"
    SENIOR = "40", "高中"
    VOCATIONAL = "41", "中职"
    HIGHER = "50", "大专及以上"
    SENT_HOME = "80", "送教上门"
    EXEMPT = "81", "因病免学"
    DROPPED_OUT = "90", "辍学"


COMPULSORY_OK = ("20", "30", "40", "41", "80", "81")


class LabourAbility(models.TextChoices):  # 劳动技能
    ORDINARY = "1", "普通劳动力"
    SKILLED = "2", "技能劳动力"
    WEAK = "3", "弱劳动力或半劳动力"
    LOST = "4", "丧失劳动力"
    NONE = "5", "无劳动力"


class WorkStatus(models.TextChoices):  # 务工状况
    NONE = "", "无"
    IN_COUNTY = "1", "县内务工"
    IN_PROVINCE = "2", "省内县外务工"
    OUT_PROVINCE = "3", "省外务工"
    PUBLIC_JOB = "4", "公益性岗位"


class HousingGrade(models.TextChoices):  # 住房安全等级
    A = "A", "A级"
    B = "B", "B级"
    C = "C", "C级(局部危房)"
    D = "D", "D级(整幢危房)"


class Renovation(models.TextChoices):  # 危房改造方式
    NONE = "", "未改造"
    REPAIR = "repair", "维修加固"
    REINFORCE = "reinforce", "D级加固"
    REBUILD = "rebuild", "拆除重建"
    RELOCATE = "relocate", "易地搬迁"


class Ethnicity(models.TextChoices):  # 民族 (the ones met in Jilin; others go to OTHER)
    HAN = "01", "汉族"
    MONGOL = "02", "蒙古族"
    HUI = "03", "回族"
    MANCHU = "11", "满族"
    KOREAN = "10", "朝鲜族"
    OTHER = "97", "其他"


class EventKind(models.TextChoices):  # 户状态变化
    IDENTIFIED = "identified", "识别"
    EXITED = "exited", "脱贫"
    RETURNED = "returned", "返贫"
    NATURAL_DECREASE = "natural_decrease", "自然减少"
    MISIDENTIFIED = "misidentified", "错评清退"
    MONITORING_IN = "monitoring_in", "监测纳入"
    RISK_REMOVED = "risk_removed", "风险消除"
    SPLIT = "split", "分户"
    MERGED = "merged", "并户"


# Which cached status an event leaves the household in once announced.
STATUS_AFTER_EVENT = {
    EventKind.IDENTIFIED: PovertyStatus.POOR,
    EventKind.EXITED: PovertyStatus.EXITED,
    EventKind.RETURNED: PovertyStatus.RETURNED,
    EventKind.NATURAL_DECREASE: PovertyStatus.CLOSED,
    EventKind.MISIDENTIFIED: PovertyStatus.NOT_REGISTERED,
    EventKind.MONITORING_IN: PovertyStatus.MONITORED,
    EventKind.RISK_REMOVED: PovertyStatus.EXITED,
}


class Stage(models.TextChoices):  # 程序环节 (identification, exit and return alike)
    APPLIED = "applied", "农户申请"  # identification opens with the household's application
    PROPOSED = "proposed", "拟定"
    DEMOCRATIC_REVIEW = "democratic_review", "民主评议"
    PUBLIC_NOTICE = "public_notice", "村内公示"
    TOWNSHIP_REVIEW = "township_review", "乡镇审核"
    SECOND_NOTICE = "second_notice", "第二次公示"  # identification: posted in the village after the township's review
    COUNTY_APPROVAL = "county_approval", "县级审定"
    ANNOUNCED = "announced", "公告"
    REFUSED = "refused", "退回"


STAGE_ORDER = [
    Stage.PROPOSED,
    Stage.DEMOCRATIC_REVIEW,
    Stage.PUBLIC_NOTICE,
    Stage.TOWNSHIP_REVIEW,
    Stage.COUNTY_APPROVAL,
    Stage.ANNOUNCED,
]

# 建档立卡 新识别: 农户申请 → 民主评议 → 第一次公示 → 乡镇审核 → 第二次公示 → 县级审定 → 公告 (decision 1230).
IDENTIFICATION_ORDER = [
    Stage.APPLIED,
    Stage.DEMOCRATIC_REVIEW,
    Stage.PUBLIC_NOTICE,
    Stage.TOWNSHIP_REVIEW,
    Stage.SECOND_NOTICE,
    Stage.COUNTY_APPROVAL,
    Stage.ANNOUNCED,
]
# 返贫 follows the exit's stages: proposed with its reason and evidence, reviewed, noticed, approved (decision 1231).
RETURN_ORDER = list(STAGE_ORDER)
