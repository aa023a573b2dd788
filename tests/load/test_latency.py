"""Latency per phase (load.latency): Locust's buckets and percentiles, files merged."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from load.latency import HELD, RAMP, Recorder, bucket, merge, percentile, read

# Importing locust monkey-patches threading with gevent for the whole process (and would break
# every threaded test after this one): Locust's own percentiles are computed in a child process.
LOCUST_PERCENTILES = """
import json, sys
from locust.stats import calculate_response_time_percentile as pct
out = []
for hist, n in json.load(sys.stdin):
    h = {int(k): v for k, v in hist.items()}
    out.append([pct(h, n, q) for q in (0.5, 0.95, 0.99)])
print(json.dumps(out))
"""


def test_buckets_and_percentiles_match_locust() -> None:
    rng = random.Random(7)
    hists: list[dict[int, int]] = []
    for _ in range(50):
        times = [rng.lognormvariate(3, 1.2) for _ in range(rng.randint(1, 400))]
        hist: dict[int, int] = {}
        for t in times:
            hist[bucket(t)] = hist.get(bucket(t), 0) + 1
        hists.append(hist)
    done = subprocess.run(
        [sys.executable, "-c", LOCUST_PERCENTILES], check=True, capture_output=True, text=True,
        input=json.dumps([[h, sum(h.values())] for h in hists]))
    theirs = json.loads(done.stdout)
    ours = [[percentile(h, q) for q in (0.5, 0.95, 0.99)] for h in hists]
    assert ours == theirs


def test_phases_are_kept_apart_and_processes_summed(tmp_path: Path) -> None:
    first, second = Recorder(), Recorder()
    for ms in (5, 5, 250):
        first.record("my_work_orders", ms)
    first.start_held()
    first.record("my_work_orders", 7)
    second.start_held()
    second.record("my_work_orders", 9)
    second.record("dashboard", 1234)
    assert Recorder().empty() and not first.empty()
    first.dump(tmp_path, "worker1")
    second.dump(tmp_path, "worker2")
    merged = merge(sorted(tmp_path.glob("latency-*.json")))
    assert merged[RAMP] == {"my_work_orders": {5: 2, 250: 1}}
    assert merged[HELD] == {"my_work_orders": {7: 1, 9: 1}, "dashboard": {1200: 1}}
    stats = read(tmp_path)
    assert stats[HELD]["my_work_orders"].requests == 2
    assert stats[HELD]["my_work_orders"].p95_ms == 9.0
    assert stats[RAMP]["my_work_orders"].p50_ms == 5.0
