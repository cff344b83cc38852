"""Regenerate core/planning/data/spain-2019.csv from INE's workbook with Konsilo's importer.

    .venv/bin/python scripts/derive_spain.py            # write the file
    .venv/bin/python scripts/derive_spain.py --check    # exit 1 if the shipped file differs

The workbook is read from ../shared/data/io-tables/spain-ine/ unless --workbook
says otherwise. The file is written whole or not at all (a temporary file
renamed over it), so a refused workbook never leaves half a dataset behind.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.planning.economy import EconomyError  # noqa: E402
from core.planning.importers.ine import SHIPPED, derive  # noqa: E402

WORKBOOK = ROOT.parent / "shared" / "data" / "io-tables" / "spain-ine" / "cne_tod_19_en.xlsx"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", type=Path, default=WORKBOOK)
    parser.add_argument("--out", type=Path, default=SHIPPED)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    try:
        text = derive(args.workbook)
    except EconomyError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if args.check:
        same = args.out.is_file() and args.out.read_bytes() == text.encode("utf-8")
        print(f"{'same' if same else 'DIFFERENT'}: {args.out} (derived sha256 {digest})")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=args.out.parent, delete=False) as f:
        f.write(text)
    os.replace(f.name, args.out)
    print(f"wrote {args.out} ({len(text.encode())} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
