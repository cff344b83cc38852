"""Economies and computed variants as bytes, so a federation keeps exactly what it voted on.

Why: "why", charts and the recomputation after revised data must use the very
plan members saw, not a fresh solve (a warm-started solver can land a hair
away), and the data it came from must stay readable after the operator
replaces them. So both are kept whole: numpy arrays in a compressed ``.npz``
(``allow_pickle=False``: nothing in it can run code) and the rest as JSON.
An economy read back is rebuilt through ``Economy`` and must give the same
content hash, so a damaged archive is refused rather than used.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from core.planning.economy import Economy
from core.planning.plan import Plan
from core.planning.steering import Shortfall
from core.planning.variants import Parameters, SectorChange, Setting, Variant

Arrays = dict[str, np.ndarray[Any, Any]]
MATRICES = ("inputs", "capital", "depreciation", "capital_stock")
VECTORS = ("labour", "base_output", "labour_supply", "targets")
PLAN_ARRAYS = ("gross_output", "net_output", "accumulation", "labour_used", "fulfilment")


class ArchiveError(ValueError):
    """An archive that does not read back as what was stored."""


def economy_bytes(economy: Economy) -> bytes:
    """The economy's every number, name and note."""
    arrays: Arrays = {}
    for name in MATRICES:
        matrix: sp.csr_matrix = getattr(economy, name)
        arrays[f"{name}.data"] = matrix.data
        arrays[f"{name}.indices"] = matrix.indices
        arrays[f"{name}.indptr"] = matrix.indptr
    for name in VECTORS:
        arrays[name] = np.asarray(getattr(economy, name))
    meta = {
        "products": list(economy.products),
        "units": economy.units,
        "source": economy.source,
        "hash": economy.hash,
    }
    return _pack(arrays, meta)


def economy_from(data: bytes) -> Economy:
    """The economy back, checked against the hash it was stored under."""
    arrays, meta = _unpack(data)
    n = len(meta["products"])
    matrices = {
        name: sp.csr_matrix(
            (arrays[f"{name}.data"], arrays[f"{name}.indices"], arrays[f"{name}.indptr"]),
            shape=(n, n),
        )
        for name in MATRICES
    }
    economy = Economy(
        products=tuple(meta["products"]),
        labour=arrays["labour"],
        base_output=arrays["base_output"],
        labour_supply=arrays["labour_supply"],
        targets=arrays["targets"],
        units=meta["units"],
        source=meta["source"],
        **matrices,
    )
    if meta.get("hash") not in (None, economy.hash):
        raise ArchiveError("the economy read back has another content hash")
    return economy


def variant_bytes(variant: Variant) -> bytes:
    """A computed variant: parameters, setting, plan arrays or shortfall, provenance."""
    arrays: Arrays = {}
    meta: dict[str, Any] = {
        "label": variant.label,
        "parameters": parameters_json(variant.parameters),
        "setting": variant.setting.describe(),
        "economy": variant.economy_hash,
        "origin": variant.origin,
        "proposer": variant.proposer,
        "seconds": variant.seconds,
        "notes": list(variant.notes),
        "plan": None,
        "shortfall": _shortfall_json(variant.shortfall),
    }
    if variant.plan is not None:
        plan = variant.plan
        arrays.update({name: np.asarray(getattr(plan, name)) for name in PLAN_ARRAYS})
        meta["plan"] = {
            "criterion": plan.criterion,
            "economy": plan.economy_hash,
            "parameters": dict(plan.parameters),
            "harmony": plan.harmony,
            "objective": plan.objective,
            "bound": plan.bound,
            "iterations": plan.iterations,
            "seconds": plan.seconds,
            "notes": list(plan.notes),
        }
    return _pack(arrays, meta)


def variant_from(data: bytes) -> Variant:
    """A stored variant back, exactly as it was computed."""
    arrays, meta = _unpack(data)
    plan = None
    if meta["plan"] is not None:
        p = meta["plan"]
        plan = Plan(
            criterion=p["criterion"],
            economy_hash=p["economy"],
            parameters=p["parameters"],
            harmony=p["harmony"],
            objective=p["objective"],
            bound=p["bound"],
            iterations=p["iterations"],
            seconds=p["seconds"],
            notes=tuple(p["notes"]),
            gross_output=arrays["gross_output"],
            net_output=arrays["net_output"],
            accumulation=arrays["accumulation"],
            labour_used=arrays["labour_used"],
            fulfilment=arrays["fulfilment"],
        )
    setting = meta["setting"]
    return Variant(
        label=meta["label"],
        parameters=parameters_from(meta["parameters"]),
        setting=Setting(
            setting["baseline_hours"],
            tuple(setting["public_products"]),
            setting.get("criterion", "harmony"),
        ),
        economy_hash=meta["economy"],
        plan=plan,
        shortfall=_shortfall_from(meta["shortfall"]),
        origin=meta["origin"],
        proposer=meta["proposer"],
        seconds=meta["seconds"],
        notes=tuple(meta["notes"]),
    )


def parameters_json(parameters: Parameters) -> dict[str, Any]:
    """Parameters as JSON without loss (``describe`` rounds changes to whole percent)."""
    offers = getattr(parameters, "offers", ())
    return {
        "hours": parameters.hours,
        "investment": parameters.investment,
        "public": parameters.public,
        "horizon": parameters.horizon,
        "changes": [[c.product, c.factor] for c in parameters.changes],
        "offers": [offer.describe() for offer in offers],
    }


def parameters_from(data: Mapping[str, Any]) -> Parameters:
    """The parameters ``parameters_json`` wrote."""
    changes = tuple(SectorChange(str(p), float(f)) for p, f in data["changes"])
    extra: dict[str, Any] = {}
    if data.get("offers"):
        from core.planning.workplaces import Offer  # only archives with offers need it

        extra["offers"] = tuple(Offer.from_dict(o) for o in data["offers"])
    return Parameters(
        hours=float(data["hours"]),
        investment=data["investment"],
        public=data["public"],
        horizon=int(data["horizon"]),
        changes=changes,
        **extra,
    )


def _shortfall_json(short: Shortfall | None) -> dict[str, Any] | None:
    return None if short is None else short.describe()


def _shortfall_from(data: Mapping[str, Any] | None) -> Shortfall | None:
    return None if data is None else Shortfall.from_dict(data)


def _pack(arrays: Arrays, meta: dict[str, Any]) -> bytes:
    text = json.dumps(meta, sort_keys=True, allow_nan=True).encode("utf-8")
    buffer = io.BytesIO()
    arrays = {**arrays, "meta": np.frombuffer(text, dtype=np.uint8)}
    np.savez_compressed(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


def _unpack(data: bytes) -> tuple[Arrays, dict[str, Any]]:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        meta: dict[str, Any] = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"unreadable archive: {error}") from error
    return arrays, meta
