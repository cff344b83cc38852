"""Fixtures for the command line tests: nothing may be written to the checkout."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """``KONSILO_DATA`` under ``tmp_path``, and the working directory there too."""
    data = tmp_path / "data"
    monkeypatch.setenv("KONSILO_DATA", str(data))
    monkeypatch.delenv("KONSILO_DATABASE_URL", raising=False)
    monkeypatch.delenv("KONSILO_SECRET_KEY", raising=False)
    # A developer's own bot token must never make these tests talk to Telegram.
    monkeypatch.delenv("KONSILO_TELEGRAM_TOKEN", raising=False)
    monkeypatch.delenv("KONSILO_TELEGRAM_BASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    return data


@pytest.fixture
def scratch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Python's temporary directories (the default demo database) under ``tmp_path``.

    Not autouse: the PostgreSQL server fixture must keep its own temporary directory.
    """
    path = tmp_path / "tmp"
    path.mkdir()
    monkeypatch.setenv("TMPDIR", str(path))
    monkeypatch.setattr(tempfile, "tempdir", str(path))
    return path


@pytest.fixture
def konsilo(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``konsilo ARGS...`` in-process; returns (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return run
