"""When ordinary sittings recur, said in plain words, and the dates that follow.

An assembly says when its ordinary sittings recur in English or Spanish:
"2nd and 4th Tuesday at 17:30", "every other Thursday at 18:00", "el día 15 de
cada mes a las 10:00". ``parse`` turns the words into a ``Rule``, an immutable
value the statute stores as JSON (``Rule.to_json``). ``occurrences`` computes the
next sittings in the assembly's timezone, and ``describe`` says the rule back to
members as a translatable ``Msg``. Everything here is pure: no clock, no
database. ``docs/recurrence.md`` lists every form understood and every decision
below, with examples.

The calculation uses the standard library only (``zoneinfo``, ``datetime``,
``calendar``). ``python-dateutil``'s ``rrule`` is not installed, and a small,
well-tested calculation does not justify another dependency.

Decisions:

- A rule always has a time of day. Without one the words are refused.
- "5th Monday" is allowed: months without a fifth Monday have no sitting.
  "the 31st" is allowed: months without a 31st have no sitting ("last day"
  means the last day of every month).
- "Every other Thursday" counts weeks from the rule's start date: the first
  sitting is the first Thursday on or after it, then every second week after
  that. With several weekdays ("every other Monday and Thursday") the weeks run
  Monday to Sunday, and the first week is the one holding the first matching
  day on or after the start date.
- No sitting falls before the start date.
- A local time that does not exist (the hour skipped when clocks go forward)
  moves to the first valid time after it: 02:30 on the night clocks jump from
  02:00 to 03:00 becomes 03:00. A local time that happens twice (when clocks go
  back) is the first of the two (``fold=0``).
- "Every second Tuesday" is refused as ambiguous: it may mean every other
  Tuesday or the 2nd Tuesday of the month. The refusal offers both wordings.
"""

from __future__ import annotations

import calendar
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from core.errors import Refusal
from core.messages import N_, Msg
from core.text import TITLE_LIMIT, clean

Kind = Literal["weekly", "monthly_weekday", "monthly_day"]
KINDS: tuple[Kind, ...] = ("weekly", "monthly_weekday", "monthly_day")
LAST = -1  # in ``ordinals``: the last such weekday; in ``days``: the last day
MAX_WEEKS = 52  # the longest interval of a weekly rule
RULE_LIMIT = TITLE_LIMIT  # characters a member may type for a rule
FORMAT = 1  # the version of the JSON form
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKWEEK = (0, 1, 2, 3, 4)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)


def _last_sorts_last(n: int) -> int:
    return 99 if n == LAST else n


@dataclass(frozen=True)
class Rule:
    """When ordinary sittings recur, at ``hour``:``minute`` local time.

    - ``weekly``: on each of ``weekdays`` (0 = Monday) every ``interval`` weeks;
      "every day" is all seven, "weekdays" Monday to Friday.
    - ``monthly_weekday``: the ``ordinals`` (1 to 5, ``LAST``) of each of
      ``weekdays`` in every month.
    - ``monthly_day``: the ``days`` (1 to 31, ``LAST``) of every month.

    ``start`` is the first day a sitting may fall on, and the anchor of a rule
    repeating every few weeks. Tuples are sorted, without repeats (``LAST``
    last), so equal rules compare equal. A rule that breaks these invariants
    raises ``ValueError`` (it is a programming or storage error, not a member's).
    """

    kind: Kind
    hour: int
    minute: int
    start: date
    weekdays: tuple[int, ...] = ()
    ordinals: tuple[int, ...] = ()
    days: tuple[int, ...] = ()
    interval: int = 1

    def __post_init__(self) -> None:
        def canonical(values: tuple[int, ...], allowed: range | set[int]) -> bool:
            return (
                all(type(v) is int and v in allowed for v in values)
                and list(values) == sorted(set(values), key=_last_sorts_last)
                and bool(values)
            )

        if self.kind not in KINDS:
            raise ValueError(f"unknown kind of rule {self.kind!r}")
        if type(self.hour) is not int or not 0 <= self.hour <= 23:
            raise ValueError(f"hour {self.hour!r} is not 0 to 23")
        if type(self.minute) is not int or not 0 <= self.minute <= 59:
            raise ValueError(f"minute {self.minute!r} is not 0 to 59")
        if type(self.start) is not date:
            raise ValueError("start must be a date")
        if type(self.interval) is not int or not 1 <= self.interval <= MAX_WEEKS:
            raise ValueError(f"interval {self.interval!r} is not 1 to {MAX_WEEKS}")
        if self.kind == "monthly_day":
            if not canonical(self.days, {*range(1, 32), LAST}):
                raise ValueError(f"days {self.days!r} are not sorted days 1 to 31 or LAST")
            if self.weekdays or self.ordinals or self.interval != 1:
                raise ValueError("a monthly_day rule has only days")
            return
        if not canonical(self.weekdays, range(7)):
            raise ValueError(f"weekdays {self.weekdays!r} are not sorted weekdays 0 to 6")
        if self.days:
            raise ValueError(f"a {self.kind} rule has no days")
        if self.kind == "weekly" and self.ordinals:
            raise ValueError("a weekly rule has no ordinals")
        if self.kind == "monthly_weekday":
            if not canonical(self.ordinals, {1, 2, 3, 4, 5, LAST}):
                raise ValueError(f"ordinals {self.ordinals!r} are not sorted 1 to 5 or LAST")
            if self.interval != 1:
                raise ValueError("a monthly_weekday rule has no interval")

    def to_json(self) -> dict[str, Any]:
        """The rule as plain JSON values (``json.dumps`` takes it as it is).

        Only the fields the kind uses are written; ``from_json`` reads them back.
        """
        data: dict[str, Any] = {
            "v": FORMAT,
            "kind": self.kind,
            "time": f"{self.hour:02d}:{self.minute:02d}",
            "start": self.start.isoformat(),
        }
        if self.weekdays:
            data["weekdays"] = [WEEKDAY_KEYS[d] for d in self.weekdays]
        if self.ordinals:
            data["ordinals"] = [_json_number(n) for n in self.ordinals]
        if self.days:
            data["days"] = [_json_number(n) for n in self.days]
        if self.kind == "weekly":
            data["interval"] = self.interval
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> Rule:
        """Read what ``to_json`` wrote (the mapping, or its ``json.dumps`` text).

        Raises ``ValueError`` for anything else: stored data is not a member's input.
        """
        if isinstance(data, str):
            data = json.loads(data)
        if not isinstance(data, Mapping):
            raise ValueError("a rule is a JSON object")
        known = {"v", "kind", "time", "start", "weekdays", "ordinals", "days", "interval"}
        if set(data) - known:
            raise ValueError(f"unknown fields {sorted(set(data) - known)}")
        if data.get("v") != FORMAT:
            raise ValueError(f"unknown rule format {data.get('v')!r}")
        clock = data.get("time")
        if not isinstance(clock, str) or not re.fullmatch(r"\d\d:\d\d", clock):
            raise ValueError(f"time {clock!r} is not HH:MM")
        stamp = data.get("start")
        if not isinstance(stamp, str):
            raise ValueError("start is not an ISO date")
        names = data.get("weekdays", [])
        if not isinstance(names, list) or not all(n in WEEKDAY_KEYS for n in names):
            raise ValueError(f"weekdays {names!r} are not {WEEKDAY_KEYS}")
        ordinals = data.get("ordinals", [])
        days = data.get("days", [])
        if not isinstance(ordinals, list) or not isinstance(days, list):
            raise ValueError("ordinals and days are lists")
        return cls(
            kind=data.get("kind"),  # type: ignore[arg-type]  # checked by __post_init__
            hour=int(clock[:2]),
            minute=int(clock[3:]),
            start=date.fromisoformat(stamp),
            weekdays=tuple(WEEKDAY_KEYS.index(n) for n in names),
            ordinals=tuple(LAST if n == "last" else n for n in ordinals),
            days=tuple(LAST if n == "last" else n for n in days),
            interval=data.get("interval", 1),
        )


def _json_number(n: int) -> int | str:
    return "last" if n == LAST else n


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

_EXAMPLES = N_(
    "Write it like “2nd and 4th Tuesday at 17:30”, “last Friday at 16:00”, "
    "“every Wednesday at 12:30”, “every other Thursday at 18:00”, "
    "“the 15th of every month at 10:00” or “every day at 7”."
)

# Word classes. A token is looked up after lowercasing and removing accents.
_WD, _ORD, _NUMORD, _NUM, _AND, _RANGE, _EVERY, _OTHER = (
    "wd",
    "ord",
    "numord",
    "num",
    "and",
    "range",
    "every",
    "other",
)
_WEEK, _WEEKLY, _FORTNIGHT, _MONTH, _MONTHLY, _DAY, _DAILY, _WEEKDAYS, _WORKING, _BETWEEN = (
    "week",
    "weekly",
    "fortnight",
    "month",
    "monthly",
    "day",
    "daily",
    "weekdays",
    "working",
    "between",
)

_WEEKDAY_WORDS = {
    0: "monday mondays mon lunes",
    1: "tuesday tuesdays tue tues martes",
    2: "wednesday wednesdays wed miercoles",
    3: "thursday thursdays thu thur thurs jueves",
    4: "friday fridays fri viernes",
    5: "saturday saturdays sat sabado sabados",
    6: "sunday sundays sun domingo domingos",
}
_ORDINAL_WORDS = {
    1: "first primer primero primeros",
    2: "second segundo segundos",
    3: "third tercer tercero terceros",
    4: "fourth cuarto cuartos",
    5: "fifth quinto quintos",
    LAST: "last ultimo ultimos",
}
_NUMBER_WORDS = {2: "two dos", 3: "three tres", 4: "four cuatro"}
_CLASS_WORDS = {
    _AND: "and y e & , / +",
    _RANGE: "to through thru till until - a al hasta",
    _EVERY: "every each cada todos todas",
    _OTHER: "other alternate",
    _WEEK: "week weeks semana semanas",
    _WEEKLY: "weekly semanal semanalmente",
    _FORTNIGHT: "fortnight fortnightly",
    _MONTH: "month months mes meses",
    _MONTHLY: "monthly mensual mensualmente",
    _DAY: "day days dia dias",
    _DAILY: "daily everyday diario diaria diariamente",
    _WEEKDAYS: "weekday weekdays workday workdays laborable laborables",
    _WORKING: "working business",
    _BETWEEN: "entre",
}
_FILLER = {
    *("on", "the", "of", "in", "at", "el", "los", "la", "las", "lo", "de", "del", "en"),
    *".;:!?¿¡()\"'“”«»\u2018\u2019",  # punctuation and quotes
}

_LEXICON: dict[str, tuple[str, int]] = {}
for _n, _names in _WEEKDAY_WORDS.items():
    _LEXICON.update(dict.fromkeys(_names.split(), (_WD, _n)))
for _n, _names in _ORDINAL_WORDS.items():
    _LEXICON.update(dict.fromkeys(_names.split(), (_ORD, _n)))
for _n, _names in _NUMBER_WORDS.items():
    _LEXICON.update(dict.fromkeys(_names.split(), (_NUM, _n)))
for _cls, _names in _CLASS_WORDS.items():
    _LEXICON.update(dict.fromkeys(_names.split(), (_cls, 0)))

_TOKEN = re.compile(r"\d+[:.h]\d+|\d+[^\W\d_]*|[^\W\d_]+|\S")
_NUMORD_RE = re.compile(r"(\d{1,3})(?:st|nd|rd|th|o|a|er|ero|do|ro|to|mo|no|vo|os)")
_CLOCK = re.compile(r"(\d{1,3})(?:[:.h](\d+))?(h|hs|hrs|am|pm)?")
_HOUR_WORDS = {"h", "hs", "hrs", "hr", "hour", "hours", "hora", "horas", "oclock"}
# Spanish parts of the day; "12 de la noche" is refused rather than guessed.
_DAY_PARTS = {"manana": "am", "madrugada": "am", "tarde": "pm", "noche": "pm"}


@dataclass(frozen=True)
class _Tok:
    cls: str
    value: int
    word: str  # as the member wrote it, for refusals


@dataclass(frozen=True)
class _Clock:
    hour: int
    minute: int
    raw: str  # as the member wrote it


def _fold(word: str) -> str:
    """Lowercase without accents: "Miércoles" -> "miercoles", "1º" -> "1o"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    text = re.sub(r"(?i)\bo\s*['\u2019]\s*clock\b", " oclock ", text)
    text = re.sub(r"(?i)(?<=[\d\s])([ap])\.\s?m\b\.?", r"\1m", text)
    text = re.sub(r"(\d)\.(?=(?:[ºªoa]|er|ero|do|ro|to)\b)", r"\1", text)  # "1.º", "1.er"
    return _TOKEN.findall(text)


def parse(text: str, start: date) -> Rule:
    """The rule a member wrote, starting on ``start``, or a ``Refusal`` saying why not."""
    if isinstance(start, datetime):
        start = start.date()
    if not text or not text.strip():
        raise Refusal("Say when ordinary sittings recur. {examples}", examples=Msg(_EXAMPLES))
    value = clean(text, RULE_LIMIT, N_("sitting rule"))
    clocks, words = _take_times(_words(value))
    tokens = _classify(words)
    if not clocks:
        raise Refusal("Add the time of day, as in “at 17:30”.")
    if len(clocks) > 1:
        raise Refusal("Give one time of day only.")
    return _rule(tokens, clocks[0], start)


def _take_times(words: list[str]) -> tuple[list[_Clock], list[str]]:
    """Find times of day ("at 9", "17:30", "5pm", "a las 9 y media") and remove them."""
    folded = [_fold(w) for w in words]
    clocks: list[_Clock] = []
    rest: list[str] = []
    i = 0
    while i < len(words):
        match = _CLOCK.fullmatch(folded[i])
        if match is None:
            rest.append(words[i])
            i += 1
            continue
        hour, minutes, suffix = match.groups()
        # a preposition before the number: "at", "@", "a", "a las", "a la"
        lead = 0
        if rest and _fold(rest[-1]) in ("las", "la") and len(rest) > 1 and _fold(rest[-2]) == "a":
            lead = 2
        elif rest and _fold(rest[-1]) in ("at", "@", "a"):
            lead = 1
        end = i + 1
        meridiem = suffix if suffix in ("am", "pm") else None
        extra = 0
        part_of_day = False
        explicit = minutes is not None or suffix is not None
        while end < len(words):
            word = folded[end]
            if word in ("am", "pm") and meridiem is None:
                meridiem, end, explicit = word, end + 1, True
            elif word in _HOUR_WORDS:
                end, explicit = end + 1, True
            elif folded[end : end + 2] in (["y", "media"], ["y", "cuarto"]) and minutes is None:
                extra, end = (30 if folded[end + 1] == "media" else 15), end + 2
            elif (
                folded[end : end + 2] == ["de", "la"]
                and end + 2 < len(words)
                and folded[end + 2] in _DAY_PARTS
                and meridiem is None
            ):
                meridiem, end, explicit = _DAY_PARTS[folded[end + 2]], end + 3, True
                part_of_day = True
            else:
                break
        if not (lead or explicit):
            rest.append(words[i])
            i += 1
            continue
        raw = " ".join(words[i:end])
        if lead:
            del rest[-lead:]
        clocks.append(_clock(hour, minutes, extra, meridiem, part_of_day, raw))
        i = end
    return clocks, rest


def _clock(
    hour: str, minutes: str | None, extra: int, meridiem: str | None, part_of_day: bool, raw: str
) -> _Clock:
    """Check a time of day: 00:00 to 23:59, 1 to 12 with am/pm or a part of the day."""
    h = int(hour)
    m = int(minutes) + extra if minutes is not None else extra
    valid = 0 <= h <= 23 and 0 <= m <= 59 and (minutes is None or len(minutes) == 2)
    if meridiem is not None:
        valid = valid and (1 <= h <= 11 if part_of_day else 1 <= h <= 12)
        h = h % 12 + (12 if meridiem == "pm" else 0)
    if not valid:
        raise Refusal("{time} is not a time of day: use 00:00 to 23:59.", time=raw)
    return _Clock(h, m, raw)


def _classify(words: list[str]) -> list[_Tok]:
    tokens: list[_Tok] = []
    for word in words:
        key = _fold(word)
        if key in _FILLER:
            continue
        if key in _LEXICON:
            cls, value = _LEXICON[key]
            tokens.append(_Tok(cls, value, word))
        elif key.isdecimal():
            tokens.append(_Tok(_NUM, int(key), word))
        elif match := _NUMORD_RE.fullmatch(key):
            tokens.append(_Tok(_NUMORD, int(match.group(1)), word))
        else:
            raise Refusal(
                "“{word}” is not understood here. {examples}", word=word, examples=Msg(_EXAMPLES)
            )
    # Phrases of two words: "working days", "días laborables", "entre semana".
    merged: list[_Tok] = []
    for tok in tokens:
        prev = merged[-1].cls if merged else None
        if (prev, tok.cls) in ((_WORKING, _DAY), (_BETWEEN, _WEEK), (_DAY, _WEEKDAYS)):
            merged[-1] = _Tok(_WEEKDAYS, 0, f"{merged[-1].word} {tok.word}")
        else:
            merged.append(tok)
    return merged


def _not_understood() -> Refusal:
    return Refusal("That rule is not understood. {examples}", examples=Msg(_EXAMPLES))


def _classes(tokens: Sequence[_Tok]) -> tuple[str, ...]:
    return tuple(t.cls for t in tokens)


def _take_month(tokens: list[_Tok]) -> bool:
    """Remove "of the month", "of every month", "monthly", "cada mes" (start or end)."""
    found = False
    for marker in ((_EVERY, _MONTH), (_MONTH,), (_MONTHLY,)):
        n = len(marker)
        if _classes(tokens[-n:]) == marker:
            del tokens[-n:]
            found = True
            break
    for marker in ((_EVERY, _MONTH), (_MONTHLY,)):
        n = len(marker)
        if _classes(tokens[:n]) == marker:
            del tokens[:n]
            found = True
            break
    return found


def _weeks(tok: _Tok) -> int:
    if not 1 <= tok.value <= MAX_WEEKS:
        raise Refusal("Repeat every 1 to {most} weeks.", most=MAX_WEEKS)
    return tok.value


def _take_interval_markers(tokens: list[_Tok]) -> int | None:
    """Remove the weeks between sittings, said at the start or the end.

    "every other (week)", "every 2 weeks", "every second week", "every week",
    "weekly", "fortnightly", "every fortnight", "cada dos semanas", and "cada
    dos" right before a weekday ("cada dos jueves").
    Returns the number of weeks, or None if the words say none.
    """
    patterns: list[tuple[tuple[str, ...], Callable[[Sequence[_Tok]], int]]] = [
        ((_EVERY, _OTHER, _WEEK), lambda t: 2),
        ((_EVERY, _NUM, _WEEK), lambda t: _weeks(t[1])),
        ((_EVERY, _ORD, _WEEK), lambda t: _weeks(t[1])),
        ((_EVERY, _NUMORD, _WEEK), lambda t: _weeks(t[1])),
        ((_EVERY, _OTHER), lambda t: 2),
        ((_EVERY, _WEEK), lambda t: 1),
        ((_EVERY, _FORTNIGHT), lambda t: 2),
        ((_WEEKLY,), lambda t: 1),
        ((_FORTNIGHT,), lambda t: 2),
    ]
    found: int | None = None
    for pattern, weeks in patterns:
        n = len(pattern)
        if _classes(tokens[:n]) == pattern and found is None:
            found = weeks(tokens[:n])
            del tokens[:n]
        if len(tokens) >= n and _classes(tokens[-n:]) == pattern and found is None:
            found = weeks(tokens[-n:])
            del tokens[-n:]
    if found is None and _classes(tokens[:3]) == (_EVERY, _NUM, _WD):
        found = _weeks(tokens[1])  # "cada dos jueves", "every 2 Thursdays"
        del tokens[:2]
    return found


def _weekday_list(tokens: Sequence[_Tok], ranges: bool) -> tuple[int, ...] | None:
    """Weekdays joined by "and", commas, and (if ``ranges``) "Monday to Friday" and
    "weekdays"; None if the tokens are anything else."""
    days: set[int] = set()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.cls == _AND and 0 < i < len(tokens) - 1:
            i += 1
        elif tok.cls == _WEEKDAYS and ranges:
            days.update(WORKWEEK)
            i += 1
        elif tok.cls == _WD and ranges and _classes(tokens[i + 1 : i + 3]) == (_RANGE, _WD):
            first, last = tok.value, tokens[i + 2].value
            days.update((first + k) % 7 for k in range((last - first) % 7 + 1))
            i += 3
        elif tok.cls == _WD:
            days.add(tok.value)
            i += 1
        else:
            return None
    return tuple(sorted(days)) or None


def _number_list(tokens: Sequence[_Tok], classes: set[str]) -> list[_Tok] | None:
    """The numbers joined by "and" (tokens of ``classes``); None if anything else."""
    numbers: list[_Tok] = []
    for i, tok in enumerate(tokens):
        if tok.cls in classes:
            numbers.append(tok)
        elif tok.cls != _AND or i in (0, len(tokens) - 1):
            return None
    return numbers or None


def _trim_commas(tokens: list[_Tok]) -> None:
    """Drop commas left at either end, as in "a las 17:30, el segundo martes"."""
    while tokens and tokens[0].word == ",":
        del tokens[0]
    while tokens and tokens[-1].word == ",":
        del tokens[-1]


def _rule(tokens: list[_Tok], clock: _Clock, start: date) -> Rule:
    _trim_commas(tokens)
    if not tokens:
        raise _not_understood()
    monthly = _take_month(tokens)
    _trim_commas(tokens)
    weeks = _take_interval_markers(tokens)
    _trim_commas(tokens)
    every = bool(tokens) and tokens[0].cls == _EVERY
    if every:
        del tokens[0]
    if not tokens or (monthly and weeks is not None):
        raise _not_understood()

    def make(kind: Kind, **fields: Any) -> Rule:
        return Rule(kind, clock.hour, clock.minute, start, **fields)

    classes = _classes(tokens)

    # every day: "every day", "daily", "todos los días", "cada día"
    if (classes == (_DAY,) and every) or classes == (_DAILY,):
        if monthly or weeks is not None:
            raise _not_understood()
        return make("weekly", weekdays=EVERY_DAY)

    # weekdays: "every Wednesday", "Monday and Thursday", "weekdays", "de lunes a viernes"
    weekdays = _weekday_list(tokens, ranges=True)
    if weekdays is not None:
        if monthly:
            raise _not_understood()
        return make("weekly", weekdays=weekdays, interval=weeks or 1)

    # the nth weekdays of the month: "2nd and 4th Tuesday", "último viernes de mes"
    split = next((i for i, t in enumerate(tokens) if t.cls == _WD), None)
    if split:
        ordinals = _number_list(tokens[:split], {_ORD, _NUMORD})
        weekdays = _weekday_list(tokens[split:], ranges=False)
        if ordinals is not None and weekdays is not None and weeks is None:
            values = {t.value for t in ordinals}
            if any(v not in (1, 2, 3, 4, 5, LAST) for v in values):
                raise Refusal("A month has at most five of each weekday: use 1st to 5th or last.")
            if every and not monthly and len(values) == 1 and values <= {2, 3, 4, 5}:
                (n,) = values
                raise Refusal(
                    "That could mean every {weeks} weeks or the {ordinal} {weekday} of each "
                    "month: write the one you mean.",
                    weeks=n,
                    ordinal=Msg(_ORDINAL_NAMES[n]),
                    weekday=_weekday_names(weekdays),
                )
            return make(
                "monthly_weekday",
                weekdays=weekdays,
                ordinals=tuple(sorted(values, key=_last_sorts_last)),
            )
        raise _not_understood()

    # days of the month: "the 15th of every month", "el día 15 de cada mes", "last day"
    named_day = _DAY in classes
    days = _number_list([t for t in tokens if t.cls != _DAY], {_NUM, _NUMORD, _ORD})
    if days is not None and weeks is None:
        said_so = monthly or named_day or any(t.cls == _NUMORD for t in days)
        if said_so:
            values = {t.value for t in days}
            if any(v != LAST and not 1 <= v <= 31 for v in values):
                raise Refusal("A month has days 1 to 31: use one of those, or last day.")
            return make("monthly_day", days=tuple(sorted(values, key=_last_sorts_last)))
    raise _not_understood()


# ---------------------------------------------------------------------------
# Occurrences
# ---------------------------------------------------------------------------


def occurrences(rule: Rule, tz: str, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` sittings strictly after ``after``, as aware UTC datetimes.

    Dates and the time of day are reckoned in ``tz`` (an IANA name), so a 17:30
    sitting stays 17:30 local across daylight-saving changes. ``after`` must be
    aware; ``tz`` must exist (``zoneinfo.ZoneInfoNotFoundError`` otherwise). The
    list is strictly increasing; it is shorter than ``count`` only past year 9999.
    """
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("after must be an aware datetime")
    if count <= 0:
        return []
    zone = ZoneInfo(tz)
    begin = after.astimezone(zone).date()
    if begin > date.min:
        begin -= timedelta(days=1)  # a sitting moved past midnight by a gap is not missed
    found: list[datetime] = []
    for day in _local_dates(rule, max(begin, rule.start)):
        when = _instant(day, rule.hour, rule.minute, zone)
        if when > after and (not found or when > found[-1]):
            found.append(when)
            if len(found) == count:
                break
    return found


def _instant(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall time; see the module docstring for gaps and folds."""
    wall = datetime.combine(day, time(hour, minute))
    first = wall.replace(tzinfo=zone).astimezone(UTC)  # fold=0: the first of two
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # ``wall`` falls in a gap. With fold=0 it reads as the offset before the jump,
    # which lands after the jump; with fold=1 as the offset after it, which lands
    # before. Search between them for the jump itself: the first valid time after.
    low = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    high = int(first.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _local_dates(rule: Rule, begin: date) -> Iterator[date]:
    """The rule's local dates on or after ``begin`` (itself on or after the start)."""
    try:
        if rule.kind == "weekly":
            yield from _weekly_dates(rule, begin)
        else:
            yield from _monthly_dates(rule, begin)
    except OverflowError:  # past year 9999
        return


def first_date(rule: Rule) -> date:
    """The first date on or after the rule's start that the rule names, in the
    rule's own calendar (for a weekly rule, the anchor of its interval)."""
    return next(_local_dates(rule, rule.start), rule.start)


def _weekly_dates(rule: Rule, begin: date) -> Iterator[date]:
    anchor = rule.start + timedelta(days=min((d - rule.start.weekday()) % 7 for d in rule.weekdays))
    anchor -= timedelta(days=anchor.weekday())  # the Monday of the first week
    monday = max(begin - timedelta(days=begin.weekday()), anchor)
    monday += timedelta(weeks=-((monday - anchor).days // 7) % rule.interval)
    while True:
        for weekday in rule.weekdays:
            day = monday + timedelta(days=weekday)
            if day >= begin:
                yield day
        monday += timedelta(weeks=rule.interval)


def _monthly_dates(rule: Rule, begin: date) -> Iterator[date]:
    year, month = begin.year, begin.month
    while year <= date.max.year:
        for day in _month_days(rule, year, month):
            if day >= begin:
                yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _month_days(rule: Rule, year: int, month: int) -> list[date]:
    length = calendar.monthrange(year, month)[1]
    numbers: set[int] = set()
    if rule.kind == "monthly_day":
        numbers = {length if n == LAST else n for n in rule.days if n <= length}
    else:
        first_weekday = calendar.weekday(year, month, 1)
        for weekday in rule.weekdays:
            first = 1 + (weekday - first_weekday) % 7
            for n in rule.ordinals:
                if n == LAST:
                    numbers.add(first + 7 * ((length - first) // 7))
                elif first + 7 * (n - 1) <= length:
                    numbers.add(first + 7 * (n - 1))
    return [date(year, month, n) for n in sorted(numbers)]


# ---------------------------------------------------------------------------
# Saying the rule back
# ---------------------------------------------------------------------------

_WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
_ORDINAL_NAMES = {
    1: N_("1st"),
    2: N_("2nd"),
    3: N_("3rd"),
    4: N_("4th"),
    5: N_("5th"),
    LAST: N_("last"),
}


def _join(items: Sequence[Any]) -> Any:
    """ "a", "a and b", "a, b and c", as nested messages."""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return Msg.of(N_("{first} and {second}"), first=items[0], second=items[1])
    return Msg.of(N_("{first}, {rest}"), first=items[0], rest=_join(items[1:]))


def _weekday_names(weekdays: tuple[int, ...]) -> Any:
    if weekdays == WORKWEEK:
        return Msg.of(N_("Monday to Friday"))
    return _join([Msg(_WEEKDAY_NAMES[d]) for d in weekdays])


def describe(rule: Rule) -> Msg:
    """The rule in a short sentence for members, e.g. "The 2nd and 4th Tuesday of
    each month at 17:30" or "Every other Thursday at 18:00, starting 2026-01-08"."""
    at = f"{rule.hour:02d}:{rule.minute:02d}"
    if rule.kind == "monthly_day":
        days = [
            Msg.of(N_("the last day")) if n == LAST else Msg.of(N_("day {day}"), day=n)
            for n in rule.days
        ]
        return Msg.of(N_("On {days} of each month at {time}"), days=_join(days), time=at)
    if rule.kind == "monthly_weekday":
        return Msg.of(
            N_("The {ordinals} {days} of each month at {time}"),
            ordinals=_join([Msg(_ORDINAL_NAMES[n]) for n in rule.ordinals]),
            days=_weekday_names(rule.weekdays),
            time=at,
        )
    if rule.interval == 1:
        if rule.weekdays == EVERY_DAY:
            return Msg.of(N_("Every day at {time}"), time=at)
        if rule.weekdays == WORKWEEK:
            return Msg.of(N_("Monday to Friday at {time}"), time=at)
        return Msg.of(N_("Every {days} at {time}"), days=_weekday_names(rule.weekdays), time=at)
    starting = first_date(rule).isoformat()
    if rule.interval == 2:
        return Msg.of(
            N_("Every other {days} at {time}, starting {start}"),
            days=_weekday_names(rule.weekdays),
            time=at,
            start=starting,
        )
    return Msg.of(
        N_("Every {weeks} weeks on {days} at {time}, starting {start}"),
        weeks=rule.interval,
        days=_weekday_names(rule.weekdays),
        time=at,
        start=starting,
    )
