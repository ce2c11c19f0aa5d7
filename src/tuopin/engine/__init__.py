"""The assessment engine: snapshots of the registry (Arrow / Parquet) and the runners that apply the rules
to them (DuckDB embedded, Spark at national scale). Framework-free: nothing here imports Django.

`tuopin.engine.snapshot` holds the snapshot layout (table schemas, `write_snapshot`, `read_table`).
"""
