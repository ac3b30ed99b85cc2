"""Time and peak memory of every submission's sandbox processes, read from a TA report.

    .venv/bin/autograde grade submissions --out /tmp/grades --jobs 1
    .venv/bin/python bench/resources.py /tmp/grades/ta_report.json

Run with --jobs 1 for per-submission timings that are not shared with a neighbour.
"""
from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def main(path: Path) -> int:
    results = json.loads(path.read_text(encoding="utf-8"))
    keys = ("notebook_s", "notebook_peak_mb", "cell_s", "cell_peak_mb")
    print(f"{'student':<32}" + "".join(f"{k:>18}" for k in keys))
    for r in results:
        res = r.get("resources", {})
        print(f"{r['student']:<32}" + "".join(f"{res.get(k, float('nan')):>18.1f}" for k in keys))
    for k in keys:
        values = [r["resources"][k] for r in results if k in r.get("resources", {})]
        if values:
            print(f"{k}: median {statistics.median(values):.1f}, max {max(values):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
