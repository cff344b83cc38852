"""The schema, as SQLAlchemy Core tables; Alembic migrations follow it.

Naming: a *person* is one human (linked identities on several platforms), a
*member* is a person's membership of one assembly. Secret ballots live apart
from the turnout roll (see docs/secret-ballots.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from core.store.types import UTCDateTime


def _where(condition: str) -> dict[str, Any]:
    """A partial index's condition, for both databases: the clock's queries look only
    at what is still pending, which stays small while the history grows."""
    return {"sqlite_where": text(condition), "postgresql_where": text(condition)}


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("language", String(8), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

identities = Table(
    "identities",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("user_id", String(128), primary_key=True),
    Column("person_id", ForeignKey("persons.id"), nullable=False, index=True),
    Column("display_name", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

assemblies = Table(
    "assemblies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("status", String(16), nullable=False, default="active"),
    Column("founded_at", UTCDateTime, nullable=False),
    # general: a workplace assembly; central: an assembly of the delegates of a federation
    Column("kind", String(16), nullable=False, default="general", server_default="general"),
)

assembly_chats = Table(
    "assembly_chats",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("chat_id", String(128), primary_key=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("bound_at", UTCDateTime, nullable=False),
)

statutes = Table(
    "statutes",
    metadata,
    Column("assembly_id", ForeignKey("assemblies.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("settings", JSON, nullable=False),
    Column("motion_id", Integer, nullable=True),  # the rules motion that adopted it
    Column("adopted_at", UTCDateTime, nullable=False),
)

members = Table(
    "members",
    metadata,
    Column("assembly_id", ForeignKey("assemblies.id"), primary_key=True),
    Column("person_id", ForeignKey("persons.id"), primary_key=True),
    Column("status", String(16), nullable=False),  # active / left / removed
    Column("joined_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
)

admissions = Table(
    "admissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("person_id", ForeignKey("persons.id"), nullable=False),
    Column("status", String(16), nullable=False),  # pending / admitted / refused / withdrawn
    Column("motion_id", Integer, nullable=True),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("decided_at", UTCDateTime, nullable=True),
)

vouches = Table(
    "vouches",
    metadata,
    Column("admission_id", ForeignKey("admissions.id"), primary_key=True),
    Column("person_id", ForeignKey("persons.id"), primary_key=True),
    Column("at", UTCDateTime, nullable=False),
)

sittings = Table(
    "sittings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # ordinary / extraordinary
    Column("title", String(200), nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),  # convened / held / cancelled
    Column("petition_id", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("rule", JSON, nullable=True),  # the recurrence that convened it (ordinary ones)
    Index("ix_sittings_next", "assembly_id", "status", "starts_at"),
)

agenda_items = Table(
    "agenda_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sitting_id", ForeignKey("sittings.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("motion_id", Integer, nullable=True),
    Column("added_by", ForeignKey("persons.id"), nullable=True),
)

motions = Table(
    "motions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("method", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False, default=""),
    Column("options", JSON, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("secret", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
    Column("proposer_id", ForeignKey("persons.id"), nullable=True),
    Column("sitting_id", ForeignKey("sittings.id"), nullable=True),
    Column("reopens_id", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("opened_at", UTCDateTime, nullable=True),
    Column("closes_at", UTCDateTime, nullable=True),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("result", JSON, nullable=True),
    Index("ix_motions_due", "status", "closes_at"),
)

votes = Table(  # open (roll-call) ballots: who chose what is public by design
    "votes",
    metadata,
    Column("motion_id", ForeignKey("motions.id"), primary_key=True),
    Column("person_id", ForeignKey("persons.id"), primary_key=True),
    Column("choice", JSON, nullable=False),
    Column("reason", Text, nullable=True),
    Column("cast_at", UTCDateTime, nullable=False),
)

turnout = Table(  # the roll of a secret vote: who voted, never what
    "turnout",
    metadata,
    Column("motion_id", ForeignKey("motions.id"), primary_key=True),
    Column("person_id", ForeignKey("persons.id"), primary_key=True),
)

secret_ballots = Table(  # no voter, no sequence, no timestamp; see docs/secret-ballots.md
    "secret_ballots",
    metadata,
    Column("id", String(32), primary_key=True),  # random
    Column("motion_id", ForeignKey("motions.id"), nullable=False, index=True),
    Column("locator", String(64), nullable=True, unique=True),  # keyed hash, erased at close
    Column("receipt", String(16), nullable=False),
    Column("choice", JSON, nullable=False),
    Column("reason", Text, nullable=True),
    sqlite_with_rowid=False,
)

statements = Table(  # minority statements attached to a decision
    "statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("motion_id", ForeignKey("motions.id"), nullable=False, index=True),
    Column("person_id", ForeignKey("persons.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    UniqueConstraint("motion_id", "person_id"),
)

petitions = Table(
    "petitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # reopen / sitting
    Column("target_id", Integer, nullable=True),  # the motion a reopen petition names
    Column("reason", Text, nullable=False),
    Column("status", String(16), nullable=False),  # open / granted
    Column("needed", Integer, nullable=False),
    Column("created_by", ForeignKey("persons.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("granted_at", UTCDateTime, nullable=True),
)

signatures = Table(
    "signatures",
    metadata,
    Column("petition_id", ForeignKey("petitions.id"), primary_key=True),
    Column("person_id", ForeignKey("persons.id"), primary_key=True),
    Column("at", UTCDateTime, nullable=False),
)

audit_log = Table(  # append-only, hash-chained; see core/audit.py
    "audit_log",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    ),
    Column("at", UTCDateTime, nullable=False),
    Column("assembly_id", Integer, nullable=True),
    Column("actor_id", Integer, nullable=True),
    Column("action", String(32), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_log_assembly_at", "assembly_id", "at"),
)

candidacies = Table(  # who stands in an election (a motion of kind "election")
    "candidacies",
    metadata,
    Column("motion_id", ForeignKey("motions.id"), primary_key=True),
    Column("person_id", ForeignKey("persons.id"), primary_key=True),
    Column("nominated_by", ForeignKey("persons.id"), nullable=True),
    Column("status", String(16), nullable=False),  # nominated / accepted / withdrawn
    Column("at", UTCDateTime, nullable=False),
)

delegates = Table(  # a seat and its mandate: held by one person for their home assembly
    "delegates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("person_id", ForeignKey("persons.id"), nullable=False, index=True),
    Column("body_id", ForeignKey("assemblies.id"), nullable=True, index=True),  # central
    Column("election_id", ForeignKey("motions.id"), nullable=False),
    Column("scope", Text, nullable=False, default=""),
    Column("release_hours", Integer, nullable=False, default=0),  # hours a week off work
    Column("status", String(16), nullable=False),  # active / recalled / ended / resigned
    Column("started_at", UTCDateTime, nullable=False),
    Column("term_ends_at", UTCDateTime, nullable=True),
    Column("ended_at", UTCDateTime, nullable=True),
    Column("end_motion_id", Integer, nullable=True),  # the recall that ended it
    Index("ix_delegates_term_end", "term_ends_at", **_where("status = 'active'")),
)

instructions = Table(  # what an assembly tells its delegates to do on one item
    "instructions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("body_id", ForeignKey("assemblies.id"), nullable=True),
    Column("subject_id", Integer, nullable=True),  # the central motion it is about
    Column("subject", Text, nullable=False),
    Column("choice", JSON, nullable=True),  # the vote instructed, e.g. "yes"
    Column("binding", Boolean, nullable=False),
    Column("motion_id", Integer, nullable=False),  # the local motion that decided it
    Column("adopted_at", UTCDateTime, nullable=False),
)

reports = Table(  # a delegate's report-back for one period
    "reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("delegate_id", ForeignKey("delegates.id"), nullable=False, index=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("period", Integer, nullable=False),  # 1, 2, ...: the n-th report of the seat
    Column("due_at", UTCDateTime, nullable=False),
    Column("posted_at", UTCDateTime, nullable=True),
    Column("sections", JSON, nullable=True),  # the template's answers, by section
    Column("poll_id", Integer, nullable=True),  # the acceptance motion
    Column("flagged_at", UTCDateTime, nullable=True),  # overdue, announced
    UniqueConstraint("delegate_id", "period"),
    Index("ix_reports_owed", "due_at", **_where("posted_at IS NULL AND flagged_at IS NULL")),
)

report_questions = Table(
    "report_questions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", ForeignKey("reports.id"), nullable=False, index=True),
    Column("asker_id", ForeignKey("persons.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("asked_at", UTCDateTime, nullable=False),
    Column("answer", Text, nullable=True),
    Column("answered_at", UTCDateTime, nullable=True),
)

federation_members = Table(  # which assemblies send delegates to which central assembly
    "federation_members",
    metadata,
    Column("central_id", ForeignKey("assemblies.id"), primary_key=True),
    Column("assembly_id", ForeignKey("assemblies.id"), primary_key=True),
    Column("status", String(16), nullable=False),  # active / left
    Column("joined_at", UTCDateTime, nullable=False),
    Column("left_at", UTCDateTime, nullable=True),
    Column("motion_id", Integer, nullable=True),  # the local motion that decided the last change
)

council_seats = Table(  # the optional central council: who sits on it, how, and when
    "council_seats",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("central_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("person_id", ForeignKey("persons.id"), nullable=False),
    Column("how", String(16), nullable=False),  # elected / rotation
    Column("since", UTCDateTime, nullable=False),
    Column("until", UTCDateTime, nullable=True),
    Column("motion_id", Integer, nullable=True),  # the central election that seated them
)

council_acts = Table(  # what the council did; the next central sitting can rescind each
    "council_acts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("central_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("person_id", ForeignKey("persons.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # agenda / urgent_sitting
    Column("target_id", Integer, nullable=False),  # the agenda item or the sitting
    Column("at", UTCDateTime, nullable=False),
    Column("rescinded_by", Integer, nullable=True),  # the central motion that undid it
)

central_statements = Table(  # what delegates say in a central assembly's chat, relayed
    "central_statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("central_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("person_id", ForeignKey("persons.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("digested_at", UTCDateTime, nullable=True),  # when the digest named it
)

handled_events = Table(  # idempotency: a redelivered platform event changes nothing
    "handled_events",
    metadata,
    Column("key", String(160), primary_key=True),
    Column("at", UTCDateTime, nullable=False),
)

outbox = Table(  # what must be said, recorded in the same transaction as the act
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=True, index=True),
    Column("platform", String(16), nullable=False),
    Column("chat_id", String(128), nullable=True),  # a group chat of the assembly, or
    Column("person_id", ForeignKey("persons.id"), nullable=True),  # one person, privately
    Column("key", Text, nullable=False),
    Column("params", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Index("ix_outbox_pending", "platform", "sent_at"),
)

timers = Table(  # reminders and other timed acts planned ahead; see core/timers.py
    "timers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),  # e.g. motion.remind, sitting.remind
    Column("subject_id", Integer, nullable=False),  # the motion, sitting or report
    Column("slot", Integer, nullable=False),  # which of the subject's timers of this kind
    Column("due_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime, nullable=True),  # fired or cancelled: never again
    UniqueConstraint("kind", "subject_id", "slot"),
    Index("ix_timers_pending", "due_at", **_where("done_at IS NULL")),
)

plan_economies = Table(  # the data variants were computed from, kept whole; core/plans
    "plan_economies",
    metadata,
    Column("hash", String(64), primary_key=True),  # the economy's content hash
    Column("name", String(100), nullable=False),  # the dataset's name (statute plan.data)
    Column("data", LargeBinary, nullable=False),  # core.planning.archive.economy_bytes
    Column("created_at", UTCDateTime, nullable=False),
)

plan_proposals = Table(  # a member's proposal for the federation's next variant set
    "plan_proposals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("central_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False),  # where it was made
    Column("person_id", ForeignKey("persons.id"), nullable=False),
    Column("text", String(500), nullable=False),  # the member's words
    Column("created_at", UTCDateTime, nullable=False),
    Column("set_id", ForeignKey("plan_variant_sets.id"), nullable=True),  # computed in
    Column("withdrawn_at", UTCDateTime, nullable=True),
)

plan_offers = Table(  # a workplace's productive possibilities, as its assembly adopted them
    "plan_offers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("central_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False),
    Column("motion_id", ForeignKey("motions.id"), nullable=False),
    Column("offer", JSON, nullable=False),  # core.planning.workplaces.Offer.describe()
    Column("created_at", UTCDateTime, nullable=False),
    Column("replaced_at", UTCDateTime, nullable=True),  # by the assembly's next offer
)

plan_revisions = Table(  # an adopted variant recomputed on revised data
    "plan_revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_vote_id", ForeignKey("plan_votes.id"), nullable=False, index=True),
    Column("old_hash", ForeignKey("plan_economies.hash"), nullable=False),
    Column("new_hash", ForeignKey("plan_economies.hash"), nullable=False),
    Column("data", LargeBinary, nullable=False),  # the recomputed variant
    Column("created_at", UTCDateTime, nullable=False),
)

plan_variant_sets = Table(  # plan variants as the plan factory hands them over; core/plans
    "plan_variant_sets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("central_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("source", JSON, nullable=False),  # the economy's hash and the parameters used
    Column("created_at", UTCDateTime, nullable=False),
    # computed by the plan factory from this stored economy (None: handed over as text)
    Column("economy_hash", ForeignKey("plan_economies.hash"), nullable=True),
)

plan_variants = Table(  # one variant: an option of the plan vote, with its summary
    "plan_variants",
    metadata,
    Column("set_id", ForeignKey("plan_variant_sets.id"), primary_key=True),
    Column("position", Integer, primary_key=True),  # 0, 1, ...: its place on the ballot
    Column("name", String(100), nullable=False),
    Column("lines", JSON, nullable=False),  # up to five summary lines: text, or messages
    Column("workplaces", JSON, nullable=True),  # {assembly id: its own workplace's line}
    Column("data", LargeBinary, nullable=True),  # the computed variant (core.planning.archive)
)

plan_votes = Table(  # one variant set put to every member assembly of a federation at once
    "plan_votes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("set_id", ForeignKey("plan_variant_sets.id"), nullable=False, index=True),
    Column("central_id", ForeignKey("assemblies.id"), nullable=False, index=True),
    Column("method", String(16), nullable=False),  # schulze / single
    Column("aggregate", String(16), nullable=False),  # pooled / per_assembly
    Column("majority", String(16), nullable=False),  # of the federation's count
    Column("opened_at", UTCDateTime, nullable=False),
    Column("closes_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),  # open / counted
    Column("counted_at", UTCDateTime, nullable=True),
    Column("result", JSON, nullable=True),
)

plan_vote_motions = Table(  # the plan motion each member assembly votes on
    "plan_vote_motions",
    metadata,
    Column("plan_vote_id", ForeignKey("plan_votes.id"), primary_key=True),
    Column("motion_id", ForeignKey("motions.id"), primary_key=True),
    Column("assembly_id", ForeignKey("assemblies.id"), nullable=False),
    Index("ix_plan_vote_motions_motion", "motion_id", unique=True),
)
