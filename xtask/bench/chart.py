"""Chart of `cargo xtask bench`'s results: `chart.py results.json results.png`.

Panels: median time native against Python (min-max as error bars), the Python / native ratio
against the 1.05 target, and Python's throughput of the ingestion and thread workloads.
"""

from __future__ import annotations

import json
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")  # no display on CI or over ssh
import matplotlib.pyplot as plt
from matplotlib.ticker import EngFormatter, LogLocator

TARGET = 1.05
NATIVE, PYTHON = "tab:blue", "tab:orange"

results = json.loads(pathlib.Path(sys.argv[1]).read_text())
rows = results["rows"]
paired = [row for row in rows if row["native"] and row["python"]]
ratios = [row for row in rows if row["ratio"] is not None]
throughput = [row for row in rows if row["python"] and row["name"].startswith(("ingest", "threads"))]

fig, (times, ratio, rate) = plt.subplots(
    3, 1, figsize=(11, 11), height_ratios=[len(paired) * 2, len(ratios), len(throughput)], layout="constrained"
)
machine = results["machine"]
fig.suptitle(
    f"barter from Python against native barter, median of {results['repeats']} runs\n"
    f"{machine['cpu']}, {machine['cores']} cores; {machine['rustc']}; {machine['python']}"
)

height = 0.4
for offset, side, color in ((-height / 2, "native", NATIVE), (height / 2, "python", PYTHON)):
    stats = [row[side] for row in paired]
    medians = [stat["median_s"] for stat in stats]
    errors = [[m - stat["min_s"] for m, stat in zip(medians, stats)], [stat["max_s"] - m for m, stat in zip(medians, stats)]]
    ys = [y + offset for y in range(len(paired))]
    times.barh(ys, medians, height, xerr=errors, capsize=3, color=color, label=side)
times.set_yticks(range(len(paired)), [row["name"] for row in paired])
times.invert_yaxis()
times.set_xscale("log")
# Label 2x and 5x too: the times span only one or two decades.
times.xaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
times.xaxis.set_major_formatter(EngFormatter(unit="s"))
times.grid(axis="x", alpha=0.3)
times.set_title("Median time (min-max bars), lower is better")
times.legend(loc="upper right")

values = [row["ratio"] for row in ratios]
colors = ["tab:red" if value > TARGET else "tab:green" for value in values]
# Bars grow from 1 (parity), so the distance to the target is what shows.
ratio.barh(range(len(ratios)), [value - 1 for value in values], left=1, color=colors)
ratio.axvline(TARGET, color="black", linestyle="--", label=f"target {TARGET}x")
ratio.axvline(1.0, color="grey", linewidth=0.8)
for y, value in enumerate(values):
    ratio.annotate(f"{value:.2f}x", (max(value, 1), y), xytext=(3, 0), textcoords="offset points", va="center",
                   bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
ratio.set_yticks(range(len(ratios)), [row["name"] for row in ratios])
ratio.invert_yaxis()
ratio.set_xlim(min(values + [1]) - 0.05, max(values + [TARGET]) + 0.1)
ratio.grid(axis="x", alpha=0.3)
ratio.set_title("Python / native: median time, or peak RSS")
ratio.legend(loc="lower right")

rate.barh(range(len(throughput)), [row["python"]["items_per_s"] for row in throughput], color=PYTHON)
rate.set_yticks(range(len(throughput)), [row["name"] for row in throughput])
rate.invert_yaxis()
rate.xaxis.set_major_formatter(EngFormatter(unit="/s"))
rate.grid(axis="x", alpha=0.3)
rate.set_title("Python throughput (market events per second), higher is better")

fig.savefig(sys.argv[2], dpi=120)
