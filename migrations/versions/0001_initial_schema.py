"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 00:37:24.990672
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assemblies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("founded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assemblies")),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_assembly_at", ["assembly_id", "at"], unique=False)

    op.create_table(
        "handled_events",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_handled_events")),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
    )
    op.create_table(
        "admissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assembly_id"], ["assemblies.id"], name=op.f("fk_admissions_assembly_id_assemblies")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_admissions_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admissions")),
    )
    with op.batch_alter_table("admissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_admissions_assembly_id"), ["assembly_id"], unique=False
        )

    op.create_table(
        "assembly_chats",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.String(length=128), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("bound_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assembly_id"],
            ["assemblies.id"],
            name=op.f("fk_assembly_chats_assembly_id_assemblies"),
        ),
        sa.PrimaryKeyConstraint("platform", "chat_id", name=op.f("pk_assembly_chats")),
    )
    with op.batch_alter_table("assembly_chats", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assembly_chats_assembly_id"), ["assembly_id"], unique=False
        )

    op.create_table(
        "identities",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_identities_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("platform", "user_id", name=op.f("pk_identities")),
    )
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identities_person_id"), ["person_id"], unique=False)

    op.create_table(
        "members",
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assembly_id"], ["assemblies.id"], name=op.f("fk_members_assembly_id_assemblies")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_members_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("assembly_id", "person_id", name=op.f("pk_members")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.String(length=128), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assembly_id"], ["assemblies.id"], name=op.f("fk_outbox_assembly_id_assemblies")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_outbox_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_assembly_id"), ["assembly_id"], unique=False)
        batch_op.create_index("ix_outbox_pending", ["platform", "sent_at"], unique=False)

    op.create_table(
        "petitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("needed", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assembly_id"], ["assemblies.id"], name=op.f("fk_petitions_assembly_id_assemblies")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["persons.id"], name=op.f("fk_petitions_created_by_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petitions")),
    )
    with op.batch_alter_table("petitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petitions_assembly_id"), ["assembly_id"], unique=False)

    op.create_table(
        "sittings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assembly_id"], ["assemblies.id"], name=op.f("fk_sittings_assembly_id_assemblies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sittings")),
    )
    with op.batch_alter_table("sittings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sittings_assembly_id"), ["assembly_id"], unique=False)

    op.create_table(
        "statutes",
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=True),
        sa.Column("adopted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assembly_id"], ["assemblies.id"], name=op.f("fk_statutes_assembly_id_assemblies")
        ),
        sa.PrimaryKeyConstraint("assembly_id", "version", name=op.f("pk_statutes")),
    )
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=True),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by"], ["persons.id"], name=op.f("fk_agenda_items_added_by_persons")
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sittings.id"], name=op.f("fk_agenda_items_sitting_id_sittings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_items_sitting_id"), ["sitting_id"], unique=False
        )

    op.create_table(
        "motions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposer_id", sa.Integer(), nullable=True),
        sa.Column("sitting_id", sa.Integer(), nullable=True),
        sa.Column("reopens_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assembly_id"], ["assemblies.id"], name=op.f("fk_motions_assembly_id_assemblies")
        ),
        sa.ForeignKeyConstraint(
            ["proposer_id"], ["persons.id"], name=op.f("fk_motions_proposer_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sittings.id"], name=op.f("fk_motions_sitting_id_sittings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_motions")),
    )
    with op.batch_alter_table("motions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_motions_assembly_id"), ["assembly_id"], unique=False)

    op.create_table(
        "signatures",
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_signatures_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petitions.id"], name=op.f("fk_signatures_petition_id_petitions")
        ),
        sa.PrimaryKeyConstraint("petition_id", "person_id", name=op.f("pk_signatures")),
    )
    op.create_table(
        "vouches",
        sa.Column("admission_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["admission_id"], ["admissions.id"], name=op.f("fk_vouches_admission_id_admissions")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_vouches_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("admission_id", "person_id", name=op.f("pk_vouches")),
    )
    op.create_table(
        "secret_ballots",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("locator", sa.String(length=64), nullable=True),
        sa.Column("receipt", sa.String(length=16), nullable=False),
        sa.Column("choice", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["motions.id"], name=op.f("fk_secret_ballots_motion_id_motions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_secret_ballots")),
        sa.UniqueConstraint("locator", name=op.f("uq_secret_ballots_locator")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("secret_ballots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_secret_ballots_motion_id"), ["motion_id"], unique=False
        )

    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["motions.id"], name=op.f("fk_statements_motion_id_motions")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_statements_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
        sa.UniqueConstraint("motion_id", "person_id", name=op.f("uq_statements_motion_id")),
    )
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statements_motion_id"), ["motion_id"], unique=False)

    op.create_table(
        "turnout",
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["motions.id"], name=op.f("fk_turnout_motion_id_motions")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_turnout_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("motion_id", "person_id", name=op.f("pk_turnout")),
    )
    op.create_table(
        "votes",
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("cast_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["motions.id"], name=op.f("fk_votes_motion_id_motions")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_votes_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("motion_id", "person_id", name=op.f("pk_votes")),
    )


def downgrade() -> None:
    op.drop_table("votes")
    op.drop_table("turnout")
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statements_motion_id"))

    op.drop_table("statements")
    with op.batch_alter_table("secret_ballots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_secret_ballots_motion_id"))

    op.drop_table("secret_ballots")
    op.drop_table("vouches")
    op.drop_table("signatures")
    with op.batch_alter_table("motions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_motions_assembly_id"))

    op.drop_table("motions")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_sitting_id"))

    op.drop_table("agenda_items")
    op.drop_table("statutes")
    with op.batch_alter_table("sittings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sittings_assembly_id"))

    op.drop_table("sittings")
    with op.batch_alter_table("petitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petitions_assembly_id"))

    op.drop_table("petitions")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_pending")
        batch_op.drop_index(batch_op.f("ix_outbox_assembly_id"))

    op.drop_table("outbox")
    op.drop_table("members")
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identities_person_id"))

    op.drop_table("identities")
    with op.batch_alter_table("assembly_chats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assembly_chats_assembly_id"))

    op.drop_table("assembly_chats")
    with op.batch_alter_table("admissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admissions_assembly_id"))

    op.drop_table("admissions")
    op.drop_table("persons")
    op.drop_table("handled_events")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_assembly_at")

    op.drop_table("audit_log")
    op.drop_table("assemblies")
