"""Reading a member's typed choice for each voting method.

Choices are stored as JSON: yes/no/abstain as a word; single choice as an
option index; approval and ranked (Schulze, and STV for elections, where the
options are the candidates) as a list of option indices, best first when ranked;
consent as ``"consent"`` or ``{"object": reason}``; ``None`` is an abstention
in a choice method. Members type option numbers starting at 1.
"""

from __future__ import annotations

import re
from typing import Any

from core.errors import Refusal
from core.messages import N_, Msg
from core.text import TEXT_LIMIT, clean

YES = {"yes", "y", "si", "sí", "s", "1"}
NO = {"no", "n", "0"}
ABSTAIN = {"abstain", "abs", "abstención", "abstencion", "blank", "blanco"}
CONSENT = {"consent", "ok", "consiento", "yes", "sí", "si"}
OBJECT = {"object", "objection", "objeto", "objeción", "objecion"}

_NUMBERS = re.compile(r"[\s,;>]+")


def parse_choice(method: str, options: list[str], text: str) -> Any:
    """The stored form of ``text`` under ``method``, or a refusal saying what to type."""
    value = text.strip()
    word = value.split(maxsplit=1)[0].lower() if value else ""
    if method == "yesno":
        return _yesno(word, value)
    if method == "consent":
        return _consent(word, value)
    if word in ABSTAIN:
        return None
    numbers = _numbers(value, len(options))
    if method == "single":
        if len(numbers) != 1:
            raise Refusal("Choose one option by its number, from 1 to {n}.", n=len(options))
        return numbers[0]
    if len(set(numbers)) != len(numbers):
        raise Refusal("Each option can appear only once.")
    return sorted(numbers) if method == "approval" else numbers


def _yesno(word: str, value: str) -> str:
    if word in YES and len(value.split()) == 1:
        return "yes"
    if word in NO and len(value.split()) == 1:
        return "no"
    if word in ABSTAIN and len(value.split()) == 1:
        return "abstain"
    raise Refusal("Vote yes, no or abstain.")


def _consent(word: str, value: str) -> Any:
    if word in CONSENT and len(value.split()) == 1:
        return "consent"
    if word in OBJECT:
        parts = value.split(maxsplit=1)
        if len(parts) < 2:
            raise Refusal("An objection needs a reason: object <why>.")
        return {"object": clean(parts[1], TEXT_LIMIT, N_("reason"))}
    raise Refusal("Answer consent, or object <why>.")


def _numbers(value: str, count: int) -> list[int]:
    parts = [p for p in _NUMBERS.split(value) if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise Refusal("Give option numbers from 1 to {n}, for example 2 or 3>1>2.", n=count)
    numbers = [int(p) for p in parts]
    if any(not 1 <= n <= count for n in numbers):
        raise Refusal("Give option numbers from 1 to {n}, for example 2 or 3>1>2.", n=count)
    return [n - 1 for n in numbers]


def describe(method: str, options: list[str], choice: Any) -> str:
    """A choice as a short, language-neutral text (numbers and option names)."""
    if choice is None:
        return "-"
    if method in ("yesno", "consent"):
        return choice if isinstance(choice, str) else "object"
    if isinstance(choice, int):
        return f"{choice + 1}. {options[choice]}"
    joiner = ", " if method == "approval" else " > "
    return joiner.join(str(i + 1) for i in choice)


WORDS = {
    "yes": N_("yes"),
    "no": N_("no"),
    "abstain": N_("abstain"),
    "consent": N_("consent"),
    "object": N_("object"),
}


def shown(method: str, options: list[str], choice: Any) -> Msg | str:
    """A choice as a member reads it: the words of yes/no and consent votes are
    translated, numbers and option names are not."""
    text = describe(method, options, choice)
    return Msg(WORDS[text]) if text in WORDS else text
