"""Exports: a member's own data, and an assembly's full record.

Members can leave with their data (``/export``, as JSON). The operator's
``konsilo export`` writes an assembly's whole record as JSON and its tallies
as CSV, so anyone can recount and check it without Konsilo.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from core import audit
from core.context import Tx
from core.store.tables import (
    admissions,
    agenda_items,
    assemblies,
    assembly_chats,
    audit_log,
    candidacies,
    central_statements,
    council_acts,
    council_seats,
    delegates,
    federation_members,
    identities,
    instructions,
    members,
    motions,
    persons,
    petitions,
    report_questions,
    reports,
    secret_ballots,
    signatures,
    sittings,
    statements,
    statutes,
    turnout,
    votes,
    vouches,
)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


def dumps(data: Any) -> bytes:
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=2).encode()


def _rows(conn: Connection, table: Table, *where: Any) -> list[dict[str, Any]]:
    query = select(table).where(*where)
    return [dict(r._mapping) for r in conn.execute(query)]


def personal(tx: Tx, person_id: int) -> dict[str, Any]:
    """Everything Konsilo holds about one person, as they may take it with them.

    Secret ballots are not in it: nobody, Konsilo included, can tell which
    ballot is theirs; the turnout roll says that they voted.
    """
    conn = tx.conn
    return {
        "person": _rows(conn, persons, persons.c.id == person_id),
        "identities": _rows(conn, identities, identities.c.person_id == person_id),
        "memberships": _rows(conn, members, members.c.person_id == person_id),
        "admission_requests": _rows(conn, admissions, admissions.c.person_id == person_id),
        "vouches_given": _rows(conn, vouches, vouches.c.person_id == person_id),
        "motions_proposed": _rows(conn, motions, motions.c.proposer_id == person_id),
        "open_votes": _rows(conn, votes, votes.c.person_id == person_id),
        "secret_votes_taken_part_in": _rows(conn, turnout, turnout.c.person_id == person_id),
        "minority_statements": _rows(conn, statements, statements.c.person_id == person_id),
        "petitions_started": _rows(conn, petitions, petitions.c.created_by == person_id),
        "signatures": _rows(conn, signatures, signatures.c.person_id == person_id),
        "candidacies": _rows(conn, candidacies, candidacies.c.person_id == person_id),
        "delegate_seats": _rows(conn, delegates, delegates.c.person_id == person_id),
        "reports_written": _rows(
            conn,
            reports,
            reports.c.delegate_id.in_(
                select(delegates.c.id).where(delegates.c.person_id == person_id)
            ),
        ),
        "report_questions_asked": _rows(
            conn, report_questions, report_questions.c.asker_id == person_id
        ),
        "said_in_central_assemblies": _rows(
            conn, central_statements, central_statements.c.person_id == person_id
        ),
        "council_seats": _rows(conn, council_seats, council_seats.c.person_id == person_id),
        "council_acts": _rows(conn, council_acts, council_acts.c.person_id == person_id),
        "acts_in_audit_log": [
            dict(r._mapping)
            for r in conn.execute(
                select(audit_log).where(audit_log.c.actor_id == person_id).order_by(audit_log.c.seq)
            )
        ],
    }


def assembly_record(conn: Connection, assembly_id: int) -> dict[str, Any]:
    """The assembly's whole record: rules history, roll, motions, ballots, audit."""
    motion_ids = select(motions.c.id).where(motions.c.assembly_id == assembly_id)
    sitting_ids = select(sittings.c.id).where(sittings.c.assembly_id == assembly_id)
    petition_ids = select(petitions.c.id).where(petitions.c.assembly_id == assembly_id)
    return {
        "assembly": _rows(conn, assemblies, assemblies.c.id == assembly_id),
        "chats": _rows(conn, assembly_chats, assembly_chats.c.assembly_id == assembly_id),
        "statutes": _rows(conn, statutes, statutes.c.assembly_id == assembly_id),
        "members": _rows(conn, members, members.c.assembly_id == assembly_id),
        "admissions": _rows(conn, admissions, admissions.c.assembly_id == assembly_id),
        "motions": _rows(conn, motions, motions.c.assembly_id == assembly_id),
        "open_votes": _rows(conn, votes, votes.c.motion_id.in_(motion_ids)),
        "turnout": _rows(conn, turnout, turnout.c.motion_id.in_(motion_ids)),
        "secret_ballots": [
            {k: v for k, v in row.items() if k not in ("id", "locator")}
            for row in _rows(
                conn,
                secret_ballots,
                secret_ballots.c.motion_id.in_(motion_ids),
                secret_ballots.c.locator.is_(None),
            )
        ],
        "statements": _rows(conn, statements, statements.c.motion_id.in_(motion_ids)),
        "sittings": _rows(conn, sittings, sittings.c.assembly_id == assembly_id),
        "agenda_items": _rows(conn, agenda_items, agenda_items.c.sitting_id.in_(sitting_ids)),
        "petitions": _rows(conn, petitions, petitions.c.assembly_id == assembly_id),
        "signatures": _rows(conn, signatures, signatures.c.petition_id.in_(petition_ids)),
        "candidacies": _rows(conn, candidacies, candidacies.c.motion_id.in_(motion_ids)),
        "delegates": _rows(conn, delegates, delegates.c.assembly_id == assembly_id),
        "instructions": _rows(conn, instructions, instructions.c.assembly_id == assembly_id),
        "reports": _rows(conn, reports, reports.c.assembly_id == assembly_id),
        "report_questions": _rows(
            conn,
            report_questions,
            report_questions.c.report_id.in_(
                select(reports.c.id).where(reports.c.assembly_id == assembly_id)
            ),
        ),
        "council_seats": _rows(conn, council_seats, council_seats.c.central_id == assembly_id),
        "council_acts": _rows(conn, council_acts, council_acts.c.central_id == assembly_id),
        "said": _rows(conn, central_statements, central_statements.c.central_id == assembly_id),
        "federations": _rows(
            conn,
            federation_members,
            (federation_members.c.assembly_id == assembly_id)
            | (federation_members.c.central_id == assembly_id),
        ),
        "audit": [dict(r._mapping) for r in audit.entries(conn, assembly_id)],
    }


def tallies_csv(conn: Connection, assembly_id: int) -> str:
    """One row per closed motion: outcome, turnout, quorum and counts."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "motion",
            "kind",
            "method",
            "title",
            "status",
            "closed_at",
            "members",
            "turnout",
            "quorum",
            "majority",
            "counts",
            "winners",
            "options",
        ]
    )
    for row in conn.execute(
        select(motions)
        .where(motions.c.assembly_id == assembly_id, motions.c.result.is_not(None))
        .order_by(motions.c.id)
    ):
        result = row.result or {}
        writer.writerow(
            [
                row.id,
                row.kind,
                row.method,
                row.title,
                row.status,
                row.closed_at.isoformat() if row.closed_at else "",
                result.get("members"),
                result.get("turnout"),
                result.get("quorum"),
                result.get("majority"),
                json.dumps(result.get("counts")),
                json.dumps(result.get("winners")),
                json.dumps(row.options, ensure_ascii=False),
            ]
        )
    return out.getvalue()
