"""The rules (statute): shown with their defaults, changed only by a passed rules motion.

Defaults are those documented in docs/statutes.md. A rules motion needs a 50%
quorum and two thirds of yes + no; a decision needs 25% and a simple majority.
The clock starts on 2026-03-02 09:00 UTC; motions stay open 48 hours.
"""

from __future__ import annotations

import pytest

from tests.chat import Chat, assembly, vote_and_close


def set_quorum(chat: Chat, form: str) -> None:
    """Ana, Bo, Cy and Di adopt ``quorum.decision <form>`` as motion 1."""
    assert chat.say("Ana", f"/rules set quorum.decision {form}") == (
        "Rule change put to the vote as motion 1."
    )
    assert "Rules version 2 is in force." in vote_and_close(chat, 1, ("Ana", "Bo", "Cy", "Di"))


def test_rules_show_the_documented_defaults(chat: Chat) -> None:
    assembly(chat)
    shown = chat.say("Ana", "/rules").splitlines()
    assert shown[0] == "Rules, version 1 (* differs from the default):"
    assert (
        "quorum: decision 25%, rules 50%, admission none, removal 50%, sitting none, "
        "election 25%, recall 25%, report none, plan 25%, offer 25%, mandate 25%, federation 50%"
    ) in shown
    assert "plan: data spain-2019, public auto, hours 40, criterion balanced, sector none" in shown
    assert "delegates: seats 1, term_months 12, term_limit 0, cooldown_months 0" in shown
    assert "report: every_months 1, reminders 72,24" in shown
    assert "sitting: notice_hours 48, rule none, reminders 24,1" in shown
    assert "quiet: hours 22:00-07:00" in shown
    assert "admission: open, vouches 2" in shown
    assert "voting: hours 48, min_hours 24, reminders 1, remind_hours 4" in shown
    assert "petition: sitting 3,10%, reopen 3,10%" in shown
    assert "timezone: UTC" in shown
    assert any(line.startswith("secret: ") and "removal yes" in line for line in shown)
    assert shown[-1] == "Propose a change: /rules set <rule> <value>"
    assert "*" not in "\n".join(shown[1:])


def test_a_rule_changes_only_when_its_motion_passes(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    assert chat.say("Ana", "/rules set quorum.decision 50%") == (
        "Rule change put to the vote as motion 1."
    )
    assert "Motion 1 (rules change): quorum.decision: 25% → 50%" in chat.announcements()
    before = chat.say("Bo", "/rules")
    assert "Rules, version 1" in before
    assert "decision 25%," in before
    assert chat.say("Bo", "/rules history") == "v1 2026-03-02: founding rules"

    result = vote_and_close(chat, 1, ("Ana", "Bo", "Cy"))
    assert "Motion 1 passed" in result
    assert "Rules version 2 is in force." in result
    after = chat.say("Bo", "/rules")
    assert "Rules, version 2" in after
    assert "decision 50%*," in after
    assert chat.say("Bo", "/rules history").splitlines() == [
        "v1 2026-03-02: founding rules",
        "v2 2026-03-04: quorum.decision=50% (motion 1)",
    ]


def test_three_yes_two_no_is_short_of_two_thirds(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di", "Eve")
    chat.say("Ana", "/rules set voting.hours 24")
    result = vote_and_close(chat, 1, yes=("Ana", "Bo", "Cy"), no=("Di", "Eve"))
    assert "Motion 1 failed" in result
    assert "Yes 3, no 2, abstain 0." in result
    assert "is in force" not in result
    assert "voting: hours 48" in chat.say("Ana", "/rules")
    assert chat.say("Ana", "/rules history") == "v1 2026-03-02: founding rules"


def test_four_yes_two_no_is_exactly_two_thirds_and_passes(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di", "Eve", "Flo")
    chat.say("Ana", "/rules set voting.hours 24")
    result = vote_and_close(chat, 1, yes=("Ana", "Bo", "Cy", "Di"), no=("Eve", "Flo"))
    assert "Motion 1 passed" in result
    assert "voting: hours 24*" in chat.say("Ana", "/rules")


def test_quorum_none_lets_a_motion_count_with_no_ballots(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    set_quorum(chat, "none")
    chat.say("Ana", "/motion Paint the workshop")
    result = vote_and_close(chat, 2, yes=())
    assert "Motion 2 failed: Paint the workshop" in result
    assert "Turnout 0 of 4 (quorum 0)." in result


def test_quorum_count_unmet_decides_nothing_and_can_be_put_again(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    set_quorum(chat, "5")
    chat.say("Ana", "/motion Paint the workshop")
    result = vote_and_close(chat, 2, yes=("Ana", "Bo", "Cy", "Di"))
    assert "Motion 2 no quorum: Paint the workshop" in result
    assert "Turnout 4 of 4 (quorum 5)." in result
    assert "Nothing was decided; anyone may put it again: /again 2" in result

    assert chat.say("Bo", "/again 2") == "Motion 3 is open for voting."
    assert "Motion 3 (decision): Paint the workshop" in chat.announcements()
    assert "Motion 3 (decision): Paint the workshop" in chat.say("Cy", "/motions")


def test_quorum_share_counts_members(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    set_quorum(chat, "30%")  # 30% of 4 members is 1.2: 2 ballots needed
    chat.say("Ana", "/motion Paint the workshop")
    assert "Turnout 1 of 4 (quorum 2)." in vote_and_close(chat, 2, yes=("Bo",))
    chat.say("Ana", "/motion Paint it green")
    result = vote_and_close(chat, 3, yes=("Bo", "Cy"))
    assert "Motion 3 passed" in result
    assert "Turnout 2 of 4 (quorum 2)." in result


def test_quorum_share_of_active_members_ignores_the_idle(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    set_quorum(chat, "30%/60d")
    chat.advance(61 * 24)  # everyone has been idle for 61 days
    chat.say("Ana", "/motion Paint the workshop")
    # Ana (proposing) and Bo (voting) acted: 30% of 2 active is 0.6, so 1 ballot.
    result = vote_and_close(chat, 2, yes=("Bo",))
    assert "Motion 2 passed" in result
    assert "Turnout 1 of 4 (quorum 1)." in result


def test_again_is_only_for_a_motion_without_quorum(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/motion Paint the workshop")
    vote_and_close(chat, 1, yes=("Ana", "Bo"))
    assert chat.say("Bo", "/again 1") == (
        "Only a motion without quorum can be put again; "
        "to reopen a decision, petition: /petition reopen 1 <why>."
    )
    assert chat.say("Bo", "/motions") == "No motion is open."


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ("quorum.decision 150%", "A share cannot be over 100%."),
        ("quorum.decision lots", "A quorum is none, a count (5), a share (30%)"),
        ("admission maybe", "Choose one of: open, vouch, vote."),
        ("quorum.decisoin 50%", "There is no rule called quorum.decisoin."),
        ("timezone Mars/Base", "Unknown timezone Mars/Base; use a name like Europe/Madrid."),
        ("voting.hours 0", "Give a whole number of hours from 1 to 1440."),
        ("secret.removal maybe", "Answer yes or no."),
        ("quorum.decision", "Propose a change: /rules set <rule> <value>"),
    ],
)
def test_a_bad_rule_value_is_refused_and_opens_no_motion(
    chat: Chat, change: str, refusal: str
) -> None:
    assembly(chat, "Bo")
    assert chat.say("Bo", f"/rules set {change}").startswith(refusal)
    assert chat.say("Bo", "/motions") == "No motion is open."
    assert chat.announcements() == ""
    assert "Rules, version 1" in chat.say("Bo", "/rules")
    assert chat.say("Bo", "/motion Paint it") == "Motion 1 is open for voting."


def test_proposing_the_rule_in_force_opens_no_motion(chat: Chat) -> None:
    assembly(chat, "Bo")
    assert chat.say("Bo", "/rules set quorum.decision 25%") == "quorum.decision is already 25%."
    assert chat.say("Bo", "/motions") == "No motion is open."


def test_only_members_propose_rule_changes(chat: Chat) -> None:
    assembly(chat, "Bo")
    assert chat.say("Zed", "/rules set admission vote") == (
        "Only members of this assembly can do that. Send /join to ask to join."
    )
    assert chat.say("Bo", "/motions") == "No motion is open."
