"""Finders of personal data in a text: spans with a kind and a confidence (issue 15, item 2).

Pure Python, no Django models and no database, so that the guard, the management command that scans old
responses and the benchmark all call the same function::

    from guard.finders import find
    for f in find(text, extra_terms=["skolevejen"]):
        f.kind, f.start, f.end, f.text, f.confidence

Kinds and what they find:

- ``cpr``: Danish CPR numbers, ``DDMMYY-SSSS``, ``DDMMYYSSSS`` and ``DDMMYY SSSS``, whose first six digits
  are a real date that is not in the future (``stdnum.dk.cpr.validate``). The modulus-11 check is *not*
  required: CPR numbers issued since 2007 need not pass it, and python-stdnum's ``validate`` does not
  apply it either. Ten digits inside a longer run of digits or after a case-number word are no CPR number.
- ``phone``: Danish numbers in their written forms (8 digits, in groups of 2 or 4 or none, optionally
  after +45, (+45) or 0045) found by a pattern and checked by ``phonenumbers.is_valid_number``, and other
  countries' numbers (+ or 00 and a country code) found by ``phonenumbers.PhoneNumberMatcher`` with
  ``Leniency.VALID``; except dates, year ranges, and numbers after a word that names another kind of
  number (sagsnr., CVR-nr., matr.nr., nr. …). Two Danish numbers separated by a space only are missed.
- ``email``: e-mail addresses.
- ``address``: a street name (a capitalised word ending in a Danish street suffix, or a two-word name like
  "Store Torv") with a house number, optional floor and side and optional postcode and town. A postcode
  and town alone is no finding: the portal publishes those on purpose.
- ``person``: one to three capitalised words next to a word that points at a private person (naboen,
  min søn, fru …). High confidence after hr./fru or for a name in brackets after the pointer, else low.
- ``sensitive``: words of health, social and criminal-record matters (GDPR art. 9 and 10) and the
  municipality's own terms: low-confidence hints.

Every pattern is linear: bounded quantifiers, no nested repetition, so a 10 MB text cannot make a regex
backtrack catastrophically. ``find`` keeps, of overlapping findings, the one of the kind listed first in
``KINDS`` (a CPR number wins over a phone number, an address over a person's name).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, get_args

import phonenumbers
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError

# Raised whenever a finder changes what it finds: responses and attachments scanned by an older version
# are scanned again by the daily task (guard.scan_tasks.rescan_outdated).
VERSION = "2026-11-30.1"

Kind = Literal["cpr", "email", "phone", "address", "person", "sensitive"]
Confidence = Literal["high", "low"]

# In order of priority: of two overlapping findings the one of the earlier kind is kept.
KINDS: tuple[Kind, ...] = get_args(Kind)
_PRIORITY: dict[str, int] = {kind: i for i, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    start: int
    end: int
    text: str
    confidence: Confidence


# Words just before a number that say it is a number of another kind (case, land register, company,
# a response's number, an account): the number is no CPR or phone number.
_OTHER_NUMBER = re.compile(
    r"(?<![\w.\-])(?:sags?\.?\s?nr|sagsnummer|j\.?\s?nr|journal\s?nr|journalnummer|matr|matrikel\s?nr|matrikelnummer|"
    r"cvr|se-?nr|ean|p-?nr|nr|reg|konto|kontonr|faktura|ordre|lokalplan|kommuneplan|varenummer|varenr|løbenummer)\.?(?:[\s-]?nr\.?)?[\s:.]*$",
    re.IGNORECASE,
)
_LOOKBACK = 24


def _after_other_number_word(text: str, start: int) -> bool:
    return _OTHER_NUMBER.search(text, max(0, start - _LOOKBACK), start) is not None


def _words(text: str) -> list[str]:
    return text.split()


# --- CPR -------------------------------------------------------------------------------------------------

# Six digits, an optional dash or space, four digits; not part of a longer number (nor of a date or an
# amount: no digit with a separator just before or after).
_CPR = re.compile(r"(?<![\d+])(?<!\d[-./,])(\d{6})[- ]?(\d{4})(?!\d)(?![-./,]\d)")


def find_cpr(text: str) -> Iterator[Finding]:
    for m in _CPR.finditer(text):
        number = m.group(1) + m.group(2)
        try:
            stdnum_cpr.validate(number)
        except ValidationError:
            continue
        if _after_other_number_word(text, m.start()):
            continue
        yield Finding("cpr", m.start(), m.end(), m.group(0), "high")


# --- E-mail ----------------------------------------------------------------------------------------------

_EMAIL_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-æøåÆØÅ")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9æøåÆØÅ](?:[A-Za-z0-9æøåÆØÅ-]{0,62}\.){1,6}[A-Za-z]{2,24}(?![\w@])")


def find_email(text: str) -> Iterator[Finding]:
    # Anchored at each "@": the local part is read backwards (at most 64 characters), the domain forwards
    # by a bounded pattern. Linear in the text, whatever it holds.
    at = text.find("@")
    while at != -1:
        start = at
        while start > 0 and at - start < 64 and text[start - 1] in _EMAIL_LOCAL_CHARS:
            start -= 1
        while start < at and text[start] in ".-":
            start += 1
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if start < at and domain is not None:
            end = domain.end()
            yield Finding("email", start, end, text[start:end], "high")
            at = text.find("@", end)
        else:
            at = text.find("@", at + 1)


# --- Phone -----------------------------------------------------------------------------------------------

# Danish numbers in their written forms: 8 digits, in groups of 4 or of 2 (one separator throughout),
# optionally after +45, (+45) or 0045; not part of a longer run of digits and groups.
_DK_PHONE = re.compile(
    r"(?<![\w+])(?<!\d[ .-])"
    r"(?:(?:\(\+45\)|\+45|0045) ?)?"
    r"(?:\d{8}|\d{4}[ -]\d{4}|\d\d([ .-])\d\d\1\d\d\1\d\d)"
    r"(?![ .-]?\d)(?!\w)"
)
# Numbers of other countries: "+" or "00" and a country code other than 45, then digits and separators
# (bounded). Only these stretches are handed to phonenumbers' matcher, which is slow on long texts.
_INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])(?:\+|00)(?!45)[1-9][\d ()-]{6,20}\d(?!\d)")
_DATE = re.compile(r"\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}")
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s?[-–/]\s?(?:19|20)\d\d")


def _is_valid_phone(raw: str, region: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(raw, region))
    except phonenumbers.NumberParseException:
        return False


def find_phone(text: str) -> Iterator[Finding]:
    for m in _DK_PHONE.finditer(text):
        raw = m.group(0)
        if _YEAR_RANGE.fullmatch(raw) or _DATE.fullmatch(raw) or _after_other_number_word(text, m.start()):
            continue
        if _is_valid_phone(raw.replace("(+45)", "+45"), "DK"):
            yield Finding("phone", m.start(), m.end(), raw, "high")
    for cand in _INTERNATIONAL_PHONE.finditer(text):
        if _after_other_number_word(text, cand.start()):
            continue
        matcher = phonenumbers.PhoneNumberMatcher(cand.group(0), "DK", leniency=phonenumbers.Leniency.VALID)
        for pm in matcher:
            start = cand.start() + pm.start
            yield Finding("phone", start, cand.start() + pm.end, pm.raw_string, "high")


# --- Address ---------------------------------------------------------------------------------------------

_STREET_SUFFIXES: tuple[str, ...] = tuple(
    _words(
        "vej vejen gade gaden allé alle stræde strædet vænge vænget park parken bakke bakken toft toften tofte "
        "høj højen torv torvet plads pladsen have haven sti stien løkke løkken eng engen agre ager lund lunden "
        "boulevard kvarter kvarteret gård gården vang vangen dal dalen hegn hegnet ly bro broen kaj kajen "
        "strand stranden mark marken holm holmen bjerg bjerget skov skoven huse husene krog krogen gyde gyden "
        "banke vold volden ring ringen kanal kanalen"
    )
)
# Words that begin a street's name of two or three words ("Gammel Kongevej", "Nørre Allé").
_STREET_PREFIXES = frozenset(
    _words(
        "gammel gl. store lille nørre søndre sønder vester øster nye ny kong dronning prins prinsesse "
        "sankt skt. sct. h.c. c.f. n.j. frederik christian kristian hans niels peter jens"
    )
)
_W = r"[A-ZÆØÅ][a-zæøåéü]{1,30}"
_ADDRESS = re.compile(
    # Up to two words before the street's last word: "Store Torv", "Gammel Køge Landevej", "H.C. Andersens".
    r"(?<![\w.])((?:(?:[A-ZÆØÅ][a-zæøåéü]{0,20}\.?|[A-ZÆØÅ]\.[A-ZÆØÅ]\.)[ -]){0,2}" + _W + r")"
    # The house number, with an optional letter ("12B", "12 B", "12b").
    r" (\d{1,3}(?:[a-zA-Z]|\s?[A-Z])?)(?![\d\w.,]\d)(?![\w])"
    # Floor and side: ", 2. th.", "st. tv.", "1. sal", "kl.".
    r"(?:,? (?:st|kl|kld|\d{1,2})\.(?: ?(?:th|tv|mf|sal)\b\.?)?)?"
    # Postcode and town: ", 2665 Vallensbæk Strand", ", 8000 Aarhus C".
    r"(?:,? \d{4} [A-ZÆØÅ][a-zæøåéü]{1,30}(?: (?:[A-ZÆØÅ][a-zæøåéü]{1,30}|[A-ZÆØ]{1,2}\b))?)?"
)
_PREFIX_WORD = re.compile(r"[A-ZÆØÅ.a-zæøåéü]+[ -]")


def _street_start(text: str, name_start: int, name_end: int) -> int | None:
    """Where the street's name begins inside the matched words, or None if they are no street."""
    words = [(m.start(), m.group(0)[:-1]) for m in _PREFIX_WORD.finditer(text, name_start, name_end)]
    last_start = words[-1][0] + len(words[-1][1]) + 1 if words else name_start
    last = text[last_start:name_end].lower()
    suffix = next((s for s in _STREET_SUFFIXES if last.endswith(s)), None)
    if suffix is None:
        return None
    if last == suffix:
        # The street's last word is a suffix alone ("Store Torv", "Nørre Allé"): the word before is part of
        # the name; without one it is no street ("Torvet 3 gange").
        return words[-1][0] if words else None
    # A compound ("Vestergade"): only known prefixes of street names go with it.
    start = last_start
    for word_start, word in reversed(words):
        if word.lower() not in _STREET_PREFIXES:
            break
        start = word_start
    return start


def find_address(text: str) -> Iterator[Finding]:
    for m in _ADDRESS.finditer(text):
        start = _street_start(text, m.start(1), m.end(1))
        if start is None:
            continue
        yield Finding("address", start, m.end(), text[start : m.end()], "high")


# --- Persons ---------------------------------------------------------------------------------------------

_POINTERS = (
    r"naboen|naboerne|nabo|genboen|underboen|overboen|min søn|min datter|min mand|min kone|min kæreste|"
    r"min bror|min søster|min mor|min far|min svigermor|min svigerfar|mit barn|vores søn|vores datter|"
    r"vores barn|vores nabo|min nabo|min genbo|min ven|min veninde|min kollega|min ekskone|min eksmand|"
    r"eleven|barnet|drengen|pigen|patienten|borgeren|beboeren|lejeren|udlejeren|ejeren|sagsbehandleren"
)
_HONORIFIC = r"hr\.|fru|frk\."
_NAME = r"[A-ZÆØÅ][a-zæøåéü]{1,20}(?:-[A-ZÆØÅ][a-zæøåéü]{1,20})?(?: [A-ZÆØÅ][a-zæøåéü]{1,20}){0,2}"
_PERSON_AFTER = re.compile(
    rf"(?<!\w)(?:(?P<hon>{_HONORIFIC})|(?P<ptr>{_POINTERS}))(?!\w) (?:(?P<par>\()?)(?P<name>{_NAME})(?(par)\))",
    re.IGNORECASE,
)
_PERSON_BEFORE = re.compile(
    rf"(?<![\w.])(?P<name>{_NAME}), (?:{_POINTERS}|der er min (?:nabo|søn|datter|mand|kone))(?!\w)",
)
_NAME_CASED = re.compile(_NAME)
# Capitalised words that begin a sentence or name a place, not a person.
_NOT_NAMES = frozenset(
    _words(
        "jeg du han hun vi de det den der dette denne og men som når hvis har er var kommunen kommune "
        "byrådet byråd formand formanden borgmester borgmesteren skolen vejen i på til fra med om"
    )
)


def _name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    # The pattern is case-insensitive for the pointer; the name must be capitalised word by word.
    m = _NAME_CASED.match(text, start, end)
    if m is None:
        return None
    words = m.group(0).split(" ")
    if words[0].lower() in _NOT_NAMES:
        return None
    # Stop before the first word that is no name ("naboen Hans Og ..." is rare; "Hans Det" is not).
    kept = 1
    while kept < len(words) and words[kept].lower() not in _NOT_NAMES:
        kept += 1
    return start, start + len(" ".join(words[:kept]))


def find_person(text: str) -> Iterator[Finding]:
    for m in _PERSON_AFTER.finditer(text):
        span = _name_span(text, m.start("name"), m.end("name"))
        if span is None:
            continue
        high = m.group("hon") is not None or m.group("par") is not None
        yield Finding("person", span[0], span[1], text[span[0] : span[1]], "high" if high else "low")
    for m in _PERSON_BEFORE.finditer(text):
        span = _name_span(text, m.start("name"), m.end("name"))
        if span is None or " " not in text[span[0] : span[1]]:
            continue
        yield Finding("person", span[0], span[1], text[span[0] : span[1]], "low")


# --- Sensitive words (GDPR art. 9 and 10) ----------------------------------------------------------------

# Stems; a word that begins with one is a hint ("diagnosen", "depressiv", "straffeattest").
SENSITIVE_STEMS: tuple[str, ...] = (
    # Health
    "diagnose",
    "diagnosticeret",
    "adhd",
    "autis",
    "asperger",
    "depression",
    "depressiv",
    "angst",
    "skizofren",
    "bipolar",
    "psykiatri",
    "psykisk syg",
    "psykolog",
    "kræft",
    "cancer",
    "sclerose",
    "epilepsi",
    "diabet",
    "handicap",
    "sygemeld",
    "indlagt",
    "medicin",
    "demens",
    "alzheimer",
    "gravid",
    "abort",
    "spiseforstyrrelse",
    "ordblind",
    "funktionsnedsættelse",
    # Social
    "misbrug",
    "alkoholi",
    "narkoman",
    "anbragt",
    "anbringelse",
    "tvangsfjern",
    "underretning",
    "kontanthjælp",
    "førtidspension",
    "dagpenge",
    "sygedagpenge",
    "jobafklaring",
    "ressourceforløb",
    "bostøtte",
    "hjemløs",
    "skilsmisse",
    "forældremyndighed",
    "familiebehandling",
    "seksuel",
    "homoseksuel",
    "religion",
    "fagforening",
    # Criminal records
    "dømt",
    "straffet",
    "straffeattest",
    "fængsel",
    "fængslet",
    "afsoner",
    "afsoning",
    "sigtet",
    "tiltalt",
    "anholdt",
    "politianmeld",
    "voldelig",
    "tyveri",
    "kriminel",
    "kriminalitet",
)


def _stems_pattern(stems: Iterable[str]) -> re.Pattern[str]:
    # Longest first, so that the alternation prefers "straffeattest" to "straffe"; each stem ends the match
    # at the end of its word ({0,20}: bounded).
    ordered = sorted({s.strip().lower() for s in stems if s.strip()}, key=len, reverse=True)
    body = "|".join(re.escape(s) for s in ordered)
    return re.compile(rf"(?<!\w)(?:{body})\w{{0,20}}", re.IGNORECASE)


# Short words that are hints only as words of their own ("dommer", "voldsomt", "address" are not).
SENSITIVE_WORDS: tuple[str, ...] = ("add", "hiv", "dom", "vold", "voldtægt", "voldtaget")

_SENSITIVE = _stems_pattern(SENSITIVE_STEMS)
_SENSITIVE_WORD = re.compile(r"(?<!\w)(?:" + "|".join(SENSITIVE_WORDS) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=64)
def _extra_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = [t for t in terms if t.strip()]
    if not cleaned:
        return None
    return _stems_pattern(cleaned)


def find_sensitive(text: str, extra_terms: Sequence[str] = ()) -> Iterator[Finding]:
    patterns = [_SENSITIVE, _SENSITIVE_WORD]
    extra = _extra_pattern(tuple(extra_terms))
    if extra is not None:
        patterns.append(extra)
    for pattern in patterns:
        for m in pattern.finditer(text):
            yield Finding("sensitive", m.start(), m.end(), m.group(0), "low")


# --- All -------------------------------------------------------------------------------------------------


def find(text: str, extra_terms: Sequence[str] = ()) -> list[Finding]:
    """Every finding in ``text``, sorted by start; of overlapping findings the higher-priority one kept."""
    found: list[Finding] = [
        *find_cpr(text),
        *find_email(text),
        *find_phone(text),
        *find_address(text),
        *find_person(text),
        *find_sensitive(text, extra_terms),
    ]
    found.sort(key=lambda f: (_PRIORITY[f.kind], f.start, -f.end))
    starts: list[int] = []
    kept: list[Finding] = []
    for f in found:
        i = bisect.bisect_left(starts, f.start)
        if i > 0 and kept[i - 1].end > f.start:
            continue
        if i < len(kept) and kept[i].start < f.end:
            continue
        starts.insert(i, f.start)
        kept.insert(i, f)
    return kept
