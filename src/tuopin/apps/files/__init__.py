"""General file tools for every import, whatever its layout: the registry's national layout, the organisation
workbook, and the departments' rosters and field forms to come.

    guard.py        a file is checked before any reader opens it: size, inflated size, ratio, shape (decision 0953)
    xlsx_parts.py   a very large one-sheet workbook cut between rows into parts, so a reader holds one at a time
    import_lock.py  one import at a time per database (decision 0907)
    report.py       the problems of a refused file as a CSV report, personal values masked
"""
