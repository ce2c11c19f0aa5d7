"""Files in and out of the registry: the national person-level layout (xlsx, csv) and Parquet snapshots.
The checks of a hostile file, the report of problems and the import lock are general (`tuopin.apps.files`).

    layout.py / vocab.py   the columns, their allowed values and labels (docs/data-formats.md lists the same)
    readers.py             xlsx (python-calamine) and csv (utf-8-sig, GB 18030) into rows with Excel row numbers
    parse.py               checks that need only the file
    plan.py, status.py     checks against the registry and the change plan (what to create, update, record)
    upsert.py              the bulk writer (tuples in, one UPDATE statement for many rows)
    importer.py            the import service: all or nothing, one audit batch, the report of problems
    export.py, exporter.py the export service: national layout via openpyxl write_only / csv
    snapshot_export.py     the registry into the snapshot tables of tuopin.engine.snapshot
"""
