"""Chinese names for synthetic people, units and groups. Small lists; plausible, not real."""

from __future__ import annotations

import bisect
import random

# Surnames weighted roughly as in rural Jilin (王 李 张 刘 lead everywhere in the north-east).
HAN_SURNAMES = (
    ("王", 80), ("李", 75), ("张", 70), ("刘", 60), ("赵", 35), ("杨", 30), ("孙", 30), ("于", 25), ("陈", 25),
    ("马", 20), ("高", 20), ("徐", 18), ("郭", 16), ("吴", 15), ("周", 15), ("胡", 12), ("朱", 12), ("林", 10),
    ("韩", 12), ("宋", 10), ("郑", 9), ("何", 8), ("曹", 9), ("姜", 10), ("董", 9), ("田", 8), ("付", 8), ("崔", 8),
    ("吕", 7), ("范", 7), ("冯", 7), ("邢", 5), ("孟", 6), ("任", 6), ("曲", 5), ("卢", 5), ("白", 6), ("许", 6),
    ("梁", 5), ("沈", 5), ("侯", 5), ("邱", 4), ("谷", 4), ("邵", 4), ("薛", 4), ("尹", 4), ("丁", 5), ("袁", 4),
)
MONGOL_SURNAMES = (("包", 40), ("白", 25), ("宝", 15), ("韩", 10), ("吴", 8), ("陈", 6), ("佟", 6), ("额", 4))
MANCHU_SURNAMES = (("关", 30), ("那", 15), ("佟", 15), ("赵", 10), ("富", 8), ("金", 8), ("索", 6), ("依", 4))
KOREAN_SURNAMES = (("金", 40), ("李", 25), ("朴", 20), ("崔", 10), ("郑", 5))

# Given-name characters by generation: older people carry 1950s–60s names, the young newer ones.
MALE_OLD = "国 建 志 明 军 海 林 福 宝 东 春 德 金 立 成 玉 贵 荣 庆 树 长 广 文 永 振 有 殿 凤 喜".split()
MALE_YOUNG = "伟 强 磊 鹏 浩 宇 博 超 涛 杰 帅 鑫 新 龙 峰 亮 晨 然 轩 泽 阳 昊 斌 楠 洋 旭 铭".split()
FEMALE_OLD = "秀 英 兰 玉 凤 华 淑 桂 珍 芝 琴 荣 霞 梅 艳 春 萍 芳 敏 丽 云 香 娥 素 翠".split()
FEMALE_YOUNG = "丽 娜 静 婷 雪 欣 怡 佳 颖 琳 悦 萱 涵 妍 瑶 琪 晶 蕾 璐 爽 月 茹 思 梦 雨".split()
MONGOL_MALE = "巴特尔 宝音 额尔敦 那仁 朝鲁 阿拉坦 苏和 图门 乌力吉 孟和 格日勒图 巴雅尔 满都拉 斯琴".split()
MONGOL_FEMALE = "其其格 乌云 萨仁 娜仁 苏日娜 高娃 塔娜 图雅 格日勒 斯琴 乌兰 托娅 阿茹娜 萨日朗".split()
KOREAN_MALE = "哲洙 永浩 成哲 东哲 光日 龙洙 相国 明哲".split()
KOREAN_FEMALE = "英姬 顺子 美玉 贞淑 花子 春花 明淑 玉兰".split()


def weighted(pairs):
    """(values, cumulative weights) for random.choices."""
    values = [v for v, _ in pairs]
    cum, total = [], 0
    for _, w in pairs:
        total += w
        cum.append(total)
    return values, cum


_HAN = weighted(HAN_SURNAMES)
_MONGOL = weighted(MONGOL_SURNAMES)
_MANCHU = weighted(MANCHU_SURNAMES)
_KOREAN = weighted(KOREAN_SURNAMES)
_SURNAMES = {"01": _HAN, "02": _MONGOL, "11": _MANCHU, "10": _KOREAN}


def surname(rng: random.Random, ethnicity: str = "01") -> str:
    values, cum = _SURNAMES.get(ethnicity, _HAN)
    return values[bisect.bisect_right(cum, rng.random() * cum[-1])]


def _one(rng: random.Random, pool) -> str:
    return pool[int(rng.random() * len(pool))]


def given_name(rng: random.Random, sex: str, birth_year: int, ethnicity: str = "01") -> str:
    male = sex == "M"
    if ethnicity == "02" and rng.random() < 0.6:
        return _one(rng, MONGOL_MALE if male else MONGOL_FEMALE)
    if ethnicity == "10" and rng.random() < 0.7:
        return _one(rng, KOREAN_MALE if male else KOREAN_FEMALE)
    young = birth_year >= 1975
    pool = (MALE_YOUNG if young else MALE_OLD) if male else (FEMALE_YOUNG if young else FEMALE_OLD)
    if rng.random() < (0.35 if young else 0.2):
        return _one(rng, pool)
    return _one(rng, pool) + _one(rng, pool)


def full_name(rng: random.Random, sex: str, birth_year: int, ethnicity: str = "01", family: str | None = None) -> str:
    return (family or surname(rng, ethnicity)) + given_name(rng, sex, birth_year, ethnicity)


def phone(rng: random.Random) -> str:
    """A mobile number of the shape 1[3-9]x xxxx xxxx."""
    return f"1{'3456789'[int(rng.random() * 7)]}{int(rng.random() * 10 ** 9):09d}"


def plate(rng: random.Random) -> str:
    """A Baicheng (吉G) vehicle plate."""
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    tail = "".join(rng.choice(letters + "0123456789") if i < 2 else rng.choice("0123456789") for i in range(5))
    return f"吉G·{tail}"


COUNTY = "镇赉县"

# 27 county departments (县直部门); `domain` routes the gaps of a policy area to them.
DEPARTMENTS = (
    ("扶贫开发办公室", "poverty"), ("教育局", "education"), ("卫生和计划生育局", "health"),
    ("民政局", "civil_affairs"), ("住房和城乡建设局", "housing"), ("人力资源和社会保障局", "hr"),
    ("医疗保障局", "medical_insurance"), ("残疾人联合会", "disabled_persons"), ("水利局", "water"),
    ("交通运输局", "transport"), ("农业局", "agriculture"), ("畜牧业管理局", "livestock"),
    ("林业局", "forestry"), ("财政局", "finance"), ("发展和改革局", "development"), ("国土资源局", "land"),
    ("环境保护局", "environment"), ("公安局", "police"), ("统计局", "statistics"), ("审计局", "audit"),
    ("商务局", "commerce"), ("科学技术局", "science"), ("文化广播电视局", "culture"), ("司法局", "justice"),
    ("市场监督管理局", "market"), ("金融工作办公室", "finance_office"), ("能源局", "energy"),
)

PARTY_GOV = (
    "县委办公室", "县政府办公室", "县人大常委会办公室", "县政协办公室", "县纪委监委", "县委组织部", "县委宣传部",
    "县委统战部", "县委政法委", "县委编办", "县委党校", "县委老干部局", "县委巡察办", "县直机关工委", "团县委",
    "县妇联", "县总工会", "县工商联", "县科协", "县人民法院", "县人民检察院", "县信访局", "县档案局", "县机关事务管理局",
    "县政务服务中心", "县应急管理局", "县退役军人事务局", "县粮食局", "县供销社", "县气象局", "县地震局",
    "县人民武装部", "县消防大队", "县税务局", "县烟草专卖局", "县邮政管理局", "县农机总站", "县农业技术推广中心",
    "县水产站", "县草原站",
)

INSTITUTIONS = (
    "县人民医院", "县中医院", "县妇幼保健院", "县疾病预防控制中心", "县第一中学", "县第二中学", "县第三中学",
    "县职业技术教育中心", "县实验小学", "县第二小学", "县特殊教育学校", "县广播电视台", "县图书馆", "县文化馆",
    "县自来水公司", "国网镇赉县供电公司", "中国移动镇赉分公司", "中国联通镇赉分公司", "中国电信镇赉分公司",
    "县农村商业银行", "中国农业银行镇赉支行", "中国工商银行镇赉支行", "中国建设银行镇赉支行", "中国银行镇赉支行",
    "中国邮政储蓄银行镇赉支行", "吉林银行镇赉支行", "县农业发展银行", "中国人寿镇赉支公司", "中国人保镇赉支公司",
    "县城市管理局", "县住房公积金管理中心", "县不动产登记中心", "县公路管理段", "县水务集团", "县热力公司",
    "县粮食储备库", "县国有林场", "县莫莫格自然保护区管理局", "县水库管理处", "县灌区管理局", "县环卫处",
    "县园林处", "县客运站", "县供热办", "县经济开发区管委会", "县城投公司", "县农业投资公司", "县扶贫开发公司",
)


TOWNSHIP_STATIONS = ("中心学校", "卫生院", "农业综合服务中心", "财政所", "派出所", "供电所", "信用社")


def unit_names(townships: list[str], n: int) -> list[tuple[str, str]]:
    """`n` (name, kind) pairs beyond the departments: organs, county institutions, then township stations."""
    def county(name: str) -> str:
        return f"{COUNTY}{name[1:]}" if name.startswith("县") else name

    out = [(county(name), "party_gov") for name in PARTY_GOV]
    out += [(county(name), "enterprise") for name in INSTITUTIONS]
    out += [(f"{COUNTY}{t}{station}", "enterprise") for station in TOWNSHIP_STATIONS for t in townships]
    if len(out) < n:
        raise ValueError(f"only {len(out)} unit names for {n} units")
    return out[:n]


# 28 special groups (专项小组) of the leading group, with their remit (职责) and the domains of member units.
SPECIAL_GROUPS = (
    ("产业扶贫专项小组", "贫困村产业项目、庭院经济、产业带动贫困户增收", ("agriculture", "livestock", "poverty")),
    ("光伏扶贫专项小组", "82个贫困村光伏电站建设、运维与收益分配", ("energy", "poverty", "finance")),
    ("养殖基地专项小组", "非贫困村养殖扶贫基地建设与带贫", ("livestock", "agriculture")),
    ("教育扶贫专项小组", "控辍保学、两免一补、助学金发放", ("education", "finance")),
    ("健康扶贫专项小组", "标准化村卫生室、合格村医、家庭医生签约、先诊疗后付费", ("health", "medical_insurance")),
    ("医疗保障专项小组", "基本医保、大病保险、医疗救助全覆盖与一站式结算", ("medical_insurance", "health", "civil_affairs")),
    ("危房改造专项小组", "危房鉴定、C级维修、D级除险加固与重建", ("housing", "finance")),
    ("安全饮水专项小组", "农村安全饮水工程与水质检测", ("water", "health")),
    ("交通扶贫专项小组", "农村公路硬化与通屯路建设", ("transport", "finance")),
    ("社会保障兜底专项小组", "低保、特困供养、临时救助应保尽保", ("civil_affairs", "finance")),
    ("养老保险专项小组", "16周岁以上贫困人口城乡居民养老保险代缴", ("hr", "finance")),
    ("就业扶贫专项小组", "转移就业、技能培训、公益性岗位开发", ("hr", "commerce")),
    ("残疾人扶贫专项小组", "残疾人证办理、康复、两项补贴", ("disabled_persons", "civil_affairs")),
    ("金融扶贫专项小组", "扶贫小额信贷、风险补偿", ("finance_office", "finance")),
    ("资金整合专项小组", "涉农资金统筹整合与监管", ("finance", "audit", "development")),
    ("易地扶贫搬迁专项小组", "搬迁对象识别、安置与后续帮扶", ("development", "housing", "land")),
    ("生态扶贫专项小组", "生态补偿、生态护林员岗位", ("forestry", "environment")),
    ("电力保障专项小组", "农网改造与光伏并网", ("energy",)),
    ("水利建设专项小组", "灌区、抗旱水源与农田水利", ("water", "agriculture")),
    ("村屯环境整治专项小组", "653百日攻坚、村屯环境净化美化", ("environment", "housing")),
    ("科技扶贫专项小组", "科技特派员、实用技术培训", ("science", "agriculture")),
    ("电商扶贫专项小组", "农村电商服务站与农产品销售", ("commerce",)),
    ("文化扶贫专项小组", "村文化广场、文化下乡、扶志扶智", ("culture",)),
    ("精准识别与退出专项小组", "贫困户识别、退出程序与信息系统数据质量", ("poverty", "statistics")),
    ("驻村帮扶专项小组", "第一书记、驻村工作队选派与管理", ("poverty",)),
    ("督查考核专项小组", "责任清单督查、考核与问责", ("audit", "poverty")),
    ("问题整改专项小组", "各类检查评估发现问题的整改落实", ("poverty", "audit")),
    ("宣传与社会扶贫专项小组", "脱贫攻坚宣传、社会力量动员", ("culture", "commerce")),
)

COUNTY_LEADER_POSTS = (
    "县委书记", "县长", "县委副书记", "县委常委、常务副县长", "县委常委、组织部部长", "县委常委、宣传部部长",
    "县委常委、纪委书记", "县委常委、政法委书记", "县委常委、统战部部长", "县委常委、县委办主任", "副县长",
    "副县长", "副县长", "副县长", "副县长", "县人大常委会主任", "县人大常委会副主任", "县政协主席", "县政协副主席",
    "县人民武装部政委",
)
