"""What asking the engine's status rule costs the national generator: one chunk's status at the end of the
years written, by `engine.status` (what the generator runs) and by the numpy loop over event slots it replaced
(decision 1371), with a check that both give every household the same code.

    .venv/bin/python benchmarks/synth_status.py [--households 500000] [--repeat 3]

Prints CPU seconds per chunk (the machine is shared: CPU, not wall time, is the figure) and the load average.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from tuopin.synth.nation import geography
from tuopin.synth.nation import households as H

# The replaced loop's table: event slot (event_id % 8) -> 脱贫属性 code.
SLOT_STATUS = {0: 0, 1: 1, 2: 3, 3: 1, 4: 5, 5: 9, 6: -1}


def slot_loop(events, n: int, years) -> dict:
    slot_year = []
    eid, row, year = events["event_id"].to_numpy(), events["household_id"].to_numpy() - 1, events["year"].to_numpy()
    for slot in range(7):
        y = np.full(n, H.NEVER)
        at = eid % 8 == slot
        y[row[at]] = year[at]
        slot_year.append(y)
    out = {}
    for y in years:
        s = np.full(n, -1, dtype=np.int8)
        for slot, when in enumerate(slot_year):
            s = np.where(when <= y, SLOT_STATUS[slot], s)
        out[y] = s
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    geo = geography.build(args.households, np.random.default_rng([1, 0]))
    _, _, events = H.story(geo, 0, len(geo.households), 1, np.random.default_rng([1, 1, 0]))
    n = int(geo.households.sum())
    for years in ([2018, H.LAST_YEAR], list(range(H.FIRST_YEAR, H.LAST_YEAR + 1))):
        times = {}
        for name, run in (("numpy loop", lambda years=years: slot_loop(events, n, years)),
                          ("engine rule", lambda years=years: H._status(events, 1, n, years))):
            started = time.process_time()
            for _ in range(args.repeat):
                got = run()
            times[name] = (time.process_time() - started) / args.repeat
            times.setdefault("codes", []).append(got)
        old, new = times.pop("codes")
        assert all((old[y] == new[y]).all() for y in years), "the loop and the rule disagree"
        print(f"{n:,} households, {events.num_rows:,} events, {len(years)} years: "
              + ", ".join(f"{k} {v:.3f} CPU s" for k, v in times.items())
              + f"; load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
