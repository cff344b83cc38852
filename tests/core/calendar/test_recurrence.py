"""Recurring sittings: plain words in, the right dates out, across daylight saving.

Every expected date below was read off a printed 2026 calendar (1 January 2026 is
a Thursday) and converted to UTC by hand: Madrid is UTC+1 until 29 March and
from 25 October (03:00 CEST -> 02:00 CET), UTC+2 in between; New York is UTC-5
until 8 March and from 1 November (02:00 EDT -> 01:00 EST), UTC-4 in between.
None is copied from the implementation's output.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.calendar.recurrence import LAST, Rule, describe, first_date, occurrences, parse
from core.errors import Refusal
from core.i18n import render

MADRID = "Europe/Madrid"
NEW_YORK = "America/New_York"
JAN_1 = date(2026, 1, 1)
NEW_YEAR = datetime(2026, 1, 1, tzinfo=UTC)


def utc(text: str) -> datetime:
    """'2026-01-13 16:30' -> an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def next_dates(
    text: str, after: datetime = NEW_YEAR, count: int = 4, tz: str = MADRID
) -> list[str]:
    found = occurrences(parse(text, JAN_1), tz, after, count)
    return [f"{d:%Y-%m-%d %H:%M}" for d in found]


def english(rule: Rule) -> str:
    return render(describe(rule), "en")


def refusal(text: str, start: date = JAN_1) -> str:
    with pytest.raises(Refusal) as caught:
        parse(text, start)
    return render(caught.value.msg, "en")


# --- the phrases of the brief, in both languages -----------------------------

# (English, Spanish, description, next four sittings in UTC from 2026-01-01, Madrid)
PHRASES = [
    (
        "2nd and 4th Tuesday at 17:30",
        "segundo y cuarto martes a las 17:30",
        "The 2nd and 4th Tuesday of each month at 17:30",
        # Tuesdays: Jan 6 13 20 27, Feb 3 10 17 24; 17:30 CET = 16:30 UTC
        ["2026-01-13 16:30", "2026-01-27 16:30", "2026-02-10 16:30", "2026-02-24 16:30"],
    ),
    (
        "first Monday of the month at 9",
        "primer lunes de mes a las 9",
        "The 1st Monday of each month at 09:00",
        # Jan 5, Feb 2, Mar 2 (CET); Apr 6 is in summer time (CEST, UTC+2)
        ["2026-01-05 08:00", "2026-02-02 08:00", "2026-03-02 08:00", "2026-04-06 07:00"],
    ),
    (
        "last Friday at 16:00",
        "último viernes a las 16:00",
        "The last Friday of each month at 16:00",
        # Jan 30, Feb 27, Mar 27 (CET, two days before the switch); Apr 24 (CEST)
        ["2026-01-30 15:00", "2026-02-27 15:00", "2026-03-27 15:00", "2026-04-24 14:00"],
    ),
    (
        "every Wednesday at 12:30",
        "todos los miércoles a las 12:30",
        "Every Wednesday at 12:30",
        ["2026-01-07 11:30", "2026-01-14 11:30", "2026-01-21 11:30", "2026-01-28 11:30"],
    ),
    (
        "every other Thursday at 18:00",
        "cada dos jueves a las 18:00",
        "Every other Thursday at 18:00, starting 2026-01-01",
        # the start date, 1 January, is a Thursday: Jan 1, 15, 29, Feb 12
        ["2026-01-01 17:00", "2026-01-15 17:00", "2026-01-29 17:00", "2026-02-12 17:00"],
    ),
    (
        "the 15th of every month at 10:00",
        "el día 15 de cada mes a las 10:00",
        "On day 15 of each month at 10:00",
        ["2026-01-15 09:00", "2026-02-15 09:00", "2026-03-15 09:00", "2026-04-15 08:00"],
    ),
    (
        "every day at 7",
        "todos los días a las 7",
        "Every day at 07:00",
        ["2026-01-01 06:00", "2026-01-02 06:00", "2026-01-03 06:00", "2026-01-04 06:00"],
    ),
    (
        "weekdays at 13:00",
        "de lunes a viernes a las 13:00",
        "Monday to Friday at 13:00",
        # Thu 1, Fri 2, then Mon 5, Tue 6
        ["2026-01-01 12:00", "2026-01-02 12:00", "2026-01-05 12:00", "2026-01-06 12:00"],
    ),
]


@pytest.mark.parametrize(
    ("text", "description", "expected"),
    [(en, d, x) for en, _, d, x in PHRASES] + [(es, d, x) for _, es, d, x in PHRASES],
)
def test_each_phrase_parses_and_gives_the_next_sittings(
    text: str, description: str, expected: list[str]
) -> None:
    assert english(parse(text, JAN_1)) == description
    assert next_dates(text) == expected


@pytest.mark.parametrize(("en", "es"), [(en, es) for en, es, _, _ in PHRASES])
def test_english_and_spanish_say_the_same_rule(en: str, es: str) -> None:
    assert parse(en, JAN_1) == parse(es, JAN_1)


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("2nd/4th Tue @ 17:30", "2nd and 4th Tuesday at 17:30"),
        ("the second and fourth Tuesday of each month at 5:30 pm", "2nd and 4th Tuesday at 17:30"),
        ("2º y 4º martes de cada mes a las 17:30 h", "2nd and 4th Tuesday at 17:30"),
        ("1.er lunes de cada mes a las 9", "first Monday of the month at 9"),
        ("1st Monday monthly at 9am", "first Monday of the month at 9"),
        ("todos los primeros lunes de mes a las 9:00", "first Monday of the month at 9"),
        ("every first Monday at 9 o'clock", "first Monday of the month at 9"),
        ("a las 17:30, el segundo y cuarto martes", "2nd and 4th Tuesday at 17:30"),
        ("ULTIMO VIERNES A LAS 16", "last Friday at 16:00"),
        ("Wednesdays at 12.30", "every Wednesday at 12:30"),
        ("cada miércoles a las 12:30", "every Wednesday at 12:30"),
        ("los miercoles a las 12 y media", "every Wednesday at 12:30"),
        ("weekly on Wednesday at 12:30", "every Wednesday at 12:30"),
        ("every two weeks on Thursday at 18:00", "every other Thursday at 18:00"),
        ("Thursday every 2 weeks at 6pm", "every other Thursday at 18:00"),
        ("fortnightly on Thursdays at 18h", "every other Thursday at 18:00"),
        ("every second week on Thursday at 18:00", "every other Thursday at 18:00"),
        ("cada dos semanas los jueves a las 6 de la tarde", "every other Thursday at 18:00"),
        ("el 15 de cada mes a las 10", "the 15th of every month at 10:00"),
        ("monthly on the 15th at 10", "the 15th of every month at 10:00"),
        ("cada mes el día 15 a las 10", "the 15th of every month at 10:00"),
        ("on the 15th at 10:00", "the 15th of every month at 10:00"),
        ("daily at 07:00", "every day at 7"),
        ("diariamente a las 7", "every day at 7"),
        ("cada día a las 7 de la mañana", "every day at 7"),
        ("every weekday at 1pm", "weekdays at 13:00"),
        ("Mon-Fri at 13:00", "weekdays at 13:00"),
        ("Monday to Friday at 13:00", "weekdays at 13:00"),
        ("working days at 13:00", "weekdays at 13:00"),
        ("días laborables a las 13:00", "weekdays at 13:00"),
        ("entre semana a las 13:00", "weekdays at 13:00"),
        ("“every Wednesday at 12:30”.", "every Wednesday at 12:30"),
    ],
)
def test_other_wordings_of_the_same_rules(text: str, same_as: str) -> None:
    assert parse(text, JAN_1) == parse(same_as, JAN_1)


def test_more_than_one_weekday_ordinal_or_day() -> None:
    assert english(parse("lunes, miércoles y viernes a las 8", JAN_1)) == (
        "Every Monday, Wednesday and Friday at 08:00"
    )
    assert english(parse("first and third Monday and Wednesday at 18:00", JAN_1)) == (
        "The 1st and 3rd Monday and Wednesday of each month at 18:00"
    )
    # January 2026: Mondays 5 12 19 26, Wednesdays 7 14 21 28
    assert next_dates("first and third Monday and Wednesday at 18:00", tz="UTC") == [
        "2026-01-05 18:00",
        "2026-01-07 18:00",
        "2026-01-19 18:00",
        "2026-01-21 18:00",
    ]
    rule = parse("los días 1 y 15 y el último día de cada mes a las 9", JAN_1)
    assert english(rule) == "On day 1, day 15 and the last day of each month at 09:00"
    assert next_dates("the 1st, 15th and last day of the month at 9", tz="UTC") == [
        "2026-01-01 09:00",
        "2026-01-15 09:00",
        "2026-01-31 09:00",
        "2026-02-01 09:00",
    ]


def test_the_last_day_of_the_month() -> None:
    assert next_dates("the last day of the month at 8", tz="UTC") == [
        "2026-01-31 08:00",
        "2026-02-28 08:00",
        "2026-03-31 08:00",
        "2026-04-30 08:00",
    ]


# --- months without the day -------------------------------------------------


def test_a_fifth_weekday_is_allowed_and_months_without_one_are_skipped() -> None:
    # 2026 months with five Mondays: March (30), June (29), August (31), November (30)
    assert next_dates("5th Monday at 9", tz="UTC") == [
        "2026-03-30 09:00",
        "2026-06-29 09:00",
        "2026-08-31 09:00",
        "2026-11-30 09:00",
    ]


def test_the_31st_is_allowed_and_months_without_one_are_skipped() -> None:
    # February, April and June have no 31st
    assert next_dates("31st of every month at 9", count=5, tz="UTC") == [
        "2026-01-31 09:00",
        "2026-03-31 09:00",
        "2026-05-31 09:00",
        "2026-07-31 09:00",
        "2026-08-31 09:00",
    ]


def test_the_29th_of_february_only_in_leap_years() -> None:
    rule = parse("the 29th of every month at 9", date(2027, 2, 1))
    after = datetime(2027, 2, 1, tzinfo=UTC)
    assert [f"{d:%Y-%m-%d}" for d in occurrences(rule, "UTC", after, 2)] == [
        "2027-03-29",
        "2027-04-29",
    ]
    rule = parse("the 29th of every month at 9", date(2028, 2, 1))
    after = datetime(2028, 2, 1, tzinfo=UTC)
    assert [f"{d:%Y-%m-%d}" for d in occurrences(rule, "UTC", after, 1)] == ["2028-02-29"]


# --- every other week: the start date is the anchor -----------------------------


def test_every_other_week_counts_from_the_first_matching_day_on_or_after_the_start() -> None:
    start = date(2026, 1, 2)  # a Friday: the first Thursday from then is 8 January
    rule = parse("every other Thursday at 18:00", start)
    assert first_date(rule) == date(2026, 1, 8)
    assert english(rule) == "Every other Thursday at 18:00, starting 2026-01-08"
    assert parse("cada dos jueves a las 18:00", start) == rule
    dates = occurrences(rule, MADRID, NEW_YEAR, 3)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in dates] == [
        "2026-01-08 17:00",
        "2026-01-22 17:00",
        "2026-02-05 17:00",
    ]
    # Far from the start the parity holds: Jan 8 + 14k ... May 28, Jun 11, Jun 25 (CEST)
    after = datetime(2026, 6, 1, tzinfo=UTC)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in occurrences(rule, MADRID, after, 2)] == [
        "2026-06-11 16:00",
        "2026-06-25 16:00",
    ]


def test_every_other_week_with_two_weekdays_keeps_whole_weeks() -> None:
    # start Friday 2 January: the first matching day is Monday 5 January, so the
    # weeks of 5 and 19 January hold sittings, the week of 12 January does not
    rule = parse("every other week on Monday and Thursday at 9", date(2026, 1, 2))
    assert next_dates_of(rule, "UTC", 4) == [
        "2026-01-05 09:00",
        "2026-01-08 09:00",
        "2026-01-19 09:00",
        "2026-01-22 09:00",
    ]


def test_every_three_weeks() -> None:
    rule = parse("every 3 weeks on Friday at 9", JAN_1)  # first Friday: 2 January
    assert english(rule) == "Every 3 weeks on Friday at 09:00, starting 2026-01-02"
    assert next_dates_of(rule, "UTC", 3) == [
        "2026-01-02 09:00",
        "2026-01-23 09:00",
        "2026-02-13 09:00",
    ]


def next_dates_of(rule: Rule, tz: str, count: int, after: datetime = NEW_YEAR) -> list[str]:
    return [f"{d:%Y-%m-%d %H:%M}" for d in occurrences(rule, tz, after, count)]


def test_no_sitting_before_the_start_date() -> None:
    rule = parse("every Wednesday at 12:30", date(2026, 2, 1))
    assert next_dates_of(rule, "UTC", 1) == ["2026-02-04 12:30"]


# --- daylight saving ---------------------------------------------------------


def local(found: list[datetime], tz: str) -> list[str]:
    return [f"{d.astimezone(ZoneInfo(tz)):%Y-%m-%d %H:%M}" for d in found]


def test_madrid_keeps_17_30_across_both_switches() -> None:
    rule = parse("every day at 17:30", JAN_1)
    spring = occurrences(rule, MADRID, utc("2026-03-27 00:00"), 4)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in spring] == [
        "2026-03-27 16:30",
        "2026-03-28 16:30",
        "2026-03-29 15:30",  # clocks went forward that night
        "2026-03-30 15:30",
    ]
    assert set(f"{d.astimezone(ZoneInfo(MADRID)):%H:%M}" for d in spring) == {"17:30"}
    autumn = occurrences(rule, MADRID, utc("2026-10-24 00:00"), 3)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in autumn] == [
        "2026-10-24 15:30",
        "2026-10-25 16:30",  # clocks went back that night
        "2026-10-26 16:30",
    ]
    assert local(autumn, MADRID) == ["2026-10-24 17:30", "2026-10-25 17:30", "2026-10-26 17:30"]


def test_new_york_keeps_17_30_across_both_switches() -> None:
    rule = parse("every day at 17:30", JAN_1)
    spring = occurrences(rule, NEW_YORK, utc("2026-03-07 00:00"), 3)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in spring] == [
        "2026-03-07 22:30",
        "2026-03-08 21:30",
        "2026-03-09 21:30",
    ]
    autumn = occurrences(rule, NEW_YORK, utc("2026-10-31 00:00"), 3)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in autumn] == [
        "2026-10-31 21:30",
        "2026-11-01 22:30",
        "2026-11-02 22:30",
    ]
    assert local(spring + autumn, NEW_YORK) == [
        "2026-03-07 17:30",
        "2026-03-08 17:30",
        "2026-03-09 17:30",
        "2026-10-31 17:30",
        "2026-11-01 17:30",
        "2026-11-02 17:30",
    ]


def test_a_monthly_rule_across_the_spring_switch() -> None:
    rule = parse("2nd and 4th Tuesday at 17:30", JAN_1)
    # New York switched on 8 March: 10 and 24 March are already UTC-4
    assert next_dates_of(rule, NEW_YORK, 4, after=utc("2026-02-01 00:00")) == [
        "2026-02-10 22:30",
        "2026-02-24 22:30",
        "2026-03-10 21:30",
        "2026-03-24 21:30",
    ]
    # Madrid switches on 29 March: 24 March is still UTC+1, 14 April UTC+2
    assert next_dates_of(rule, MADRID, 3, after=utc("2026-03-15 00:00")) == [
        "2026-03-24 16:30",
        "2026-04-14 15:30",
        "2026-04-28 15:30",
    ]


def test_a_time_skipped_in_spring_moves_to_the_first_valid_time_after_it() -> None:
    # Madrid, 29 March: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist
    found = occurrences(parse("every day at 02:30", JAN_1), MADRID, utc("2026-03-27 12:00"), 3)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in found] == [
        "2026-03-28 01:30",
        "2026-03-29 01:00",  # 03:00 CEST, the moment of the jump
        "2026-03-30 00:30",
    ]
    assert local(found, MADRID) == ["2026-03-28 02:30", "2026-03-29 03:00", "2026-03-30 02:30"]
    # New York, 8 March (a Sunday): 02:00 EST jumps to 03:00 EDT
    found = occurrences(parse("every Sunday at 2:30", JAN_1), NEW_YORK, utc("2026-03-01 00:00"), 3)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in found] == [
        "2026-03-01 07:30",
        "2026-03-08 07:00",  # 03:00 EDT
        "2026-03-15 06:30",
    ]
    assert local(found, NEW_YORK) == ["2026-03-01 02:30", "2026-03-08 03:00", "2026-03-15 02:30"]


def test_a_time_repeated_in_autumn_is_the_first_of_the_two() -> None:
    # Madrid, 25 October: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET)
    found = occurrences(parse("every day at 02:30", JAN_1), MADRID, utc("2026-10-24 00:00"), 3)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in found] == [
        "2026-10-24 00:30",
        "2026-10-25 00:30",
        "2026-10-26 01:30",
    ]
    # New York, 1 November: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST)
    found = occurrences(parse("every day at 1:30", JAN_1), NEW_YORK, utc("2026-10-31 00:00"), 3)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in found] == [
        "2026-10-31 05:30",
        "2026-11-01 05:30",
        "2026-11-02 06:30",
    ]


def test_after_the_first_of_two_repeated_times_the_second_is_not_a_sitting() -> None:
    rule = parse("every day at 1:30", JAN_1)
    found = occurrences(rule, NEW_YORK, utc("2026-11-01 05:30"), 1)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in found] == ["2026-11-02 06:30"]


# --- what occurrences promises -------------------------------------------------


def test_occurrences_are_strictly_after_and_aware_utc() -> None:
    rule = parse("weekdays at 13:00", JAN_1)
    # Friday 2 January 13:00 Madrid is 12:00 UTC: a sitting exactly then is not "after"
    found = occurrences(rule, MADRID, utc("2026-01-02 12:00"), 2)
    assert [f"{d:%Y-%m-%d %H:%M}" for d in found] == ["2026-01-05 12:00", "2026-01-06 12:00"]
    assert all(d.tzinfo is UTC for d in found)


def test_after_may_be_given_in_any_timezone() -> None:
    rule = parse("every Wednesday at 12:30", JAN_1)
    madrid_noon = datetime(2026, 1, 7, 12, 0, tzinfo=ZoneInfo(MADRID))
    assert next_dates_of(rule, MADRID, 1, after=madrid_noon) == ["2026-01-07 11:30"]


def test_no_count_no_sittings_and_a_naive_after_is_a_programming_error() -> None:
    rule = parse("every day at 7", JAN_1)
    assert occurrences(rule, MADRID, NEW_YEAR, 0) == []
    with pytest.raises(ValueError):
        occurrences(rule, MADRID, datetime(2026, 1, 1), 1)


@pytest.mark.parametrize("text", [en for en, _, _, _ in PHRASES] + ["5th Monday at 2:30"])
@pytest.mark.parametrize("tz", [MADRID, NEW_YORK, "Australia/Lord_Howe", "UTC"])
def test_a_year_of_sittings_is_strictly_increasing(text: str, tz: str) -> None:
    found = occurrences(parse(text, JAN_1), tz, NEW_YEAR, 400)
    assert len(found) == 400
    assert found[0] > NEW_YEAR
    assert all(a < b for a, b in itertools.pairwise(found))


# --- bad input: a Refusal and nothing else ------------------------------------


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("3rd Funday at 9", "“Funday” is not understood here."),
        ("at 25:00", "25:00 is not a time of day: use 00:00 to 23:59."),
        ("every Monday at 24:00", "24:00 is not a time of day: use 00:00 to 23:59."),
        ("every Monday at 9:75", "9:75 is not a time of day: use 00:00 to 23:59."),
        ("every Monday at 13pm", "13pm is not a time of day: use 00:00 to 23:59."),
        ("los lunes a las 12 de la noche", "12 de la noche is not a time of day"),
        ("", "Say when ordinary sittings recur."),
        ("   ", "Say when ordinary sittings recur."),
        ("x" * 2000, "The sitting rule is too long: 2000 characters, at most 200."),
        ("every Monday", "Add the time of day, as in “at 17:30”."),
        ("every Monday at 9 and at 17:00", "Give one time of day only."),
        ("6th Monday at 9", "A month has at most five of each weekday"),
        ("the 32nd of every month at 9", "A month has days 1 to 31"),
        ("el día 0 de cada mes a las 9", "A month has days 1 to 31"),
        ("every 60 weeks on Monday at 9", "Repeat every 1 to 52 weeks."),
        (
            "every second Tuesday at 9",
            "That could mean every 2 weeks or the 2nd Tuesday of each month: "
            "write the one you mean.",
        ),
        ("cada tercer jueves a las 9", "That could mean every 3 weeks or the 3rd Thursday"),
        ("every other day at 9", "That rule is not understood."),
        ("Monday of the month at 9", "That rule is not understood."),
        ("every month at 9", "That rule is not understood."),
        ("at 9", "That rule is not understood."),
        ("15 at 9", "That rule is not understood."),
        ("every Monday at 9 #", "“#” is not understood here."),
        ("every Monday\x00 at 9", "The sitting rule contains a control character"),
        ("every Monday\u202e at 9", "The sitting rule contains hidden direction marks"),
    ],
)
def test_bad_input_gets_a_clear_refusal(text: str, answer: str) -> None:
    assert refusal(text).startswith(answer)


def test_a_refusal_says_what_forms_are_understood() -> None:
    for text in ("3rd Funday at 9", "", "every other day at 9"):
        assert "Write it like “2nd and 4th Tuesday at 17:30”" in refusal(text)


_SOUP = [  # words and pieces a member might type, good and bad
    "every", "other", "each", "the", "of", "at", "a", "las", "la", "y", "and", ",", "-",
    "to", "1st", "2nd", "5th", "31st", "32nd", "0", "7", "15", "99", "first", "last",
    "segundo", "último", "Monday", "martes", "Fri", "weekdays", "day", "días", "week",
    "weeks", "month", "mes", "monthly", "fortnightly", "cada", "todos", "dos", "two",
    "17:30", "9", "25:00", "9:5", "pm", "am", "h", "de", "tarde", "noche", "y", "media",
    "funday", "½", "٣", "²", "𐩀", "¿", "«", "@", "/", "&", "1.º", "1º", "00:00", "23:59",
    "24:00", "12", "13",
]  # fmt: skip
_HEADS = ["", "every", "cada", "every other", "todos los", "the", "el", "every 2 weeks on"]
_BODIES = [
    "Monday", "martes", "1st and 3rd Friday", "último jueves", "day 31", "15th", "5th Sunday",
    "weekdays", "día", "lunes a viernes", "last day", "2nd", "sábado y domingo", "Fri-Mon",
]  # fmt: skip
_TAILS = ["", "of the month", "de cada mes", "every month", "monthly", "every two weeks"]
_TIMES = ["at 9", "a las 17:30", "at 2:30", "at 1:30 am", "a las 7 de la tarde", "00:00", ""]


def _random_text(chance: random.Random) -> str:
    if chance.random() < 0.5:
        return " ".join(chance.choice(_SOUP) for _ in range(chance.randint(0, 9)))
    parts = (_HEADS, _BODIES, _TAILS, _TIMES)
    return " ".join(chance.choice(part) for part in parts)


def test_random_words_get_a_rule_or_a_refusal_and_never_another_error() -> None:
    chance = random.Random(20260101)
    rules = 0
    for _ in range(3000):
        text = _random_text(chance)
        start = JAN_1 + timedelta(days=chance.randint(0, 400))
        try:
            rule = parse(text, start)
        except Refusal as refused:
            assert not re.search(r"[{}]", render(refused.msg, "en")), text
            continue
        rules += 1
        assert Rule.from_json(rule.to_json()) == rule
        assert "{" not in english(rule)
        for tz in (MADRID, NEW_YORK):
            found = occurrences(rule, tz, NEW_YEAR, 5)
            assert len(found) == 5
            assert all(a < b for a, b in zip([NEW_YEAR, *found], found, strict=False)), text
            assert found[0].astimezone(ZoneInfo(tz)).date() >= start
    assert rules > 300  # the random texts do make rules, so both paths are exercised


# --- JSON ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [en for en, _, _, _ in PHRASES]
    + [
        "every 3 weeks on Monday and Friday at 8:05",
        "the 1st, 15th and last day of the month at 9",
        "1st and last Monday at 23:59",
    ],
)
def test_json_round_trip(text: str) -> None:
    rule = parse(text, date(2026, 2, 3))
    stored = json.loads(json.dumps(rule.to_json()))
    assert Rule.from_json(stored) == rule
    assert Rule.from_json(json.dumps(stored)) == rule


def test_json_is_readable() -> None:
    assert parse("2nd and last Tuesday at 17:30", JAN_1).to_json() == {
        "v": 1,
        "kind": "monthly_weekday",
        "time": "17:30",
        "start": "2026-01-01",
        "weekdays": ["tue"],
        "ordinals": [2, "last"],
    }
    assert parse("every other Thursday at 18:00", JAN_1).to_json() == {
        "v": 1,
        "kind": "weekly",
        "time": "18:00",
        "start": "2026-01-01",
        "weekdays": ["thu"],
        "interval": 2,
    }


_WEEKLY = {"v": 1, "kind": "weekly", "time": "09:00", "start": "2026-01-01", "weekdays": ["mon"]}
_BY_DAY = {"v": 1, "kind": "monthly_day", "time": "09:00", "start": "2026-01-01", "days": [1]}
_BY_WEEKDAY = {**_WEEKLY, "kind": "monthly_weekday", "ordinals": [1]}


@pytest.mark.parametrize(
    "data",
    [
        "not json",
        "[]",
        {},
        {**_WEEKLY, "v": 2},
        {**_WEEKLY, "kind": "yearly"},
        {**_WEEKLY, "time": "25:00"},
        {**_WEEKLY, "time": "9:00"},
        {**_WEEKLY, "start": "someday"},
        {**_WEEKLY, "weekdays": []},
        {**_WEEKLY, "weekdays": ["xyz"]},
        {**_WEEKLY, "weekdays": ["tue", "mon"]},
        {**_WEEKLY, "interval": 0},
        {**_WEEKLY, "ordinals": [1]},
        {**_BY_DAY, "days": [32]},
        {**_BY_DAY, "days": [True]},
        {**_BY_DAY, "days": ["first"]},
        {**_BY_DAY, "extra": 1},
        {**_BY_WEEKDAY, "ordinals": [6]},
        {**_BY_WEEKDAY, "ordinals": []},
        {**_BY_WEEKDAY, "interval": 2},
    ],
)
def test_from_json_refuses_what_to_json_never_writes(data: object) -> None:
    with pytest.raises(ValueError):
        Rule.from_json(data)  # type: ignore[arg-type]


def test_a_rule_is_immutable_and_checks_itself() -> None:
    rule = parse("every day at 7", JAN_1)
    with pytest.raises(AttributeError):
        rule.hour = 8  # type: ignore[misc]
    with pytest.raises(ValueError):
        Rule("monthly_day", 9, 0, JAN_1, days=(15, 1))  # not sorted
    with pytest.raises(ValueError):
        Rule("monthly_weekday", 9, 0, JAN_1, weekdays=(0,), ordinals=(LAST, 1))


# --- describe --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2nd and 4th Tuesday at 17:30",
        "last Friday at 16:00",
        "Mondays and Thursdays at 20:00",
        "the 1st, 15th and last day of the month at 9",
        "every day at 7",
        "weekdays at 13:00",
        "1st, 3rd and last Monday and Wednesday at 8",
    ],
)
def test_the_english_description_reads_back_as_the_same_rule(text: str) -> None:
    rule = parse(text, JAN_1)
    assert parse(english(rule), JAN_1) == rule


def test_describe_returns_translatable_pieces() -> None:
    msg = describe(parse("2nd and 4th Tuesday at 17:30", JAN_1))
    assert msg.key == "The {ordinals} {days} of each month at {time}"
    assert msg.params["days"].key == "Tuesday"
    assert msg.params["ordinals"].key == "{first} and {second}"
    assert msg.params["time"] == "17:30"


def test_start_may_be_given_as_a_datetime() -> None:
    moment = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)
    assert parse("every day at 7", moment) == parse("every day at 7", date(2026, 1, 2))
    assert first_date(parse("every day at 7", moment)) == date(2026, 1, 2)
