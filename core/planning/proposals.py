"""Member proposals in plain words, English or Spanish, turned into variant parameters.

A member writes what they want as they would say it: "close coal",
"+20% public transport", "bread -10%", "20% more bread", "35 hours",
"investment 25%", "public services 15%", "3 years"; or in Spanish "cerrar el
sector del carbón", "un 20% más de pan", "35 horas", "inversión 25%",
"servicios públicos 15%", "3 años". Several wishes go in one proposal,
separated by ";", "," or "and"/"y". Each becomes an edit of the variant the
proposal amends (the middle default unless the caller gives another).

A sector is found by its name, without regard to case or accents: the exact
name, an alias the federation gave, the only name containing the words, or
the only name whose words start with them. Anything else is refused with the
closest names, never guessed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from core.errors import Refusal
from core.planning.variants import Parameters, Request, SectorChange

NUMBER = r"(?P<num>\d+(?:[.,]\d+)?)"
ARTICLES = {"the", "el", "la", "los", "las", "de", "del", "of", "a", "an", "un", "una"}
SECTOR_WORDS = {"sector", "industry", "industria", "rama"}
CLOSE = re.compile(
    r"^(?:close down|close|shut down|shut|stop|cerrar|cierra|cierren|cierre|clausurar)"
    r"(?:\s+(?:the|el|la|los|las))?(?:\s+(?:sector|industry|industria|rama))?"
    r"(?:\s+(?:of|de|del))?\s+(?P<name>.+)$"
)
SIGN_FIRST = re.compile(
    rf"^(?P<sign>[+-])\s*{NUMBER}\s*%\s*(?:(?:of|de|del|en|in)\s+)?(?P<name>.+)$"
)
NAME_SIGN = re.compile(rf"^(?P<name>.+?)\s*(?P<sign>[+-])\s*{NUMBER}\s*%$")
MORE_LESS = re.compile(
    rf"^(?:un\s+)?{NUMBER}\s*%\s*(?P<dir>more|less|fewer|mas|menos)\s+"
    r"(?:(?:of|de|del)\s+)?(?P<name>.+)$"
)
VERB = re.compile(
    r"^(?P<verb>increase|raise|grow|expand|cut|reduce|lower|aumentar|aumenta|subir|sube|"
    r"ampliar|amplia|reducir|reduce|bajar|baja|recortar|recorta)\s+(?P<name>.+?)\s+"
    rf"(?:by|un|en|por)\s+{NUMBER}\s*%$"
)
DOWN = {"less", "fewer", "menos", "cut", "reduce", "lower", "reducir", "bajar", "baja", "recortar"}
DOWN |= {"recorta"}
HOURS = re.compile(rf"{NUMBER}\s*-?\s*(?:h|hrs?|hours?|horas?)(?=\W|$)")
HOURS_WORDS = {
    "work", "working", "week", "weekly", "a", "per", "por", "each", "cada", "la", "de", "of",
    "semana", "semanal", "semanales", "jornada", "laboral", "trabajo", "trabajar", "the", "al",
    "una", "un", "en", "hour", "hours", "horas", "h",
}  # fmt: skip
SHARE = re.compile(rf"{NUMBER}\s*%")
SHARE_WORDS = {
    "of", "the", "work", "de", "del", "la", "el", "trabajo", "share", "part", "parte", "in",
    "en", "to", "a", "into", "al", "put", "for", "para", "los", "las", "un", "una",
}  # fmt: skip
INVESTMENT_WORDS = {"invest", "investment", "investing", "inversion", "invertir", "invierte"}
PUBLIC_WORDS = {"public", "publico", "publica", "publicos", "publicas", "common", "comun"}
PUBLIC_WORDS |= {"services", "servicios", "consumption", "consumo", "gasto", "spending"}
YEARS = re.compile(r"(?P<num>\d+)\s*(?:years?|anos?)(?=\W|$)")
YEAR_WORDS = {"plan", "over", "for", "a", "de", "en", "horizon", "horizonte", "the", "el"}
YEAR_WORDS |= {"of", "para", "por", "un", "una", "in", "a", "years", "year", "anos", "ano"}
SPLIT = re.compile(r"\s*(?:;|\n|,(?!\d)|\band\b|\by\b)\s*")
EXAMPLES = "close coal; +20% bread; bread -10%; 35 hours; investment 25%; public services 15%"


@dataclass(frozen=True)
class SetHours:
    hours: float


@dataclass(frozen=True)
class SetShare:
    which: str  # "investment" or "public"
    share: float


@dataclass(frozen=True)
class SetHorizon:
    years: int


Edit = SetHours | SetShare | SetHorizon | SectorChange


@dataclass(frozen=True)
class Proposal:
    """A member's proposal: their words, who made it, and the edits read from them."""

    text: str
    edits: tuple[Edit, ...]
    proposer: str = ""

    def apply(self, base: Parameters) -> Parameters:
        """The parameters of the variant this proposal makes from ``base``."""
        out = base
        for edit in self.edits:
            out = _apply(out, edit)
        return out

    def request(self, base: Parameters) -> Request:
        """What ``variants.compute_all`` needs to compute this proposal's variant."""
        return Request(self.apply(base), origin=self.text, proposer=self.proposer)


def _apply(parameters: Parameters, edit: Edit) -> Parameters:
    if isinstance(edit, SetHours):
        return replace(parameters, hours=edit.hours)
    if isinstance(edit, SetHorizon):
        return replace(parameters, horizon=edit.years)
    if isinstance(edit, SetShare):
        if edit.which == "investment":
            return replace(parameters, investment=edit.share)
        return replace(parameters, public=edit.share)
    kept = tuple(c for c in parameters.changes if c.product != edit.product)
    return replace(parameters, changes=(*kept, edit))


def parse(
    text: str,
    products: Sequence[str],
    aliases: Mapping[str, str] | None = None,
    proposer: str = "",
) -> Proposal:
    """Read a proposal; refuse, naming the part not understood or the unknown sector."""
    edits: list[Edit] = []
    for clause in _clauses(text):
        edits += _clause_or_parts(clause, products, aliases or {})
    if not edits:
        raise Refusal("The proposal is empty. For example: {examples}", examples=EXAMPLES)
    return Proposal(text=text.strip(), edits=tuple(edits), proposer=proposer)


def _clauses(text: str) -> list[str]:
    """Split on semicolons and line breaks; commas and "and" are tried later."""
    return [c for c in re.split(r"\s*(?:;|\n)\s*", _normal(text)) if c]


def _clause_or_parts(
    clause: str, products: Sequence[str], aliases: Mapping[str, str]
) -> list[Edit]:
    """The clause as a whole (names may hold commas and "and"), else each of its parts."""
    try:
        return [_edit(clause, products, aliases)]
    except Refusal as whole:
        parts = [p for p in SPLIT.split(clause) if p]
        if len(parts) < 2:
            raise
        try:
            return [_edit(part, products, aliases) for part in parts]
        except Refusal:
            raise whole from None


def _normal(text: str) -> str:
    """Lower case, no accents, one kind of minus and percent sign, single spaces."""
    text = text.replace("\u2212", "-").replace("\u2013", "-").replace("\uff05", "%")
    return " ".join(_fold(text).split())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _edit(clause: str, products: Sequence[str], aliases: Mapping[str, str]) -> Edit:
    """One wish: a sector change, or else hours, a share or the horizon."""
    sector = _sector(clause, products, aliases)
    if sector is not None:
        return sector
    for reader in (_hours, _share, _horizon):
        edit = reader(clause)
        if edit is not None:
            return edit
    raise Refusal(
        "I cannot read '{text}' as a proposal. For example: {examples}",
        text=clause,
        examples=EXAMPLES,
    )


def _sector(clause: str, products: Sequence[str], aliases: Mapping[str, str]) -> Edit | None:
    match = CLOSE.match(clause)
    if match:
        return SectorChange(resolve(match["name"], products, aliases), 0.0)
    for pattern in (SIGN_FIRST, NAME_SIGN, MORE_LESS, VERB):
        match = pattern.match(clause)
        if match:
            percent = _number(match["num"])
            down = match.groupdict().get("sign") == "-" or _word(match, "dir", "verb") in DOWN
            factor = 1.0 - percent / 100 if down else 1.0 + percent / 100
            if factor < 0:
                raise Refusal("A sector cannot fall by more than 100%: {text}.", text=clause)
            return SectorChange(resolve(match["name"], products, aliases), factor)
    return None


def _word(match: re.Match[str], *groups: str) -> str:
    found = match.groupdict()
    return next((found[g] for g in groups if found.get(g)), "")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _words(clause: str, pattern: re.Pattern[str]) -> tuple[re.Match[str] | None, set[str]]:
    """The number pattern's match and the other words of the clause."""
    match = pattern.search(clause)
    if match is None:
        return None, set()
    rest = clause[: match.start()] + " " + clause[match.end() :]
    return match, set(re.findall(r"[a-z]+", rest))


def _hours(clause: str) -> Edit | None:
    match, rest = _words(clause, HOURS)
    if match is None or not rest <= HOURS_WORDS:
        return None
    return SetHours(_number(match["num"]))


def _share(clause: str) -> Edit | None:
    match, rest = _words(clause, SHARE)
    if match is None:
        return None
    share = _number(match["num"]) / 100
    if rest & INVESTMENT_WORDS and rest <= SHARE_WORDS | INVESTMENT_WORDS:
        return SetShare("investment", share)
    if rest & PUBLIC_WORDS and rest <= SHARE_WORDS | PUBLIC_WORDS:
        return SetShare("public", share)
    return None


def _horizon(clause: str) -> Edit | None:
    match, rest = _words(clause, YEARS)
    if match is None or not rest <= YEAR_WORDS:
        return None
    return SetHorizon(int(match["num"]))


# --- Finding a sector by name ------------------------------------------------------------------


def resolve(name: str, products: Sequence[str], aliases: Mapping[str, str] | None = None) -> str:
    """The product ``name`` means, or a refusal that offers the closest names."""
    table = _table(products, aliases or {})
    key = _key(name)
    if key in table:
        return table[key]
    for fits in (_containing, _prefixed):
        found = sorted({table[k] for k in table if fits(key, k)})
        if len(found) == 1:
            return found[0]
        if found:
            raise Refusal(
                "'{name}' fits several sectors: {options}. Which one?",
                name=name.strip(),
                options="; ".join(found[:5]),
            )
    close = difflib.get_close_matches(key, list(table), n=3, cutoff=0.5)
    if close:
        raise Refusal(
            "There is no sector called '{name}'. Did you mean: {options}?",
            name=name.strip(),
            options="; ".join(dict.fromkeys(table[k] for k in close)),
        )
    raise Refusal("There is no sector called '{name}' in these data.", name=name.strip())


def _table(products: Sequence[str], aliases: Mapping[str, str]) -> dict[str, str]:
    table = {_key(p): p for p in products}
    known = set(products)
    for alias, product in aliases.items():
        if product in known:
            table.setdefault(_key(alias), product)
    return table


def _key(name: str) -> str:
    """Words only, folded, without leading articles nor a leading or trailing "sector"."""
    words = re.findall(r"[a-z0-9]+", _fold(name))
    while words and (words[0] in ARTICLES or words[0] in SECTOR_WORDS):
        words = words[1:]
    while words and words[-1] in SECTOR_WORDS:
        words = words[:-1]
    return " ".join(words)


def _containing(key: str, name: str) -> bool:
    return bool(key) and f" {key} " in f" {name} "


def _prefixed(key: str, name: str) -> bool:
    words = name.split()
    wanted = key.split()
    return bool(wanted) and all(any(w.startswith(k) for w in words) for k in wanted)
