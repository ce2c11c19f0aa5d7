"""The risk score: its features see only the past, its label is next year's entry into monitoring, it ranks a
planted risk far better than chance in townships and a year it was not trained on, and explains itself."""

import duckdb
import pytest

from tuopin import standards
from tuopin.engine.connection import register_parquet
from tuopin.engine.snapshot import write_snapshot
from tuopin.risk import model as m
from tuopin.risk.features import feature_names, features, monitoring_line_fen, year_features
from tuopin.risk.validate import held_out, validate

from .history import write_history

ZHENLAI = standards.load("220821")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    folder = tmp_path_factory.mktemp("history")
    facts = write_history(folder)
    con = duckdb.connect()
    register_parquet(con, folder)
    return con, facts


def test_the_label_is_next_years_entry_and_the_monitored_are_left_out(history):
    con, _ = history
    rows = year_features(con, ZHENLAI, 2021)
    entered_2022 = {h for (h,) in con.execute(
        "SELECT household_id FROM status_events WHERE kind = 'monitoring_in' AND YEAR(effective_on) = 2022").fetchall()}
    labelled = {h for h, label in zip(rows.column("household_id").to_pylist(), rows.column("label").to_pylist())
                if label}
    assert labelled == entered_2022
    monitored_by_2021 = {h for (h,) in con.execute(
        "SELECT household_id FROM status_events WHERE kind = 'monitoring_in' AND effective_on <= DATE '2021-12-31'"
    ).fetchall()}
    assert monitored_by_2021 and not monitored_by_2021 & set(rows.column("household_id").to_pylist())


def test_features_do_not_see_the_year_after(history, tmp_path):
    con, _ = history
    before = year_features(con, ZHENLAI, 2021).drop(["label"])
    # The same history with 2022's records made extreme: the features of 2021 must not move.
    changed = tmp_path / "changed"
    tables = {name: con.sql(f"SELECT * FROM {name}").to_arrow_table()
              for name in ("persons", "status_events")}
    yearly = con.sql("SELECT * REPLACE (CASE WHEN year = 2022 THEN 99999999 ELSE medical_expense_fen END "
                     "AS medical_expense_fen) FROM households_yearly").to_arrow_table()
    tables |= {"households_yearly": yearly,
               "persons_yearly": con.sql("SELECT * FROM persons_yearly").to_arrow_table()}
    write_snapshot(changed, tables)
    other = duckdb.connect()
    register_parquet(other, changed)
    assert year_features(other, ZHENLAI, 2021).drop(["label"]).equals(before)


def test_the_income_ratio_reads_the_year_before(history):
    con, _ = history
    rows = year_features(con, ZHENLAI, 2021).to_pylist()
    net = dict(con.execute("SELECT household_id * 10000 + year, net_income_fen FROM households_yearly").fetchall())
    row = rows[0]
    h = row["household_id"]
    assert row["income_ratio_1y"] == pytest.approx(net[h * 10000 + 2021] / net[h * 10000 + 2020])
    assert row["income_to_line"] == pytest.approx(
        con.execute(f"SELECT per_capita_net_income_fen FROM households_yearly WHERE household_id = {h} "
                    f"AND year = 2021").fetchall()[0][0] / monitoring_line_fen(ZHENLAI, 2021))


def test_the_features_read_the_rules_monitoring_line_of_every_year():
    # Before 2021 the 2020 guidance's 1.5 × the poverty line (3,747 yuan in 2019), to the yuan, half up; from 2021
    # the stored line.
    assert ZHENLAI.monitoring_entry(2019)["status"] == "derived"
    assert monitoring_line_fen(ZHENLAI, 2019) == 562_100
    assert monitoring_line_fen(ZHENLAI, 2021) == ZHENLAI.monitoring_line_yuan(2021) * 100 == 600_000


def test_held_out_townships_are_never_trained_on(history):
    con, _ = history
    table = features(con, ZHENLAI, [2020, 2021])
    train, test = held_out(table)
    assert train.num_rows and test.num_rows
    assert not set(train.column("township_code").to_pylist()) & set(test.column("township_code").to_pylist())


def test_the_score_ranks_a_planted_risk_out_of_time(history):
    con, _ = history
    table = features(con, ZHENLAI, [2020, 2021, 2022, 2023])

    def candidates(year):  # a stand-in for the rules' candidates: medical costs above half the income
        return {h for (h,) in con.execute(f"SELECT household_id FROM households_yearly WHERE year = {year} "
                                          f"AND medical_expense_fen > net_income_fen / 2").fetchall()}

    reports = validate(table, [2023], candidates=candidates)
    (report,) = reports
    assert report["trained_on_years"] == [2020, 2021, 2022]
    assert report["auc"] > 0.7, report  # the planted process; chance is 0.5
    assert report["top_decile_capture"] > 0.2, report  # a tenth of the households; chance is 0.1
    assert 0 < report["rule_candidates"] < report["test_rows"]


def test_explanations_name_the_planted_factor_and_a_saved_model_scores_the_same(history, tmp_path):
    con, _ = history
    table = features(con, ZHENLAI, [2020, 2021, 2022])
    model = m.train(table, trained_on=[2020, 2021, 2022])
    scores = model.score(table)
    riskiest = table.take([int(scores.argmax())])
    (factors,) = model.explain(riskiest)
    assert factors and factors[0][0] in ("medical_to_income", "medical_to_income_prev")
    model.save(tmp_path / "risk.txt")
    again = m.load(tmp_path / "risk.txt")
    assert again.features == feature_names(table) and again.card["trained_on"] == [2020, 2021, 2022]
    assert (again.score(table) == scores).all()
