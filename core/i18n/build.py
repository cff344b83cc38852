"""Extract msgids from the code and compile the catalogs (a developer tool).

``python -m core.i18n.build extract`` refreshes ``konsilo.pot`` and merges it
into every ``.po``; ``python -m core.i18n.build`` compiles every ``.po`` to
``.mo``. Babel does the work (a test dependency, not needed at run time).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from core.i18n import DOMAIN, LOCALES

ROOT = Path(__file__).resolve().parents[2]
# Refusal("...") takes its msgid as first argument, so it needs no N_ marker.
KEYWORDS: dict[str, None] = {"N_": None, "Refusal": None}


def extract() -> Catalog:
    """Every msgid marked with ``N_`` in ``core/`` and ``bot/``."""
    catalog = Catalog(project="konsilo")
    for package in ("core", "bot"):
        found = extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        )
        for filename, lineno, message, comments, _context in found:
            catalog.add(
                message, locations=[(f"{package}/{filename}", lineno)], auto_comments=comments
            )
    return catalog


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
