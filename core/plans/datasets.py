"""The economic data a federation plans from: the shipped Spanish table or the operator's own.

A central assembly names its dataset in the statute ``plan.data``. Built in:
``spain-2019`` (INE's 2019 tables, shipped in ``core/planning/data``). An
operator adds others as folders ``$KONSILO_DATA/economies/<name>/`` in the
plain CSV layout (README, docs/planning-data.md), or holding Cockshott's
``5yearplan`` files; an optional ``public.txt`` names, one per line, the
products consumed in common. Replacing a folder's files is how revised data
arrive: the content hash changes and an adopted plan is recomputed
(``core.plans.revision``).

Only ``names`` is light (the statute parser calls it); the loaders import
numpy and the importers when first used. A loaded economy is cached by its
files' sizes and modification times, so a chat command does not parse CSVs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import Refusal
from core.store.db import data_directory

if TYPE_CHECKING:
    from core.planning.economy import Economy

SPAIN = "spain-2019"
# The Spanish table's products consumed in common: administration, education, health, care.
SPAIN_PUBLIC = (
    "Public administration and defence services; compulsory social security services",
    "Education services",
    "Human health services",
    "Residential care services; social work services without accommodation",
)
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,59}$")
PUBLIC_FILE = "public.txt"


@dataclass(frozen=True, eq=False)
class Dataset:
    """An economy and what its provider says is consumed in common."""

    name: str
    economy: Economy
    public: tuple[str, ...]


def folder() -> Path:
    """Where an operator installs datasets."""
    return data_directory() / "economies"


def names() -> list[str]:
    """Every dataset a central assembly may name: the built-in one, then the installed ones."""
    root = folder()
    if not root.is_dir():
        return [SPAIN]
    found = sorted(p.name for p in root.iterdir() if p.is_dir() and NAME.match(p.name))
    return [SPAIN, *(name for name in found if name != SPAIN)]


def load(name: str) -> Dataset:
    """The dataset called ``name`` as it is on disk now."""
    if name == SPAIN:
        return _spain()
    path = folder() / name
    if not NAME.match(name) or not path.is_dir():
        raise Refusal(
            "There is no dataset called {name}. Installed: {known}.",
            name=name[:60],
            known=", ".join(names()),
        )
    return _folder(str(path), _signature(path))


def _signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    """The folder's files with size and modification time: a change means revised data."""
    files = sorted(p for p in path.iterdir() if p.is_file())
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)


@lru_cache(maxsize=1)
def _spain() -> Dataset:
    from core.planning.importers.ine import spain

    return Dataset(SPAIN, spain(), SPAIN_PUBLIC)


@lru_cache(maxsize=8)
def _folder(path_text: str, signature: tuple[tuple[str, int, int], ...]) -> Dataset:
    """Read a folder (cached per signature); Cockshott's files when present, else plain CSV."""
    from core.planning.importers.cockshott import read_cockshott
    from core.planning.importers.plain_csv import read_plain_csv

    path = Path(path_text)
    files = {name for name, _, _ in signature}
    cockshott = bool(files & {"flows.csv", "flows.csv.gz", "testflow.csv", "testflow.csv.gz"})
    economy = read_cockshott(path) if cockshott else read_plain_csv(path)
    public: tuple[str, ...] = ()
    if PUBLIC_FILE in files:
        lines = (path / PUBLIC_FILE).read_text(encoding="utf-8").splitlines()
        public = tuple(line.strip() for line in lines if line.strip())
    return Dataset(path.name, economy, public)
