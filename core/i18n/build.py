"""Extract msgids from the code and compile the catalogs (a developer tool).

``python -m core.i18n.build extract`` refreshes ``konsilo.pot`` and merges it
into every ``.po``; ``python -m core.i18n.build`` compiles every ``.po`` to
``.mo``. Babel does the work (a test dependency, not needed at run time).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from core.i18n import DOMAIN, LOCALES

ROOT = Path(__file__).resolve().parents[2]
# Refusal("...") takes its msgid as first argument, so it needs no N_ marker.
KEYWORDS: dict[str, None] = {"N_": None, "Refusal": None, "EconomyError": None}


def extract() -> Catalog:
    """Every msgid marked with ``N_`` (or given to ``Refusal``) in ``core/`` and ``bot/``."""
    catalog = Catalog(project="konsilo")
    for package in ("core", "bot"):
        for path in sorted((ROOT / package).rglob("*.py")):
            location = path.relative_to(ROOT).as_posix()
            for lineno, message in marked(path.read_text(encoding="utf-8"), location):
                catalog.add(message, locations=[(location, lineno)])
    return catalog


def marked(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, msgid) of each ``N_("...")`` and ``Refusal("...")`` call, in line order.

    Read from the syntax tree rather than with Babel's token-based Python
    extractor, which silently drops a marker nested in another call inside a
    ``Refusal``, as in ``Refusal("The {what} is empty.", what=Msg(N_("name")))``.
    """
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        first = node.args[0]
        if name in KEYWORDS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append((first.lineno, first.value))
    return sorted(found)


def merge() -> None:
    """Write the template and add new msgids to each language's catalog."""
    template = extract()
    with open(LOCALES / f"{DOMAIN}.pot", "wb") as out:
        write_po(out, template, omit_header=False, sort_output=True, no_location=True)
    for po_path in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        with open(po_path, "rb") as src:
            catalog = read_po(src)
        catalog.update(template, no_fuzzy_matching=True)
        with open(po_path, "wb") as out:
            write_po(out, catalog, sort_output=True, no_location=True, ignore_obsolete=True)


def compile_all() -> list[Path]:
    """Compile every ``.po`` next to itself; returns the ``.mo`` paths."""
    written = []
    for po_path in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        with open(po_path, "rb") as src:
            catalog = read_po(src)
        mo_path = po_path.with_suffix(".mo")
        with open(mo_path, "wb") as out:
            write_mo(out, catalog)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    if sys.argv[1:] == ["extract"]:
        merge()
    compile_all()
