"""Report-backs: due dates, posting, the acceptance poll, questions, overdue flags.

Defaults: ``report.every_months`` 1, so Bo, elected on 2026-03-04 09:00 UTC (48
hours after the test clock's start), owes reports on 2026-04-04, 2026-05-04, ...
A report is one ``/report`` message with a line per section (1-5).
"""

from __future__ import annotations

from datetime import UTC, datetime

from core.delegates.reports import add_months
from tests.chat import Chat, assembly, vote_and_close
from tests.core.delegates.test_recall import refused, seat

REPORT = (
    "/report 1\n"
    "1 We agreed the new shift plan\n"
    "2 I voted yes, as you instructed\n"
    "3 Management plans cuts in May\n"
    "4 Who pays the overtime?\n"
    "5 Your view on Sunday work\n"
    "by Friday"
)
MONTH = 31 * 24  # hours from 2026-03-04 to 2026-04-04


def delegate_bo(chat: Chat) -> None:
    """Ana, Bo (delegate 1, elected in motion 1; his first report is report 1), Cy and Di."""
    assembly(chat, "Bo", "Cy", "Di")
    seat(chat, "Bo")
    chat.announcements()


def test_due_dates_count_whole_months_from_the_start() -> None:
    start = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    assert [add_months(start, k).date().isoformat() for k in (1, 2, 3, 11, 13)] == [
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
        "2026-12-31",
        "2027-02-28",
    ]


def test_a_seat_owes_its_first_report_a_month_after_it_starts(chat: Chat) -> None:
    delegate_bo(chat)
    assert chat.say("Cy", "/reports") == "Bo, delegate 1: next report due 2026-04-04."
    assert chat.say("Bo", "/report 1").splitlines() == [
        "Your next report is due 2026-04-04. Send it as one message:",
        "/report 1",
        "1 Decisions taken",
        "2 How I voted, and the mandate",
        "3 Information received",
        "4 Open questions",
        "5 What I need from you",
    ]


def test_posting_announces_the_report_and_opens_the_acceptance_poll(chat: Chat) -> None:
    delegate_bo(chat)
    assert chat.say("Bo", REPORT) == ("Report 1 is posted, with its acceptance poll (motion 2).")
    assert chat.announcements().splitlines() == [
        "Report 1 from Bo, delegate 1:",
        "1. Decisions taken: We agreed the new shift plan",
        "2. How I voted, and the mandate: I voted yes, as you instructed",
        "3. Information received: Management plans cuts in May",
        "4. Open questions: Who pays the overtime?",
        "5. What I need from you: Your view on Sunday work by Friday",
        "Ask a question: /ask 1 <question>",
        "Motion 2 (report acceptance): Did Bo's report 1 tell you what you needed?",
        "Vote: /vote 2 yes | no | abstain",
        "Voting closes 2026-03-06 09:00 UTC.",
    ]
    assert chat.say("Cy", "/reports").splitlines() == [
        "Bo, delegate 1: next report due 2026-05-04.",
        "   Last: report 1, posted 2026-03-04, 0 open questions: /reports 1",
    ]
    result = vote_and_close(chat, 2, yes=("Ana", "Cy"), no=("Di",))
    assert "Motion 2 passed: Did Bo's report 1 tell you what you needed?" in result
    assert "Report 1 is accepted." in result


def test_a_report_by_keywords_with_sections_left_out(chat: Chat) -> None:
    delegate_bo(chat)
    chat.say("Bo", "/report 1 decisions: none this month\nneeds: a vote on Sunday work")
    shown = chat.say("Cy", "/reports 1").splitlines()
    assert shown[:6] == [
        "Report 1 from Bo, delegate 1:",
        "1. Decisions taken: none this month",
        "2. How I voted, and the mandate: —",
        "3. Information received: —",
        "4. Open questions: —",
        "5. What I need from you: a vote on Sunday work",
    ]
    assert shown[-1] == "Posted 2026-03-04; 0 open questions: /questions 1; poll: motion 2"


def test_a_report_by_spanish_keywords_typed_without_accents(chat: Chat) -> None:
    delegate_bo(chat)
    chat.say("Bo", "/report 1 decisiones: ninguna\ninformacion: cierre en mayo\nPreguntas: ¿horas?")
    shown = chat.say("Cy", "/reports 1").splitlines()
    assert shown[1:5] == [
        "1. Decisions taken: ninguna",
        "2. How I voted, and the mandate: —",
        "3. Information received: cierre en mayo",
        "4. Open questions: ¿horas?",
    ]


def test_a_report_not_accepted_points_to_questions_and_recall(chat: Chat) -> None:
    delegate_bo(chat)
    chat.say("Bo", REPORT)
    result = vote_and_close(chat, 2, yes=("Bo",), no=("Ana", "Cy", "Di"))
    assert "Report 1 is not accepted. Ask: /ask 1 <question>. Recall: /recall 1" in result


def test_questions_stay_open_until_the_delegate_answers(chat: Chat) -> None:
    delegate_bo(chat)
    chat.say("Bo", REPORT)
    chat.announcements()
    assert chat.say("Cy", "/questions 1") == (
        "No questions on report 1 yet. Ask: /ask 1 <question>"
    )
    assert chat.say("Cy", "/ask 1 Who decided the cuts?") == (
        "Question 1 stays open until Bo answers."
    )
    assert chat.announcements().splitlines() == [
        "Question 1 to Bo on report 1, from Cy: Who decided the cuts?",
        "Answer: /answer 1 <text>",
    ]
    chat.say("Di", "/ask 1 Is Sunday work paid double?")
    chat.announcements()
    assert chat.say("Ana", "/questions 1").splitlines() == [
        "Report 1: 2 questions, 2 open.",
        "1. Cy: Who decided the cuts? (open)",
        "2. Di: Is Sunday work paid double? (open)",
    ]
    assert chat.say("Bo", "/answer 2 Yes, by the agreement of 2024.") == "Question 2 is answered."
    assert chat.announcements() == (
        "Bo answers question 2 (Di: Is Sunday work paid double?): Yes, by the agreement of 2024."
    )
    assert chat.say("Ana", "/questions 1").splitlines() == [
        "Report 1: 2 questions, 1 open.",
        "1. Cy: Who decided the cuts? (open)",
        "2. Di: Is Sunday work paid double?",
        "   Bo: Yes, by the agreement of 2024.",
    ]
    assert "1 open questions: /reports 1" in chat.say("Ana", "/reports")


def test_an_overdue_report_is_flagged_once(chat: Chat) -> None:
    delegate_bo(chat)
    chat.advance(MONTH - 1)
    chat.tick()
    assert chat.announcements() == ""
    chat.advance(1)
    chat.tick()
    assert chat.announcements().splitlines() == [
        "Report from Bo (delegate 1) is overdue since 2026-04-04.",
        "Any member can start a recall: /recall 1",
    ]
    chat.tick()
    chat.advance(24)
    chat.tick()
    assert chat.announcements() == ""
    assert chat.say("Cy", "/reports") == "Bo, delegate 1: a report is overdue since 2026-04-04."

    chat.say("Bo", REPORT)  # late: it answers for report 1, report 2 stays due on 2026-05-04
    assert "Report 1 from Bo, delegate 1:" in chat.announcements()
    assert chat.say("Cy", "/reports").splitlines()[0] == (
        "Bo, delegate 1: next report due 2026-05-04."
    )


def test_an_overdue_report_goes_on_the_next_sittings_agenda(chat: Chat) -> None:
    delegate_bo(chat)
    chat.say("Cy", "/sitting 2026-04-10 17:00 Monthly meeting")
    vote_and_close(chat, 2, yes=("Ana", "Cy"))
    chat.advance(MONTH)
    chat.tick()
    assert chat.announcements().splitlines() == [
        "Report from Bo (delegate 1) is overdue since 2026-04-04.",
        "On the agenda of sitting 1: report missing, recall?",
        "Any member can start a recall: /recall 1",
    ]
    assert chat.say("Di", "/agenda 1").splitlines() == [
        "Sitting 1 (ordinary), 2026-04-10 17:00 UTC: Monthly meeting",
        "1. Report missing: recall Bo? (/recall 1)",
    ]


def test_each_missed_month_is_flagged(chat: Chat) -> None:
    delegate_bo(chat)
    chat.advance(MONTH + 30 * 24)  # 2026-05-04 09:00: reports 1 and 2 are both missing
    flagged = "\n".join(s.text for s in chat.live(0))  # the clock's catch-up, to the end
    assert "Report from Bo (delegate 1) is overdue since 2026-04-04." in flagged
    assert "Report from Bo (delegate 1) is overdue since 2026-05-04." in flagged
    assert chat.say("Cy", "/reports") == "Bo, delegate 1: a report is overdue since 2026-04-04."


def test_a_recalled_delegates_reports_are_no_longer_flagged(chat: Chat) -> None:
    delegate_bo(chat)
    chat.say("Cy", "/recall 1")
    chat.say("Di", "/sign 1")
    chat.say("Ana", "/sign 1")
    for name in ("Ana", "Cy", "Di"):
        chat.say(name, "/vote 2 yes", private=True)
    chat.advance(48)
    chat.tick()
    assert "Bo is recalled as delegate 1" in chat.announcements()
    chat.advance(MONTH)
    chat.tick()
    assert "overdue" not in chat.announcements()


def test_only_the_delegate_posts_and_answers(chat: Chat) -> None:
    delegate_bo(chat)
    assert refused(chat, "Cy", REPORT) == "Only Bo, delegate 1, can post this seat's report."
    assert refused(chat, "Cy", "/report 1") == "Only Bo, delegate 1, can post this seat's report."
    chat.say("Bo", REPORT)
    chat.say("Cy", "/ask 1 Who decided the cuts?")
    chat.announcements()
    assert refused(chat, "Di", "/answer 1 Management did.") == (
        "Only Bo, who posted the report, can answer question 1."
    )
    chat.say("Bo", "/answer 1 Management did.")
    chat.announcements()
    assert refused(chat, "Bo", "/answer 1 And the board.") == "Question 1 is already answered."


def test_report_bad_input_changes_nothing(chat: Chat) -> None:
    delegate_bo(chat)
    assert refused(chat, "Cy", "/ask 1 Anything yet?") == (
        "Report 1 is not posted yet (due 2026-04-04)."
    )
    assert refused(chat, "Bo", "/report 1\nWe agreed the plan") == (
        "Start each line of the report with its section number, 1 to 5."
    )
    assert refused(chat, "Bo", "/report 1\n1\n2") == (
        "The report is empty. Send /report 1 for the template."
    )
    assert refused(chat, "Bo", "/report 7\n1 Plan") == "There is no delegate 7."
    assert refused(chat, "Bo", "/report\n1 Plan") == (
        "Start each line of the report with its section number, 1 to 5."
    )
    assert refused(chat, "Bo", "/report") == "Expected a number, got -."
    chat.say("Bo", REPORT)
    chat.announcements()
    assert refused(chat, "Cy", "/ask 9 Where is it?") == "There is no report 9."
    assert refused(chat, "Cy", "/ask 1") == "Write your question: /ask <report> <question>."
    assert refused(chat, "Zed", "/ask 1 Who are you?") == (
        "Only members of this assembly can do that. Send /join to ask to join."
    )
    assert refused(chat, "Bo", "/answer 9 Nothing") == "There is no question 9."
    assert refused(chat, "Cy", "/questions 9") == "There is no report 9."
    assert refused(chat, "Cy", "/reports 9") == "There is no report 9."
    assert refused(chat, "Bo", "/answer 1") == "Write your answer: /answer <question> <text>."
