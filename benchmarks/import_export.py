"""Import and export at county scale: a 170,000-person (≈ 71,000-household) national-layout workbook.

    .venv/bin/python benchmarks/import_export.py                 # SQLite file under var/bench/
    .venv/bin/python benchmarks/import_export.py --pg            # PostgreSQL database tuopin_bench_h2
    .venv/bin/python benchmarks/import_export.py --persons 20000 # a smaller run

Target: import of the 170,000-person xlsx into an empty database in ≤ 60 s. The workbook is
generated once by a quick generator of its own (11 townships, 141 villages, Zhenlai-shaped names) and
cached in var/bench/. Steps timed: import into the empty database, the same file again (all unchanged),
export xlsx / csv / parquet, and the unmasked xlsx export (with extension columns) imported once more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"
TOWNSHIPS = ["镇赉镇", "坦途镇", "东屏镇", "大屯镇", "沿江镇", "五棵树镇", "黑鱼泡镇", "建平乡", "嘎什根乡", "哈吐气蒙古族乡",
             "莫莫格蒙古族乡"]
VILLAGES_PER_TOWNSHIP = [17, 13, 13, 13, 7, 13, 17, 14, 12, 11, 11]  # 141 in all
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "国华文明秀英玉兰淑珍建军志强海燕春梅桂芝凤霞丽娟晓东宝山金花永福德胜伟红丹军平静磊"


def setup_django(pg: bool) -> str:
    BENCH.mkdir(parents=True, exist_ok=True)
    if pg:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "tuopin_bench_h2"], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "tuopin_bench_h2"], check=True)
        url = "postgres://postgres@127.0.0.1:5432/tuopin_bench_h2"
    else:
        db = BENCH / "import_export.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
    os.environ["TUOPIN_VAR"] = str(BENCH / "var")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url.split("://")[0]


def load_divisions():
    """The county's division tree (names only need to match the workbook)."""
    from tuopin.apps.accounts.models import Role, User
    from tuopin.apps.geo.models import Level, Region

    province = Region.objects.create(code="220000000000", name="吉林省", level=Level.PROVINCE)
    city = Region.objects.create(code="220800000000", name="白城市", level=Level.CITY, parent=province)
    county = Region.objects.create(code="220821000000", name="镇赉县", level=Level.COUNTY, parent=city)
    villages = []
    for t, (name, count) in enumerate(zip(TOWNSHIPS, VILLAGES_PER_TOWNSHIP), start=1):
        town = Region.objects.create(code=f"220821{100 + t:03d}000", name=name, level=Level.TOWNSHIP, parent=county)
        for v in range(1, count + 1):
            villages.append((name, Region.objects.create(code=f"{town.code[:9]}{200 + v:03d}", name=f"{name[:2]}{v}村",
                                                         level=Level.VILLAGE, parent=town).name))
    User.objects.create_user("county_admin", password="bench-only-password-1", role=Role.COUNTY_ADMIN, region=county)
    return villages


def generate(path: Path, persons: int, villages: list[tuple[str, str]]) -> int:
    """A national-layout workbook: households of 1–4 members (mean 2.4: ≈ 71,000 for 170,000), head first."""
    from tuopin.apps.registry.exchange.layout import NATIONAL
    from tuopin.apps.registry.exchange.xlsx import write_xlsx
    from tuopin.common import idnumber

    rng = random.Random(20181231)
    rows: list[list] = []
    written, h, used = 0, 0, {}
    statuses = ["未脱贫"] * 3 + ["已脱贫"] * 6 + ["未建档"]
    while written < persons:
        h += 1
        members = min(rng.choice([1, 1, 2, 2, 2, 3, 3, 3, 3, 4]), persons - written)
        township, village = villages[h % len(villages)]
        number = f"2208211{h:08d}"
        status = rng.choice(statuses)
        attribute = "非贫困户" if status == "未建档" else rng.choice(["一般贫困户", "低保贫困户", "特困供养贫困户"])
        cause = "" if status == "未建档" else rng.choice(["因病", "因残", "因学", "缺劳动力", "缺资金", "缺技术"])
        income = f"{rng.randint(2000, 12000)}.{rng.randint(0, 99):02d}"
        dangerous, water_ok, water_hard = rng.random() < 0.05, rng.random() > 0.03, rng.random() < 0.04
        surname = SURNAMES[h % len(SURNAMES)]
        for m in range(members):
            sex = "M" if m == 0 or rng.random() < 0.5 else "F"
            age = rng.randint(30, 80) if m == 0 else rng.randint(1, 85)
            birth = dt.date(2018 - age, rng.randint(1, 12), rng.randint(1, 28))
            seq = used[(birth, sex)] = used.get((birth, sex), -1) + 1  # unique: 500 numbers per birth date and sex
            pid = idnumber.make("220821", birth, seq, sex)
            rows.append([
                "镇赉县", township, village, "", number, f"{number}{m + 1:02d}",
                surname + rng.choice(GIVEN) + rng.choice(GIVEN), pid, members,
                "户主" if m == 0 else rng.choice(["配偶", "之子", "之女", "之孙子女", "之父母"]),
                "蒙古族" if "蒙古" in township and rng.random() < 0.4 else "汉族",
                rng.choice(["小学", "初中", "高中", "文盲或半文盲", ""]),
                "小学" if 6 <= age <= 12 else "非在校生",
                rng.choice(["健康"] * 6 + ["长期慢性病", "患有大病", "残疾", "长期慢性病、残疾"]),
                rng.choice(["普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"]),
                rng.choice(["无", "县内务工", "省外务工"]), rng.randint(0, 10), rng.choice(["是", "是", "否"]),
                status, attribute, cause, "是" if dangerous else "否", "是" if water_ok else "否",
                "是" if water_hard else "否", income, f"13{rng.randint(100000000, 999999999)}",
            ])
            written += 1
    write_xlsx(path, "人员信息", [c.header for c in NATIONAL], rows)
    return h


def timed(label: str, fn, results: dict):
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    seconds = time.perf_counter() - start
    results[label] = seconds
    print(f"{label:<48} {seconds:7.1f} s   (CPU {time.process_time() - cpu:5.1f} s, load {os.getloadavg()[0]:.1f})",
          flush=True)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=170_000)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL (tuopin_bench_h2) instead of SQLite")
    parser.add_argument("--skip-extension", action="store_true", help="skip re-importing the extension-layout export")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    engine = setup_django(args.pg)
    from django.core.management import call_command

    from tuopin.apps.registry.models import Household, Person

    villages = load_divisions()
    workbook = BENCH / f"national-{args.persons}-v2.xlsx"
    if not workbook.exists():
        t = time.perf_counter()
        households = generate(workbook, args.persons, villages)
        print(f"generated {workbook.name}: {args.persons} persons, {households} households "
              f"({workbook.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
    results: dict[str, float] = {}
    common = ["--year", "2018", "--as", "county_admin", "--report", str(BENCH / "report.csv")]
    print(f"database: {engine}")
    timed("import xlsx into the empty database", lambda: call_command("import", str(workbook), *common,
                                                                       stdout=open(os.devnull, "w")), results)
    print(f"  → {Household.objects.count()} households, {Person.objects.count()} persons")
    timed("import the same file again (all unchanged)", lambda: call_command("import", str(workbook), *common,
                                                                              stdout=open(os.devnull, "w")), results)
    out = BENCH / "out"
    out.mkdir(exist_ok=True)
    quiet = {"stdout": open(os.devnull, "w")}
    timed("export xlsx (masked)", lambda: call_command("export", "--format", "xlsx", "--out", str(out / "e.xlsx"),
                                                       "--as", "county_admin", **quiet), results)
    timed("export csv (masked)", lambda: call_command("export", "--format", "csv", "--out", str(out / "e.csv"),
                                                      "--as", "county_admin", **quiet), results)
    timed("export parquet (snapshot layout)", lambda: call_command(
        "export", "--format", "parquet", "--out", str(out / "snap"), "--as", "county_admin", **quiet), results)
    if not args.skip_extension:
        timed("export xlsx unmasked (national + extension)", lambda: call_command(
            "export", "--format", "xlsx", "--out", str(out / "full.xlsx"), "--unmasked", "--as", "county_admin",
            **quiet), results)
        timed("import that export (all unchanged)", lambda: call_command(
            "import", str(out / "full.xlsx"), *common, **quiet), results)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu = time.process_time()
    print(f"peak memory {peak:.0f} MB; process CPU time {cpu:.0f} s; load average {os.getloadavg()[0]:.1f}")
    target = results["import xlsx into the empty database"]
    print(f"import target ≤ 60 s for 170,000 persons: {'met' if target <= 60 else 'NOT met'} ({target:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
