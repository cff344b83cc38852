"""Variant sets: the plan variants a federation votes on, stored as they were handed over.

The plan factory (``core/planning``) computes variants; it decides nothing. So a
set stores facts only: each variant's short name and up to five summary lines,
and where the figures came from (the economy's hash and the parameters), for
anyone to trace. There is no field to rank or recommend a variant, and wording
that calls one "recommended" is refused. Every variant stored is put to the
vote, in the order given: none can be dropped on the way, so a set never holds
more variants than a ballot has options.

A set the plan factory computed in the chats (``core.plans.factory``) also keeps
each variant whole (``core.planning.archive``) with the economy it came from,
its summary lines as messages (rendered in each reader's language), and the
line each member assembly's own workplace reads in place of the first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select

from core.context import Tx
from core.errors import Refusal
from core.federation import central
from core.messages import N_, Msg
from core.outbox import decode, encode
from core.store.tables import plan_variant_sets, plan_variants
from core.text import MAX_OPTIONS, OPTION_LIMIT, TITLE_LIMIT, clean

MAX_LINES = 5  # a variant's summary fits a phone screen
LINE_LIMIT = 200
SOURCE_LIMIT = 4000  # characters of the source as JSON: hashes and parameters, not data
# The factory decides nothing: no text may call a variant recommended (en, es).
_ADVICE = re.compile(r"recomm?end|recomiend", re.IGNORECASE)


Line = str | Msg  # as handed over (text), or as the plan factory wrote it (a message)


@dataclass(frozen=True)
class Variant:
    name: str
    lines: tuple[Line, ...]
    workplaces: dict[int, Msg] = field(default_factory=dict)  # assembly id: its own line

    def lines_for(self, assembly_id: int | None) -> tuple[Line, ...]:
        """The summary as an assembly reads it: its workplace's line first, where it has one."""
        own = self.workplaces.get(assembly_id) if assembly_id is not None else None
        return (own, *self.lines[1:]) if own is not None and self.lines else self.lines


@dataclass(frozen=True)
class Computed:
    """What the plan factory adds to a set it computed: the data's hash and each variant."""

    economy_hash: str
    archives: list[bytes]  # core.planning.archive.variant_bytes, in ballot order
    workplaces: list[dict[int, Msg]]  # per variant: assembly id -> its workplace's line


@dataclass(frozen=True)
class VariantSet:
    id: int
    central_id: int
    title: str
    source: dict[str, Any]
    created_at: datetime
    variants: tuple[Variant, ...]
    economy_hash: str | None = None  # set when the plan factory computed it here

    @property
    def names(self) -> list[str]:
        return [v.name for v in self.variants]


def store_variants(
    tx: Tx,
    central_id: int,
    title: str,
    source: dict[str, Any],
    variants: list[tuple[str, list[Line]]],
    computed: Computed | None = None,
) -> int:
    """Store a set of variants for the central assembly ``central_id``; its number.

    ``source`` names what the figures came from (the economy hash, parameters);
    ``variants`` are (short name, summary lines), in ballot order; ``computed``
    what the plan factory adds (the economy must already be stored).
    """
    central.require_central(tx, central_id)
    title = neutral(clean(title, TITLE_LIMIT, N_("title")))
    checked = [_variant(name, lines) for name, lines in variants]
    _check_count(checked)
    stored = _source(source)
    set_id = int(
        tx.conn.execute(
            insert(plan_variant_sets)
            .values(
                central_id=central_id,
                title=title,
                source=stored,
                created_at=tx.now,
                economy_hash=computed.economy_hash if computed else None,
            )
            .returning(plan_variant_sets.c.id)
        ).scalar_one()
    )
    tx.conn.execute(
        insert(plan_variants),
        [
            {
                "set_id": set_id,
                "position": i,
                "name": v.name,
                "lines": [_stored_line(line) for line in v.lines],
                "workplaces": _workplaces(computed, i),
                "data": computed.archives[i] if computed else None,
            }
            for i, v in enumerate(checked)
        ],
    )
    tx.audit(
        "plan.variants",
        {"set": set_id, "title": title, "source": stored, "variants": [v.name for v in checked]},
        central_id,
    )
    return set_id


def _stored_line(line: Line) -> Any:
    return line if isinstance(line, str) else {"$msg": encode(line)}


def _read_line(value: Any) -> Line:
    return decode(value["$msg"]) if isinstance(value, dict) else str(value)


def _workplaces(computed: Computed | None, i: int) -> dict[str, Any] | None:
    if computed is None:
        return None
    return {str(a): encode(line) for a, line in computed.workplaces[i].items()}


def _variant(name: str, lines: list[Line]) -> Variant:
    if len(lines) > MAX_LINES:
        raise Refusal(
            "Variant {name} has {n} summary lines; at most {limit} fit a phone.",
            name=name[:OPTION_LIMIT],
            n=len(lines),
            limit=MAX_LINES,
        )
    return Variant(
        neutral(clean(name, OPTION_LIMIT, N_("variant name"))),
        tuple(_checked_line(line) for line in lines),
    )


def _checked_line(line: Line) -> Line:
    """Text is cleaned and checked; a message's own words (its text parameters) are checked."""
    if isinstance(line, str):
        return neutral(clean(line, LINE_LIMIT, N_("summary line")))
    for value in _texts(line):
        neutral(value)
    return line


def _texts(msg: Msg) -> list[str]:
    out: list[str] = []
    for value in msg.params.values():
        if isinstance(value, Msg):
            out += _texts(value)
        elif isinstance(value, str):
            out.append(value)
    return out


def _check_count(checked: list[Variant]) -> None:
    """At least one variant, no more than a ballot holds (none may be dropped), no twins."""
    if not 1 <= len(checked) <= MAX_OPTIONS:
        raise Refusal(
            "A variant set holds from 1 to {n} variants, all of them put to the vote.",
            n=MAX_OPTIONS,
        )
    names = [v.name for v in checked]
    if len(set(names)) != len(names):
        raise Refusal("Two variants have the same name.")


def neutral(text: str) -> str:
    """Refuse text that recommends: the plan factory states facts, members decide."""
    if _ADVICE.search(text):
        raise Refusal(
            "A variant set states facts; nothing in it may recommend a variant: {text}",
            text=text[:OPTION_LIMIT],
        )
    return text


def _source(source: dict[str, Any]) -> dict[str, Any]:
    """The source as stored: JSON of modest size (hashes and parameters)."""
    try:
        text = json.dumps(source, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):
        text = ""
    if not isinstance(source, dict) or not text or len(text) > SOURCE_LIMIT:
        raise Refusal(
            "The source of a variant set is a JSON object of at most {n} characters.",
            n=SOURCE_LIMIT,
        )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


_DIGEST = re.compile(r"\b([0-9a-f]{16})[0-9a-f]{24,}\b")


def source_text(source: dict[str, Any], limit: int = 300) -> str:
    """The source as members read it: compact JSON, content hashes cut to 16 hex digits
    (enough to tell datasets apart on a phone; the full hash is stored), at most ``limit``
    characters."""
    text = json.dumps(source, sort_keys=True, separators=(", ", ": "), ensure_ascii=False)
    text = _DIGEST.sub(r"\1…", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load(tx: Tx, set_id: int) -> VariantSet:
    """The variant set numbered ``set_id``, or a refusal naming the unknown number."""
    row = tx.conn.execute(select(plan_variant_sets).where(plan_variant_sets.c.id == set_id)).first()
    if row is None:
        raise Refusal("There is no variant set {id}.", id=set_id)
    rows = tx.conn.execute(
        select(plan_variants.c.name, plan_variants.c.lines, plan_variants.c.workplaces)
        .where(plan_variants.c.set_id == set_id)
        .order_by(plan_variants.c.position)
    )
    variants = tuple(
        Variant(
            r.name,
            tuple(_read_line(line) for line in r.lines),
            {int(a): decode(m) for a, m in (r.workplaces or {}).items()},
        )
        for r in rows
    )
    return VariantSet(
        row.id,
        row.central_id,
        row.title,
        dict(row.source),
        row.created_at,
        variants,
        row.economy_hash,
    )


def archives(tx: Tx, set_id: int) -> list[bytes | None]:
    """Each variant as the plan factory computed it, in ballot order (None: handed over)."""
    rows = tx.conn.execute(
        select(plan_variants.c.data)
        .where(plan_variants.c.set_id == set_id)
        .order_by(plan_variants.c.position)
    )
    return [r.data for r in rows]


def of_central(tx: Tx, central_id: int, set_id: int) -> VariantSet:
    """The set, refused as unknown when it belongs to another federation."""
    found = load(tx, set_id)
    if found.central_id != central_id:
        raise Refusal("There is no variant set {id}.", id=set_id)
    return found


def latest(tx: Tx, central_ids: list[int], limit: int = 10) -> list[tuple[int, int, str, int]]:
    """(set, central, title, variants) of the newest sets of these central assemblies."""
    if not central_ids:
        return []
    rows = tx.conn.execute(
        select(
            plan_variant_sets.c.id,
            plan_variant_sets.c.central_id,
            plan_variant_sets.c.title,
            func.count(plan_variants.c.position).label("n"),
        )
        .join(plan_variants, plan_variants.c.set_id == plan_variant_sets.c.id)
        .where(plan_variant_sets.c.central_id.in_(central_ids))
        .group_by(plan_variant_sets.c.id, plan_variant_sets.c.central_id, plan_variant_sets.c.title)
        .order_by(plan_variant_sets.c.id.desc())
        .limit(limit)
    )
    return [(r.id, r.central_id, r.title, int(r.n)) for r in rows]
