"""The division tree of a synthetic nation: the 31 provinces with their real codes and names, then cities,
counties, townships and villages with made-up names and codes of the real 12-digit shape
(PP CC DD TTT VVV: townships 1xx, villages 2xx, as 统计用区划代码 has them).

One administrative village per 60 registered households (30 M → 500,000 villages), 13 villages a township,
14 townships a county, 8 counties a city (30 M → 360 cities, 2,764 counties, 38,477 townships). Villages per
province follow the province's rural poor at the end of 2013 (`PROVINCES`' weights); `west` marks the 12 western
provinces. Poor villages: 32 % in the west, 18 % elsewhere, with three times the registered households of another
village."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tuopin.engine.snapshot import REGIONS

from .text import pick

# (code, name, kind, west, weight): weight ≈ rural poor population at the end of 2013 in millions
# (国家统计局 poverty monitoring, rounded); the three municipalities with no national-line poor get a token
# weight so that every province has villages.
PROVINCES = [
    (11, "北京市", "直辖市", False, 0.05), (12, "天津市", "直辖市", False, 0.05), (13, "河北省", "省", False, 3.66),
    (14, "山西省", "省", False, 2.99), (15, "内蒙古自治区", "自治区", True, 1.14), (21, "辽宁省", "省", False, 1.26),
    (22, "吉林省", "省", False, 0.89), (23, "黑龙江省", "省", False, 1.11), (31, "上海市", "直辖市", False, 0.05),
    (32, "江苏省", "省", False, 0.30), (33, "浙江省", "省", False, 0.20), (34, "安徽省", "省", False, 4.40),
    (35, "福建省", "省", False, 0.50), (36, "江西省", "省", False, 3.28), (37, "山东省", "省", False, 2.64),
    (41, "河南省", "省", False, 6.39), (42, "湖北省", "省", False, 3.23), (43, "湖南省", "省", False, 6.40),
    (44, "广东省", "省", False, 0.60), (45, "广西壮族自治区", "自治区", True, 6.34), (46, "海南省", "省", False, 0.60),
    (50, "重庆市", "直辖市", True, 1.39), (51, "四川省", "省", True, 6.02), (52, "贵州省", "省", True, 7.45),
    (53, "云南省", "省", True, 6.61), (54, "西藏自治区", "自治区", True, 0.72), (61, "陕西省", "省", True, 4.10),
    (62, "甘肃省", "省", True, 5.52), (63, "青海省", "省", True, 0.63), (64, "宁夏回族自治区", "自治区", True, 0.51),
    (65, "新疆维吾尔自治区", "自治区", True, 2.22),
]
# Income level of the province's rural households relative to the national average.
EAST = {11, 12, 31, 32, 33, 35, 37, 44}

HOUSEHOLDS_PER_VILLAGE = 60      # registered households per administrative village on average
VILLAGES_PER_TOWNSHIP = 13
TOWNSHIPS_PER_COUNTY = 14
COUNTIES_PER_CITY = 8
POOR_VILLAGE_SHARE = {True: 0.32, False: 0.18}   # west / elsewhere (≈ 128,000 of ≈ 540,000 villages)
POOR_VILLAGE_WEIGHT = 3.0        # a poor village holds about three times the registered households of another

_CHARS = ("东西南北中新安平和兴隆丰富庆永宁福康泰德华明光清河山川岭峰石林桥湾口坪坝沟塘湖泉溪"
          "水田庄堡营屯寨集铺店园龙凤鹤云青白红金玉长太高大小双三五柳杨桃李松柏竹梅兰花")


@dataclass
class Geography:
    regions: pa.Table
    village_code: np.ndarray
    township_code: np.ndarray
    county_code: np.ndarray
    province: np.ndarray          # index into PROVINCES
    west: np.ndarray
    poor_village: np.ndarray
    households: np.ndarray        # registered households of each village

    @property
    def villages(self) -> int:
        return len(self.village_code)


def build(n_households: int, rng: np.random.Generator) -> Geography:
    weights = np.array([p[4] for p in PROVINCES])
    n_villages = max(2 * len(PROVINCES), n_households // HOUSEHOLDS_PER_VILLAGE)
    per_province = _allocate(n_villages, weights + weights.mean() * 0.1, minimum=2)

    rows: dict[str, list] = {k: [] for k in ("code", "parent", "level", "kind", "poor", "since", "west")}
    v_code, v_town, v_prov, v_west = [], [], [], []
    for p, (pcode, _name, kind, west, _w) in enumerate(PROVINCES):
        nv = int(per_province[p])
        nt = -(-nv // VILLAGES_PER_TOWNSHIP)
        nc = -(-nt // TOWNSHIPS_PER_COUNTY)
        nm = -(-nc // COUNTIES_PER_CITY)
        province = pcode * 10**10
        city = province + (np.arange(nc) * nm // nc + 1) * 10**8               # county k -> its city
        first_of_city = np.searchsorted(city, city)
        county = city + (np.arange(nc) - first_of_city + 1) * 10**6
        town_county = county[np.arange(nt) * nc // nt]
        town = town_county + (np.arange(nt) - np.searchsorted(town_county, town_county) + 101) * 10**3
        vil_town = town[np.arange(nv) * nt // nv]
        village = vil_town + np.arange(nv) - np.searchsorted(vil_town, vil_town) + 201
        _add(rows, [province], [None], 0, kind, west)
        _add(rows, np.unique(city), [province] * nm, 1, "地级市", west)
        _add(rows, county, city, 2, "县", west)
        _add(rows, town, town_county, 3, "镇", west)
        _add(rows, village, vil_town, 4, "村", west)
        v_code.append(village)
        v_town.append(vil_town)
        v_prov.append(np.full(nv, p))
        v_west.append(np.full(nv, west))
    village_code, township_code = np.concatenate(v_code), np.concatenate(v_town)
    province_idx, village_west = np.concatenate(v_prov), np.concatenate(v_west)
    county_code = (township_code // 10**6) * 10**6
    poor = rng.random(len(village_code)) < np.where(village_west, POOR_VILLAGE_SHARE[True], POOR_VILLAGE_SHARE[False])

    # Registered households: the province's share of the nation's poor, split over its villages with poor
    # villages weighted up.
    factor = np.where(poor, POOR_VILLAGE_WEIGHT, 1.0)
    by_province = np.bincount(province_idx, weights=factor, minlength=len(PROVINCES))
    p_village = factor * (weights / weights.sum())[province_idx] / by_province[province_idx]
    households = rng.multinomial(n_households, p_village / p_village.sum())

    regions = _regions_table(rows, village_code, poor, rng)
    return Geography(regions=regions, village_code=village_code, township_code=township_code,
                     county_code=county_code, province=province_idx, west=village_west, poor_village=poor,
                     households=households.astype(np.int64))


def _add(rows, codes, parents, level, kind, west) -> None:
    n = len(codes)
    rows["code"].append(np.asarray(codes, dtype=np.int64))
    rows["parent"].append(np.asarray([-1 if p is None else p for p in parents] if level == 0 else parents,
                                     dtype=np.int64))
    rows["level"].append(np.full(n, level, dtype=np.int8))
    rows["kind"].append([kind] * n)
    rows["west"].append(np.full(n, west))


def _regions_table(rows, village_code, poor, rng) -> pa.Table:
    code = np.concatenate(rows["code"])
    parent = np.concatenate(rows["parent"])
    level = np.concatenate(rows["level"])
    kind = pa.array([k for ks in rows["kind"] for k in ks], type=pa.string())
    west = np.concatenate(rows["west"])
    order = np.argsort(code, kind="stable")
    code, parent, level, west = code[order], parent[order], level[order], west[order]
    kind = kind.take(pa.array(order))
    n = len(code)
    is_village = level == 4
    village_poor = np.zeros(n, dtype=bool)
    village_poor[np.searchsorted(code, village_code[poor])] = True
    since = np.where(village_poor, rng.choice([2014, 2015, 2016], size=n, p=[0.9, 0.06, 0.04]), 0).astype(np.int16)
    # Township kind: about a third are 乡, the rest 镇.
    township = level == 3
    is_xiang = township & (rng.random(n) < 0.35)
    kind = pc.if_else(pa.array(is_xiang), "乡", kind)
    names = _names(code, level, is_xiang, rng)
    return pa.table({
        "code": code, "parent_code": pa.array(parent, mask=parent < 0), "name": names,
        "level": level, "kind": kind, "is_rural": township | is_village,
        "is_poor_village": village_poor, "poor_village_since": pa.array(since, mask=~village_poor),
        "west": west,
    }, schema=REGIONS)


def _names(code, level, is_xiang, rng) -> pa.Array:
    pool = [a + b for a in _CHARS for b in _CHARS if a != b]
    stem = pick(pool, rng.integers(0, len(pool), size=len(code)))
    suffix_pool = ["", "市", "县", "镇", "村", "乡"]
    suffix = np.select([level == 1, level == 2, (level == 3) & is_xiang, level == 3, level == 4],
                       [1, 2, 5, 3, 4], 0)
    names = pc.binary_join_element_wise(stem, pick(suffix_pool, suffix), "")
    is_province = level == 0
    real = pick([p[1] for p in PROVINCES], np.searchsorted([p[0] * 10**10 for p in PROVINCES],
                                                           np.where(is_province, code, PROVINCES[0][0] * 10**10)))
    return pc.if_else(pa.array(is_province), real, names)


def _allocate(total: int, weights: np.ndarray, *, minimum: int) -> np.ndarray:
    """Split total in proportion to weights (largest remainder), each part at least `minimum`."""
    spare = total - minimum * len(weights)
    raw = spare * weights / weights.sum()
    parts = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - parts), kind="stable")
    parts[order[: spare - parts.sum()]] += 1
    return parts + minimum
