"""The federation's data for the plan factory: its dataset, its setting, and kept copies.

Each economy a variant set was computed from is stored whole under its content
hash (``plan_economies``), so "why", charts and a recomputation after revised
data read the very numbers the members saw, even after the operator replaced
the files.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import insert, select

from core import assemblies
from core.context import Tx
from core.errors import Refusal
from core.planning import archive
from core.planning.economy import Economy
from core.planning.proposals import resolve
from core.planning.variants import Setting
from core.plans import datasets
from core.store.tables import plan_economies

KEPT_IN_MEMORY = 4  # stored economies kept decoded (a Spanish one is about 50 kB)
_decoded: OrderedDict[str, Economy] = OrderedDict()


@dataclass(frozen=True, eq=False)
class FederationData:
    """What a federation plans from now: the dataset's name, the economy, the setting."""

    name: str
    economy: Economy
    setting: Setting


def of_federation(tx: Tx, central_id: int) -> FederationData:
    """The central assembly's dataset (``plan.data``) and setting (``plan.public``,
    ``plan.hours``, ``plan.criterion``)."""
    rules = assemblies.statute(tx, central_id)
    dataset = datasets.load(str(rules["plan.data"]))
    economy = dataset.economy
    public = _public(str(rules["plan.public"]), dataset, economy)
    setting = Setting(
        baseline_hours=float(rules["plan.hours"]),
        public_products=public,
        criterion=str(rules["plan.criterion"]),
    )
    return FederationData(dataset.name, economy, setting)


def _public(value: str, dataset: datasets.Dataset, economy: Economy) -> tuple[str, ...]:
    """The products consumed in common: the dataset's own list, none, or the names given."""
    if value.lower() == "auto":
        return tuple(name for name in dataset.public if name in economy.products)
    if value.lower() == "none":
        return ()
    return tuple(resolve(name.strip(), economy.products) for name in value.split(",") if name)


def sector_of(tx: Tx, assembly_id: int, economy: Economy) -> str | None:
    """The member assembly's workplace sector (``plan.sector``), None when it named none.

    A name the data do not know gives None: the assembly then reads the general
    line, and the factory's report names the assembly.
    """
    value = str(assemblies.statute(tx, assembly_id)["plan.sector"])
    if value.lower() == "none":
        return None
    try:
        return resolve(value, economy.products)
    except Refusal:
        return None


def keep(tx: Tx, name: str, economy: Economy) -> str:
    """Store the economy under its hash unless it is already stored; the hash."""
    present = tx.conn.execute(
        select(plan_economies.c.hash).where(plan_economies.c.hash == economy.hash)
    ).scalar()
    if present is None:
        tx.conn.execute(
            insert(plan_economies).values(
                hash=economy.hash,
                name=name,
                data=archive.economy_bytes(economy),
                created_at=tx.now,
            )
        )
    _remember(economy)
    return economy.hash


def stored(tx: Tx, economy_hash: str) -> Economy:
    """The stored economy with this hash (decoded once, then kept in memory)."""
    if economy_hash in _decoded:
        _decoded.move_to_end(economy_hash)
        return _decoded[economy_hash]
    data = tx.conn.execute(
        select(plan_economies.c.data).where(plan_economies.c.hash == economy_hash)
    ).scalar()
    if data is None:
        raise Refusal("The data of these variants are not stored here.")
    try:
        economy = archive.economy_from(bytes(data))
    except archive.ArchiveError as error:  # damaged storage: say so, never guess
        raise Refusal("The stored data of these variants cannot be read.") from error
    _remember(economy)
    return economy


def _remember(economy: Economy) -> None:
    _decoded[economy.hash] = economy
    _decoded.move_to_end(economy.hash)
    while len(_decoded) > KEPT_IN_MEMORY:
        _decoded.popitem(last=False)
