"""Roster files for the tests: a csv or an xlsx of a kind's columns."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from tuopin.standards.rosters import layout


def headers(kind: str) -> list[str]:
    return [c.name for c in layout(kind).columns]


def row(kind: str, **cells) -> list[str]:
    return [str(cells.get(h, "")) for h in headers(kind)]


def person_row(kind: str, person, **cells) -> list[str]:
    return row(kind, **{"姓名": person.name, "证件号码": person.id_number, **cells})


def write_csv(tmp_path, kind: str, rows: list[list[str]], name: str = "roster.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(kind))
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


def write_xlsx(tmp_path, kind: str, rows: list[list], name: str = "roster.xlsx", title: str = ""):
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(headers(kind))
    for r in rows:
        sheet.append(r)
    path = tmp_path / name
    book.save(path)
    return path
