"""The plan factory on Cockshott's economies: time, total harmony, memory, distance from optimal.

For each economy in ../shared/data/planning (1,000 products, 100 products,
the four-sector example) it imports the files, computes the harmony plan
(``core.planning.plan_harmony``, default tolerance) and prints one line:

    n=1000 (...): T s, harmony H, peak M MB, gap G to optimal (bound B), ...

T is the planner's compute time (import excluded, as in Cockshott's 9.1 s);
the peak is the whole process's resident memory (each economy runs in its own
process, so each peak is its own); the gap is the certified upper bound minus
the harmony, so the best possible plan is at most G better. Below the n=1000
line come each year's minimum and mean fulfilment of the targets.

    python bench/plan_factory.py [--write-plan DIR] [--lp] [--data DIR]

``--write-plan DIR`` writes the n=1000 plan as CSV files (see its README.txt)
that anyone can check against the model without Konsilo's code;
``--lp`` also solves Cockshott's LP criterion (HiGHS) on the two small ones.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.planning import plan_harmony, plan_maximin, write_plan  # noqa: E402
from core.planning.importers.cockshott import read_cockshott  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "planning"
# name, Cockshott's harmony planner on it (README of the data), LP-criterion optimum
ECONOMIES = [
    ("generated-n1000-y5", "9.1 s, harmony 1331.6, 1.1 GB", 8.30351188),
    ("generated-n100-y5", "0.72 s, harmony 137.1, 92 MB", 8.29869674),
    ("cockshott-example", None, 8.79729913),
]


def measure(name: str, data: Path, plan_dir: str | None, lp: bool) -> dict[str, Any]:
    """Import, plan and (if asked) write one economy; runs in a process of its own."""
    started = time.perf_counter()
    economy = read_cockshott(data / name)
    imported = time.perf_counter() - started
    plan = plan_harmony(economy)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, Any] = {
        "n": economy.size,
        "hash": economy.short_hash,
        "import": imported,
        "seconds": plan.seconds,
        "harmony": plan.harmony,
        "bound": plan.bound,
        "iterations": plan.iterations,
        "peak": peak,
        "minimum": plan.minimum_fulfilment(economy).tolist(),
        "mean": plan.mean_fulfilment(economy).tolist(),
    }
    if lp:
        maximin = plan_maximin(economy)
        result["lp"] = {"objective": maximin.objective, "seconds": maximin.seconds}
    if plan_dir:
        write_plan(plan, economy, Path(plan_dir))
    return result


def line(name: str, result: dict[str, Any], reference: str | None) -> str:
    bound, harmony = result["bound"], result["harmony"]
    gap = "no bound"
    if bound is not None:
        share = 100 * (bound - harmony) / max(abs(harmony), 1.0)
        gap = f"gap {bound - harmony:.3g} to optimal ({share:.2f}%, bound {bound:.2f})"
    text = (
        f"n={result['n']} ({name}, data {result['hash']}): {result['seconds']:.2f} s, "
        f"harmony {result['harmony']:.2f}, peak {result['peak']:.0f} MB, {gap}; "
        f"{result['iterations']} iterations, import {result['import']:.2f} s"
    )
    if reference:
        text += f" [Cockshott's harmony planner: {reference}]"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write-plan", metavar="DIR", help="write the n=1000 plan as CSV files")
    parser.add_argument(
        "--lp", action="store_true", help="also solve the LP criterion (small ones)"
    )
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the economies")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.data, args.write_plan, args.lp)))
        return
    for index, (name, reference, optimum) in enumerate(ECONOMIES):
        command = [sys.executable, __file__, "--child", name, "--data", str(args.data)]
        if index == 0 and args.write_plan:
            command += ["--write-plan", args.write_plan]
        if index > 0 and args.lp:
            command.append("--lp")
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(line(name, result, reference))
        if index == 0:
            for year, (low, mean) in enumerate(zip(result["minimum"], result["mean"], strict=True)):
                print(f"  year {year + 1}: minimum fulfilment {low:.3f}, mean {mean:.3f}")
            if args.write_plan:
                print(f"  plan written to {args.write_plan}")
        if "lp" in result:
            lp = result["lp"]
            print(
                f"  LP criterion (HiGHS): sum of yearly minimum fulfilments "
                f"{lp['objective']:.8f} in {lp['seconds']:.2f} s (reference {optimum:.8f})"
            )


if __name__ == "__main__":
    main()
