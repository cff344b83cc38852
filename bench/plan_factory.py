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
4. The shipped Spanish table as an assembly would see it: the five default
   variants and one member proposal (``core.planning.variants.variants``),
   each with its five-line summary (``core.planning.summaries``), timed
   from the loaded table to the last summary in a fresh process, a few
   times (the spread is printed). Each variant's line says whether it has a
   plan, how closely that plan meets the model's constraints, and how much
   of the work offered in year 1 it uses.

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

from core.planning import plan_harmony, plan_maximin, violations, write_plan  # noqa: E402
from core.planning.economy import Economy  # noqa: E402
from core.planning.generator import generate  # noqa: E402
from core.planning.importers.cockshott import read_cockshott  # noqa: E402
from core.planning.importers.ine import spain  # noqa: E402
from core.planning.proposals import parse  # noqa: E402
from core.planning.static import gross_output, labour_values  # noqa: E402
from core.planning.summaries import summarize  # noqa: E402
from core.planning.variants import Setting, adjust, base_parameters, variants  # noqa: E402

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
# The Spanish variants: the products consumed in common, one member proposal, the
# target (issue 5: "six variants with their summaries in under 2 s") and how many
# fresh processes measure it.
SPAIN_PUBLIC = (
    "Public administration and defence services; compulsory social security services",
    "Education services",
    "Human health services",
    "Residential care services; social work services without accommodation",
)
SPAIN_PROPOSAL = "+20% human health services"
SPAIN_TARGET = 2.0
SPAIN_RUNS = 3


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


def measure_spain(criterion: str = "harmony") -> dict[str, Any]:
    """The default variants and one member proposal on the Spanish table, with summaries,
    under Cockshott's criterion or the balanced one (what the chats use by default)."""
    started = time.perf_counter()
    economy = spain()
    loaded = time.perf_counter() - started
    setting = Setting(public_products=SPAIN_PUBLIC, criterion=criterion)
    started = time.perf_counter()
    proposal = parse(SPAIN_PROPOSAL, economy.products, proposer="bench")
    computed = variants(economy, setting, [proposal.request(base_parameters(economy, setting))])
    summaries = [summarize(economy, variant) for variant in computed]
    total = time.perf_counter() - started
    rows: list[dict[str, Any]] = []
    for variant, summary in zip(computed, summaries, strict=True):
        p = variant.parameters
        row: dict[str, Any] = {
            "label": variant.label,
            "origin": variant.origin,
            "hours": p.hours,
            "investment": p.investment,
            "public": p.public,
            "seconds": variant.seconds,
            "lines": len(summary.lines),
            "notes": list(variant.notes),
            "plan": variant.plan is not None,
        }
        if variant.plan is not None:
            plan, planned = variant.plan, adjust(economy, p, setting)  # hours, horizon applied
            row |= {
                "harmony": plan.harmony,
                "iterations": plan.iterations,
                "worst": violations(planned, plan).worst,
                "used": float(plan.labour_used[0]) / float(planned.labour_supply[0]),
            }
        elif variant.shortfall is not None:
            row["reached"] = variant.shortfall.reached
        rows.append(row)
    return {
        "hash": economy.short_hash,
        "criterion": criterion,
        "n": economy.size,
        "load": loaded,
        "total": total,
        "variants": rows,
        "peak": peak_mb(),
    }


def print_spain(runs: list[dict[str, Any]]) -> None:
    """One line for all the fresh runs, then one per variant of the first run."""
    totals = sorted(run["total"] for run in runs)
    processes = sorted(run["process"] for run in runs)
    met = sum(total < SPAIN_TARGET for total in totals)
    first = runs[0]
    print(
        f"Spain 2019 (n={first['n']}, data {first['hash']}, criterion {first['criterion']}): "
        "six variants with summaries in "
        f"{totals[len(totals) // 2]:.2f} s (median of {len(runs)} fresh processes, "
        f"{totals[0]:.2f}-{totals[-1]:.2f} s; under {SPAIN_TARGET:g} s in {met} of {len(runs)}; "
        f"table loaded in {first['load']:.2f} s; whole process with imports "
        f"{processes[0]:.2f}-{processes[-1]:.2f} s), peak {first['peak']:.0f} MB"
    )
    for row in first["variants"]:
        shares = f"{row['hours']:g} h, investment {_share(row['investment'])}"
        shares += f", public {_share(row['public'])}"
        what = f"{row['label']} ({shares}"
        what += f'; proposed: "{row["origin"]}")' if row["origin"] else ")"
        if row["plan"]:
            text = (
                f"  {what}: {row['seconds']:.2f} s, plan (constraints hold to "
                f"{row['worst']:.1g}), harmony {row['harmony']:.2f}, year 1 uses "
                f"{100 * row['used']:.1f}% of the work offered, {row['iterations']} iterations"
            )
        else:
            reached = row.get("reached")
            text = f"  {what}: {row['seconds']:.2f} s, no plan"
            if reached is not None:
                text += f" (at most {100 * reached:.1f}% of what it asks)"
        if row["notes"]:
            text += f" [{'; '.join(row['notes'])}]"
        print(text + f"; summary of {row['lines']} lines")


def _share(share: float | None) -> str:
    return "left to the plan" if share is None else f"{100 * share:.1f}%"


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


def timed(args: argparse.Namespace, *extra: str) -> dict[str, Any]:
    """``run``, with the whole process's wall time (start-up and imports included)."""
    started = time.perf_counter()
    result = run(args, *extra)
    result["process"] = time.perf_counter() - started
    return result


def child(args: argparse.Namespace) -> dict[str, Any]:
    if args.child == "static":
        return measure_static()
    if args.child.startswith("spain-"):
        return measure_spain(args.child.removeprefix("spain-"))
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
    for criterion in ("harmony", "balanced"):
        print_spain([timed(args, "--child", f"spain-{criterion}") for _ in range(SPAIN_RUNS)])


def print_years(result: dict[str, Any]) -> None:
    for year, (low, mean) in enumerate(zip(result["minimum"], result["mean"], strict=True)):
        print(f"  year {year + 1}: minimum fulfilment {low:.3f}, mean {mean:.3f}")


if __name__ == "__main__":
    main()
