"""``konsilo demo`` tells the whole story, and every fact in it is the engine's."""

from __future__ import annotations

import re
from pathlib import Path

from tests.bot.conftest import Run

WIDTH = 78


def test_demo_runs_the_full_cycle(konsilo: Run, scratch: Path) -> None:
    status, out, err = konsilo("demo")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[-1] == "demo complete"
    for fact in (
        "Assembly Print shop is founded",
        "8 members",
        "Rules version 2 is in force.",
        "Ivo asks to join. 2 members must vouch: /vouch 1",
        "[group] Ivo is now a member.",
        "Rules version 3 is in force.",
        "Vote on motion 3 changed to yes.",
        "Motion 3 passed: Buy a second press",
        "Yes 5, no 2, abstain 0.",
        "Your earlier vote was replaced.",
        "Chosen: Fridays off.",
        "Minority statement by Flo: Nobody is trained to run a second press.",
        "Petition 1: 3 of 3 signatures.",
        "Sitting 1 convened (extraordinary)",
        "2. Operator training plan",
        "Print shop is now a member of Printers' federation.",
        "Stage 1, first preferences: Bo 4, Cy 2, Di 2",
        "Bo is delegate 1 until 2027-03-14.",
        "Released: 4 h a week.",
        "[group] Central Printers' federation: motion 8 opened: Buy paper together.",
        "Delegate Bo voted no on central motion 8 (Buy paper together),",
        "Question 1 is answered.",
        "Bo is recalled as delegate 1: the seat and all its powers end now.",
        "Election 12: delegates in Printers' federation, seats: 1.",
    ):
        assert fact in out, fact
    assert re.search(r"^audit log OK: (\d+) entries, head \1:[0-9a-f]{16}$", out, re.M)
    assert not list(scratch.iterdir()), "the demo's temporary database is removed"


def test_demo_computes_variants_votes_on_them_and_keeps_the_chart(
    konsilo: Run, scratch: Path
) -> None:
    out = konsilo("demo")[1]
    plan = out[out.index("The plan factory: variants") :]
    assert "Variant set 1: 8 variants computed in" in plan
    assert "Variant H, from the workplaces' offers: Bindery: new folding line" in plan
    assert "Output in year 4 vs now: Printing and recording" in plan
    assert "Plan vote 1 is open in 2 assemblies" in plan
    assert "[federation] Plan vote 1 passed: Plan 2027" in plan
    charts = re.findall(r"file: (\S+\.png)", plan)
    assert [Path(c).name for c in charts] == ["plan-1-consumption.png", "plan-1-hours.png"]
    assert all(Path(c).read_bytes().startswith(b"\x89PNG") for c in charts)


def test_demo_shows_friendly_refusals(konsilo: Run, scratch: Path) -> None:
    out = konsilo("demo")[1]
    assert "Only members of this assembly can do that. Send /join to ask to join." in out
    assert "Only members of this assembly can vote on motion 3." in out
    assert "Motion 3 is closed; votes are no longer taken." in out
    assert "Motion 4 is a secret ballot: send your vote to me in a private chat" in out


def test_every_private_receipt_is_listed_in_the_result(konsilo: Run, scratch: Path) -> None:
    out = konsilo("demo")[1]
    schulze = out[out.index("== 6. A secret vote") : out.index("== 7.")]
    receipts = set(re.findall(r"Your receipt is ([A-Z0-9]{8})\.", schulze))
    assert len(receipts) == 7  # eight ballots; Bo's changed vote keeps his receipt
    result = schulze[schulze.index("Receipts:") :].split("\n\n")[0]
    listed = re.findall(r"([A-Z0-9]{8}) \d > \d > \d", " ".join(result.split()))
    assert sorted(listed) == sorted(receipts)


def test_transcript_fits_a_terminal(konsilo: Run, scratch: Path) -> None:
    out = konsilo("demo")[1]
    # What members typed (a /report spans lines), and the paths of files written (a chart),
    # which cannot be wrapped.
    typed = re.compile(r"^(\w+@\w+> |\d |  file: )")
    answers = [line for line in out.splitlines() if not typed.match(line)]
    assert max(len(line) for line in answers) <= WIDTH
    assert "\n\n== 6. A secret vote" in out


def test_demo_needs_an_empty_database(konsilo: Run, db_url: str) -> None:
    assert konsilo("demo", "--database", db_url)[0] == 0
    status, _, err = konsilo("demo", "--database", db_url)
    assert status == 1
    assert "the demo needs an empty database" in err
