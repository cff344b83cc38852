"""The plan factory's figures: time, total harmony, memory, distance from optimal.

1. For each economy in ../shared/data/planning (1,000 products, 100
   products, the four-sector example) it imports the files, computes the
   harmony plan (``core.planning.plan_harmony``, default tolerance) and
   prints one line:

       n=1000 (...): T s, harmony H, peak M MB, gap G to optimal (bound B), ...

   T is the planner's compute time (import excluded, as in Cockshott's
   9.1 s); the peak is the whole process's resident memory (each economy
   runs in its own process, so each peak is its own); the gap is the
   certified upper bound minus the harmony, so the best possible plan is at
   most G better. Below the n=1000 line come each year's minimum and mean
   fulfilment of the targets.
2. Economies of 3,000 and 10,000 products drawn by
   ``core.planning.generator`` (the shape of Cockshott's generated ones,
   seed 1), planned over 5 years: the same figures plus the sum over the
   years of each year's minimum fulfilment, beside his planner's figures on
   his 10,000-product economy.
3. A static solve (gross output for year 1's targets) on a generated
   economy of 100,000 products, with the time to draw and check it.
4. Six plans on the shipped Spanish table (labour supply and targets
   varied), each started from the first: the total time.

    python bench/plan_factory.py [--write-plan DIR] [--lp] [--data DIR] [--quick]

``--write-plan DIR`` writes the n=1000 plan as CSV files (see its README.txt)
that anyone can check against the model without Konsilo's code;
``--lp`` also solves Cockshott's LP criterion (HiGHS) on the two small ones;
``--quick`` leaves out the 10,000-product plan (half a minute).
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

from core.planning import Plan, plan_harmony, plan_maximin, write_plan  # noqa: E402
from core.planning.economy import Economy  # noqa: E402
from core.planning.generator import generate  # noqa: E402
from core.planning.importers.cockshott import read_cockshott  # noqa: E402
from core.planning.importers.ine import spain  # noqa: E402
from core.planning.static import gross_output, labour_values  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "planning"
# name, Cockshott's harmony planner on it (README of the data), LP-criterion optimum
ECONOMIES = [
    ("generated-n1000-y5", "9.1 s, harmony 1331.6, 1.1 GB", 8.30351188),
    ("generated-n100-y5", "0.72 s, harmony 137.1, 92 MB", 8.29869674),
    ("cockshott-example", None, 8.79729913),
]
SEED = 1
# products, tolerance, time limit (s): the 10,000 plan stops at a 0.1% gap or after 25 s
GENERATED = [(3000, 1e-3, None), (10000, 1e-3, 25.0)]
COCKSHOTT_10000 = "139 s, harmony -57322, sum of yearly minima 0.19, 9.5 GB"
STATIC_SIZE = 100_000
# Spanish variants: (label, labour supply factor, targets factor), each after the first
# started from the first plan; tolerance 1e-2 (each plan's certified gap is printed)
SPAIN_VARIANTS = [
    ("as shipped", 1.0, 1.0),
    ("labour x0.9", 0.9, 1.0),
    ("labour x1.1", 1.1, 1.0),
    ("targets x0.9", 1.0, 0.9),
    ("targets x1.1", 1.0, 1.1),
    ("labour x0.9, targets x1.1", 0.9, 1.1),
]
SPAIN_TOLERANCE = 1e-2


def peak_mb() -> float:
    """The process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, data: Path, plan_dir: str | None, lp: bool) -> dict[str, Any]:
    """Import, plan and (if asked) write one economy; runs in a process of its own."""
    started = time.perf_counter()
    economy = read_cockshott(data / name)
    imported = time.perf_counter() - started
    plan = plan_harmony(economy)
    peak = peak_mb()
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


def measure_generated(n: int, tolerance: float, time_limit: float | None) -> dict[str, Any]:
    """Draw a generated economy and plan it; the drawing is timed apart, like an import."""
    started = time.perf_counter()
    economy = generate(n, years=5, seed=SEED)
    drawn = time.perf_counter() - started
    plan = plan_harmony(economy, tolerance=tolerance, time_limit=time_limit)
    minimum = plan.minimum_fulfilment(economy)
    return {
        "n": n,
        "hash": economy.short_hash,
        "import": drawn,
        "seconds": plan.seconds,
        "harmony": plan.harmony,
        "bound": plan.bound,
        "iterations": plan.iterations,
        "peak": peak_mb(),
        "minimum": minimum.tolist(),
        "mean": plan.mean_fulfilment(economy).tolist(),
        "minimum_sum": float(minimum.sum()),
        "tolerance": tolerance,
    }


def measure_static() -> dict[str, Any]:
    """Gross output and labour values of a 100,000-product generated economy."""
    started = time.perf_counter()
    economy = generate(STATIC_SIZE, years=1, seed=SEED)
    drawn = time.perf_counter() - started
    started = time.perf_counter()
    again = Economy(
        products=economy.products,
        inputs=economy.inputs,
        labour=economy.labour,
        capital=economy.capital,
        depreciation=economy.depreciation,
        base_output=economy.base_output,
        capital_stock=economy.capital_stock,
        labour_supply=economy.labour_supply,
        targets=economy.targets,
    )
    checked = time.perf_counter() - started
    started = time.perf_counter()
    result = gross_output(economy, economy.targets[0])
    solved = time.perf_counter() - started
    started = time.perf_counter()
    values = labour_values(economy)
    valued = time.perf_counter() - started
    return {
        "n": economy.size,
        "hash": again.short_hash,
        "inputs": economy.inputs.nnz / economy.size,
        "drawn": drawn,
        "checked": checked,
        "solved": solved,
        "solver": result.solver,
        "valued": valued,
        "agree": abs(float(values.values @ result.demand) - result.hours) / result.hours,
        "peak": peak_mb(),
    }


def measure_spain() -> dict[str, Any]:
    """Six plans on the Spanish table, each after the first started from the first."""
    started = time.perf_counter()
    base = spain()
    loaded = time.perf_counter() - started
    plans: list[dict[str, Any]] = []
    first: Plan | None = None
    started = time.perf_counter()
    for label, labour, targets in SPAIN_VARIANTS:
        economy = Economy(
            products=base.products,
            inputs=base.inputs,
            labour=base.labour,
            capital=base.capital,
            depreciation=base.depreciation,
            base_output=base.base_output,
            capital_stock=base.capital_stock,
            labour_supply=base.labour_supply * labour,
            targets=base.targets * targets,
            units=base.units,
            source=base.source,
        )
        plan = plan_harmony(economy, tolerance=SPAIN_TOLERANCE, start=first)
        first = first or plan
        plans.append(
            {
                "label": label,
                "harmony": plan.harmony,
                "gap": plan.gap,
                "iterations": plan.iterations,
                "seconds": plan.seconds,
            }
        )
    return {
        "hash": base.short_hash,
        "n": base.size,
        "load": loaded,
        "total": time.perf_counter() - started,
        "plans": plans,
        "peak": peak_mb(),
    }


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


def run(args: argparse.Namespace, *extra: str) -> dict[str, Any]:
    """This script in a process of its own (so each peak memory is its own); its JSON result."""
    command = [sys.executable, __file__, "--data", str(args.data), *extra]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def child(args: argparse.Namespace) -> dict[str, Any]:
    if args.child == "static":
        return measure_static()
    if args.child == "spain":
        return measure_spain()
    if args.child.startswith("drawn-"):
        n = int(args.child.removeprefix("drawn-"))
        tolerance, limit = next((t, s) for size, t, s in GENERATED if size == n)
        return measure_generated(n, tolerance, limit)
    return measure(args.child, args.data, args.write_plan, args.lp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write-plan", metavar="DIR", help="write the n=1000 plan as CSV files")
    parser.add_argument(
        "--lp", action="store_true", help="also solve the LP criterion (small ones)"
    )
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the economies")
    parser.add_argument("--quick", action="store_true", help="leave out the 10,000 plan")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    for index, (name, reference, optimum) in enumerate(ECONOMIES):
        extra = ["--child", name]
        if index == 0 and args.write_plan:
            extra += ["--write-plan", args.write_plan]
        if index > 0 and args.lp:
            extra.append("--lp")
        result = run(args, *extra)
        print(line(name, result, reference))
        if index == 0:
            print_years(result)
            if args.write_plan:
                print(f"  plan written to {args.write_plan}")
        if "lp" in result:
            lp = result["lp"]
            print(
                f"  LP criterion (HiGHS): sum of yearly minimum fulfilments "
                f"{lp['objective']:.8f} in {lp['seconds']:.2f} s (reference {optimum:.8f})"
            )
    for n, _, _ in GENERATED:
        if args.quick and n > 3000:
            continue
        result = run(args, "--child", f"drawn-{n}")
        reference = f"Cockshott's harmony planner on his 10,000: {COCKSHOTT_10000}"
        print(
            line(f"generated, seed {SEED}, tolerance {result['tolerance']:g}", result, None)
            + f"; sum of yearly minimum fulfilments {result['minimum_sum']:.3f}"
            + (f" [{reference}]" if n == 10000 else "")
        )
        print_years(result)
    static = run(args, "--child", "static")
    print(
        f"static n={static['n']} (generated, {static['inputs']:.1f} inputs per product, "
        f"data {static['hash']}): gross output {static['solved']:.2f} s ({static['solver']}), "
        f"labour values {static['valued']:.2f} s (v·y = l·x to {static['agree']:.1e}); "
        f"economy checked in {static['checked']:.2f} s (drawn and checked "
        f"{static['drawn']:.2f} s), peak {static['peak']:.0f} MB"
    )
    spanish = run(args, "--child", "spain")
    print(
        f"Spain 2019 (n={spanish['n']}, data {spanish['hash']}): six plans in "
        f"{spanish['total']:.2f} s (tolerance {SPAIN_TOLERANCE:g}, each started from the "
        f"first; table loaded in {spanish['load']:.2f} s), peak {spanish['peak']:.0f} MB"
    )
    for plan in spanish["plans"]:
        print(
            f"  {plan['label']}: {plan['seconds']:.2f} s, harmony {plan['harmony']:.2f}, "
            f"gap {plan['gap']:.3g} ({100 * plan['gap'] / abs(plan['harmony']):.2f}%), "
            f"{plan['iterations']} iterations"
        )


def print_years(result: dict[str, Any]) -> None:
    for year, (low, mean) in enumerate(zip(result["minimum"], result["mean"], strict=True)):
        print(f"  year {year + 1}: minimum fulfilment {low:.3f}, mean {mean:.3f}")


if __name__ == "__main__":
    main()
