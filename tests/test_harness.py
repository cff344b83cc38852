"""Smoke test of the test harness itself: the ``db_url`` databases work and are isolated."""

from __future__ import annotations

import sqlalchemy as sa


def test_db_url_round_trip(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            # A fresh, empty database for every test.
            assert sa.inspect(conn).get_table_names() == []
            conn.execute(sa.text("CREATE TABLE harness_probe (id INTEGER PRIMARY KEY, name TEXT)"))
            conn.execute(
                sa.text("INSERT INTO harness_probe (id, name) VALUES (:id, :name)"),
                {"id": 1, "name": "asembleo"},
            )
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, name FROM harness_probe")).all()
            assert [tuple(row) for row in rows] == [(1, "asembleo")]

            if engine.dialect.name == "postgresql":
                assert "PostgreSQL" in conn.execute(sa.text("SELECT version()")).scalar_one()
                listen = conn.execute(sa.text("SHOW listen_addresses")).scalar_one()
                assert listen == "127.0.0.1"
            else:
                assert engine.dialect.name == "sqlite"
    finally:
        engine.dispose()
