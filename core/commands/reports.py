"""Commands for recall and report-backs: read the arguments, call one service, reply.

A report is one message, one line per section of the template, each line
starting with the section's number (or keyword, English or Spanish: "questions:",
"preguntas:")::

    /report 3
    1 We agreed the new shift plan
    2 I voted yes, as you instructed
    3 Management plans cuts in May
    4 Who pays the overtime?
    5 Your view on Sunday work by Friday

A line without a number continues the section above it; sections left out
are shown as "—". ``/report 3`` alone sends the delegate the template.
"""

from __future__ import annotations

import re

from core.commands.grammar import number, split_first
from core.commands.handlers import Ctx, command
from core.delegates import recall, reports
from core.errors import Refusal
from core.messages import N_, Reply

_KEYWORDS = {
    "decision": "decisions",
    "decisions": "decisions",
    "vote": "votes",
    "votes": "votes",
    "mandate": "votes",
    "info": "info",
    "information": "info",
    "question": "questions",
    "questions": "questions",
    "need": "needs",
    "needs": "needs",
    # Spanish, with and without accents (phones often type without them)
    "decisiones": "decisions",
    "decisión": "decisions",
    "voto": "votes",
    "votos": "votes",
    "mandato": "votes",
    "informacion": "info",
    "información": "info",
    "pregunta": "questions",
    "preguntas": "questions",
    "necesidad": "needs",
    "necesidades": "needs",
}
_NUMBERED = tuple(reports.SECTIONS)
_SECTION = re.compile(r"^(?:([1-5])(?:[.):]|\s|$)|([^\W\d_]+)\s*:)\s*(.*)$")


def _section_of(line: str) -> tuple[str, str] | None:
    """The section a line starts (and the rest of the line), or None for a continuation."""
    match = _SECTION.match(line)
    if match is None:
        return None
    digit, word, rest = match.groups()
    if digit:
        return _NUMBERED[int(digit) - 1], rest
    key = _KEYWORDS.get(word.lower())
    return None if key is None else (key, rest)


def sections(text: str) -> dict[str, str]:
    """The template's sections from the lines of a ``/report`` message."""
    found: dict[str, list[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        started = _section_of(line)
        if started is not None:
            current, line = started
            found.setdefault(current, [])
        if current is None:
            raise Refusal("Start each line of the report with its section number, 1 to 5.")
        if line:
            found[current].append(line)
    return {key: " ".join(parts) for key, parts in found.items() if parts}


@command("recall", N_("/recall <delegate> [reason] — start a recall of a delegate"))
def _recall(ctx: Ctx, args: str) -> list[Reply]:
    first, why = split_first(args)
    return recall.start(ctx.tx, ctx.assembly_id, ctx.person_id, number(first), why)


@command("report", N_("/report <delegate>, then lines 1-5 — post your report"))
def _report(ctx: Ctx, args: str) -> list[Reply]:
    first, body = split_first(args)
    delegate_id = number(first)
    if not body.strip():
        return reports.template(ctx.tx, ctx.assembly_id, ctx.person_id, delegate_id)
    return reports.post(ctx.tx, ctx.assembly_id, ctx.person_id, delegate_id, sections(body))


@command("reports", N_("/reports [report] — delegates' reports, or one in full"))
def _reports(ctx: Ctx, args: str) -> list[Reply]:
    if not args:
        return reports.listing(ctx.tx, ctx.member())
    return reports.show(ctx.tx, ctx.member(), number(args))


@command("ask", N_("/ask <report> <question> — ask the delegate about a report"))
def _ask(ctx: Ctx, args: str) -> list[Reply]:
    first, text = split_first(args)
    report_id = number(first)
    if not text:
        raise Refusal("Write your question: /ask <report> <question>.")
    return reports.ask(ctx.tx, ctx.assembly_id, ctx.person_id, report_id, text)


@command("answer", N_("/answer <question> <text> — answer a question on your report"))
def _answer(ctx: Ctx, args: str) -> list[Reply]:
    first, text = split_first(args)
    question_id = number(first)
    if not text:
        raise Refusal("Write your answer: /answer <question> <text>.")
    return reports.answer(ctx.tx, ctx.assembly_id, ctx.person_id, question_id, text)


@command("questions", N_("/questions <report> — questions on a report, open ones marked"))
def _questions(ctx: Ctx, args: str) -> list[Reply]:
    return reports.questions(ctx.tx, ctx.member(), number(args))
