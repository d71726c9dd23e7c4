"""The site-wide search: strategies, sections, goals, themes, hearings and published responses.

On PostgreSQL it is a full text search in the 'danish' configuration ("skolerne" finds "skole"): each
model's document is the expression its GIN index is built on (``search_document``), the hits of all
kinds are one ranked UNION ALL, and the page's snippets are made by ``ts_headline`` in one more query.
On the demo's embedded SQLite database the same UNION is a substring match instead.

A snippet is cut from the text a reader sees: the Markdown fields (a strategy's body, a hearing's intro)
are rendered and stripped of tags first (``markdown_text``, for the hits of the page only), so no ``##``
or ``*`` of their source shows; the highlight marks are then the only markup in it.

Whatever the database, only what a citizen may read is ever found: nothing of a draft strategy, and
of the responses only the published ones.

Query count of a page: the count, the page, and (PostgreSQL) the snippets; never one per hit.
"""

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import BigIntegerField, F, FloatField, IntegerField, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hearings.models import HEARING_SEARCH, RESPONSE_SEARCH, Hearing, Response
from portal.markdown import markdown_text
from portal.search_vector import SEARCH_CONFIG, search_document
from strategies.models import (
    GOAL_SEARCH,
    SECTION_SEARCH,
    STRATEGY_SEARCH,
    THEME_SEARCH,
    Goal,
    Section,
    Strategy,
    Theme,
)

RESULTS_PER_PAGE = 10
# ts_headline marks the matched words with these; the snippet is escaped and only then are they turned
# into <mark>, so nothing a citizen wrote can ever become markup.
START, STOP = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f'StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'
)
SNIPPET_CHARS = 220


class ResultKind(models.TextChoices):
    STRATEGY = "strategy", gettext_lazy("Strategier")
    SECTION = "section", gettext_lazy("Dele af strategier")
    GOAL = "goal", gettext_lazy("Målsætninger")
    THEME = "theme", gettext_lazy("Temaer")
    HEARING = "hearing", gettext_lazy("Høringer")
    RESPONSE = "response", gettext_lazy("Høringssvar")


@dataclass
class SearchFilter:
    query: str = ""
    municipality_id: int | None = None
    kind: str = ""  # one of ResultKind, or '' for all
    state: str = ""  # one of Hearing.State, or '' for all


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    municipality: str
    context: str
    snippet: SafeString = field(default_factory=lambda: mark_safe(""))  # noqa: S308 (empty)

    @property
    def kind_label(self) -> str:
        return SINGULAR[self.kind]


SINGULAR = {
    ResultKind.STRATEGY: gettext_lazy("Strategi"),
    ResultKind.SECTION: gettext_lazy("Del af strategi"),
    ResultKind.GOAL: gettext_lazy("Målsætning"),
    ResultKind.THEME: gettext_lazy("Tema"),
    ResultKind.HEARING: gettext_lazy("Høring"),
    ResultKind.RESPONSE: gettext_lazy("Høringssvar"),
}


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


# --- The branches of the UNION ----------------------------------------------------------------
# Every branch selects the same columns, in the same order, all as annotations (so that their order is
# the order given to values_list()).
COLUMNS = (
    "hit_kind", "hit_id", "hit_rank", "hit_title", "hit_doc", "hit_municipality", "hit_municipality_slug",
    "hit_strategy_slug", "hit_section_slug", "hit_hearing", "hit_number", "hit_label_word", "hit_context",
    "hit_markdown",
)  # fmt: skip


def _text(value: str):
    return Value(value, output_field=TextField())


def _doc(fields: list[str], separator: str = " "):
    """The fields joined by ``separator`` (NULL for no fields)."""
    if not fields:
        return Cast(Value(None), TextField())
    if len(fields) == 1:
        return Cast(F(fields[0]), TextField())
    parts = []
    for name in fields:
        parts += [F(name), Value(separator)]
    return Concat(*parts[:-1], output_field=TextField())


def _matching(queryset: QuerySet, spec: tuple, search_filter: SearchFilter) -> QuerySet:
    """``queryset`` narrowed to the hits of ``search_filter.query`` and annotated with ``hit_rank``."""
    primary, secondary = spec
    if uses_full_text_search():
        query = SearchQuery(search_filter.query, config=SEARCH_CONFIG, search_type="websearch")
        document = search_document(primary, secondary)
        return queryset.annotate(hit_vector=document, hit_rank=SearchRank(document, query)).filter(
            hit_vector=query
        )
    condition = Q()
    for word in search_filter.query.split():
        word_q = Q()
        for name in [*primary, *(secondary or [])]:
            word_q |= Q(**{f"{name}__icontains": word})
        condition &= word_q
    return queryset.filter(condition).annotate(hit_rank=Value(1.0, output_field=FloatField()))


@dataclass(frozen=True)
class Source:
    """Where the hits of one kind come from, and the paths from its model to what a hit shows."""

    queryset: Callable[[], QuerySet]  # only what a citizen may read
    spec: tuple  # the fields of its search document, as its GIN index has them
    title: str
    document: list[str]  # the plain text fields the snippet is cut from
    municipality: str  # path to the municipality
    strategy: str  # path to the strategy ('' for the strategy itself)
    section_slug: str | None = None
    hearing: str | None = None  # path to the hearing's id (hearings and responses)
    number: str | None = None
    label_word: str | None = None  # path to the strategy's word for its parts ("delvision")
    context: tuple[str, ...] = ()  # fields joined by " · " under the title
    markdown: tuple[str, ...] = ()  # the Markdown fields the snippet is cut from, after ``document``


def _public(path: str) -> dict:
    return {f"{path}status__in": Strategy.public_statuses()}


SOURCES = {
    ResultKind.STRATEGY: Source(
        queryset=lambda: Strategy.objects.public(),
        spec=STRATEGY_SEARCH, title="title", document=["subtitle"], markdown=("intro", "body", "closing"),
        municipality="municipality", strategy="", context=("subtitle",),
    ),
    ResultKind.SECTION: Source(
        queryset=lambda: Section.objects.filter(**_public("strategy__")),
        spec=SECTION_SEARCH, title="title",
        document=["tagline"], markdown=("intro", "hearing_intro", "body", "goals_intro", "themes_intro"),
        municipality="strategy__municipality", strategy="strategy__", section_slug="slug",
        number="number", label_word="strategy__section_label_singular", context=("strategy__title",),
    ),
    ResultKind.GOAL: Source(
        queryset=lambda: Goal.objects.filter(**_public("section__strategy__")),
        spec=GOAL_SEARCH, title="text", document=["text"],
        municipality="section__strategy__municipality", strategy="section__strategy__",
        section_slug="section__slug", context=("section__strategy__title", "section__title"),
    ),
    ResultKind.THEME: Source(
        queryset=lambda: Theme.objects.filter(**_public("section__strategy__")),
        spec=THEME_SEARCH, title="question", document=["question", "sub_questions"],
        municipality="section__strategy__municipality", strategy="section__strategy__",
        section_slug="section__slug", context=("section__strategy__title", "section__title"),
    ),
    ResultKind.HEARING: Source(
        queryset=lambda: Hearing.objects.public(),
        spec=HEARING_SEARCH, title="title", document=[], markdown=("intro",),
        municipality="strategy__municipality", strategy="strategy__", hearing="pk",
        context=("strategy__title",),
    ),
    ResultKind.RESPONSE: Source(
        queryset=lambda: Response.objects.published().filter(**_public("hearing__strategy__")),
        spec=RESPONSE_SEARCH, title="hearing__title", document=["text"],
        municipality="hearing__strategy__municipality", strategy="hearing__strategy__", hearing="hearing_id",
        number="number", context=("hearing__title",),
    ),
}  # fmt: skip


def _column(path: str | None, output_field):
    return Cast(F(path), output_field) if path else Cast(Value(None), output_field)


def _context(fields: tuple[str, ...]):
    if len(fields) == 1:
        return Cast(F(fields[0]), TextField())
    parts = []
    for name in fields:
        parts += [F(name), Value(" · ")]
    return Concat(*parts[:-1], output_field=TextField())


def _branch(kind: str, now: dt.datetime, search_filter: SearchFilter) -> QuerySet:
    source = SOURCES[kind]
    queryset = source.queryset()
    if search_filter.municipality_id:
        queryset = queryset.filter(**{f"{source.municipality}_id": search_filter.municipality_id})
    if search_filter.state in Hearing.State.values:
        in_state = getattr(Hearing.objects, search_filter.state)(now)
        if source.hearing:  # hearings and responses: their hearing is in that state
            queryset = queryset.filter(**{f"{source.hearing}__in": in_state.values("pk")})
        else:  # strategy content: its strategy has a hearing in that state
            strategy_id = f"{source.strategy}pk" if source.strategy else "pk"
            queryset = queryset.filter(**{f"{strategy_id}__in": in_state.values("strategy_id")})
    return (
        _matching(queryset, source.spec, search_filter)
        .annotate(
            hit_kind=_text(str(kind)),
            hit_id=F("pk"),
            hit_title=Cast(F(source.title), TextField()),
            hit_doc=_doc(source.document),
            hit_municipality=Cast(F(f"{source.municipality}__name"), TextField()),
            hit_municipality_slug=Cast(F(f"{source.municipality}__slug"), TextField()),
            hit_strategy_slug=Cast(F(f"{source.strategy}slug"), TextField()),
            hit_section_slug=_column(source.section_slug, TextField()),
            hit_hearing=_column(source.hearing, BigIntegerField()),
            hit_number=_column(source.number, IntegerField()),
            hit_label_word=_column(source.label_word, TextField()),
            hit_context=_context(source.context),
            # A blank line between the fields, so each is still Markdown of its own ("## …" at a line start).
            hit_markdown=_doc(list(source.markdown), "\n\n"),
        )
        .order_by()  # no model ordering inside the UNION (SQLite refuses it)
        .values_list(*COLUMNS)
    )


def hits(search_filter: SearchFilter, *, now: dt.datetime | None = None) -> QuerySet:
    """Every hit of ``search_filter`` as rows of ``COLUMNS``, best first."""
    now = now or timezone.now()
    kinds = [search_filter.kind] if search_filter.kind in ResultKind.values else list(ResultKind.values)
    branches = [_branch(kind, now, search_filter) for kind in kinds]
    union = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    return union.order_by("-hit_rank", "hit_kind", "hit_id")


# --- Snippets ---------------------------------------------------------------------------------
MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)


def mark_highlights(headline: str) -> SafeString:
    """``headline`` with its START…STOP pairs as <mark>…</mark>, and everything else escaped."""
    escaped = escape(headline)
    marked = MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(START, "").replace(STOP, ""))  # noqa: S308 (escaped above)


def _headlines(documents: list[str], query: str) -> list[SafeString]:
    """The snippets of the plain text ``documents`` by ts_headline, in one query.

    ts_headline's parser reads anything like a tag as markup: it leaves ``<script>`` out of the headline
    and treats the words after it as blank. So it is given the documents escaped (``&lt;`` is a word
    to it), and its headlines are unescaped back to text before ``mark_highlights`` escapes them for the
    page."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_headline(%s::regconfig, d, websearch_to_tsquery(%s::regconfig, %s), %s) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS t(d, n) ORDER BY n",
            [SEARCH_CONFIG, SEARCH_CONFIG, query, HEADLINE_OPTIONS, [escape(d) for d in documents]],
        )
        return [mark_highlights(html.unescape(row[0] or "")) for row in cursor.fetchall()]


def _simple_snippet(document: str, query: str) -> SafeString:
    """The demo's snippet: the text around the first word found, the words marked."""
    words = [re.escape(w) for w in query.split() if w]
    text = " ".join(document.split())
    found = re.search("|".join(words), text, re.IGNORECASE) if words else None
    start = max(0, found.start() - SNIPPET_CHARS // 3) if found else 0
    cut = Truncator(text[start:]).chars(SNIPPET_CHARS)
    if start:
        cut = "…" + cut
    if words:
        cut = re.sub(f"({'|'.join(words)})", f"{START}\\1{STOP}", cut, flags=re.IGNORECASE)
    return mark_highlights(cut)


def _document(row: dict) -> str:
    """The plain text a hit's snippet is cut from, on one line: its plain fields, then the text of its
    Markdown fields as their pages show it."""
    text = " ".join(f"{row['hit_doc'] or ''} {markdown_text(row['hit_markdown'])}".split())
    return text or row["hit_title"] or ""


def _url(row: dict) -> str:
    kind = row["hit_kind"]
    if kind == ResultKind.HEARING:
        return reverse("hearings:detail", kwargs={"pk": row["hit_hearing"]})
    if kind == ResultKind.RESPONSE:
        return reverse("hearings:response", kwargs={"pk": row["hit_hearing"], "number": row["hit_number"]})
    strategy = {"municipality": row["hit_municipality_slug"], "strategy": row["hit_strategy_slug"]}
    if kind == ResultKind.STRATEGY:
        return reverse("strategies:strategy", kwargs=strategy)
    url = reverse("strategies:section", kwargs={**strategy, "section": row["hit_section_slug"]})
    return url + {ResultKind.GOAL: "#goals-heading", ResultKind.THEME: "#themes-heading"}.get(kind, "")


def _hit(row: dict, snippet: SafeString) -> Hit:
    kind = row["hit_kind"]
    title = row["hit_title"] or ""
    if kind == ResultKind.RESPONSE:
        title = _("Høringssvar nr. %(number)s: %(hearing)s") % {"number": row["hit_number"], "hearing": title}
    elif kind == ResultKind.SECTION and row["hit_label_word"]:  # as the strategy names it: "Delvision 5: …"
        title = f"{Section.label_of(row['hit_label_word'], row['hit_number'])}: {title}"
    return Hit(
        kind=kind,
        title=Truncator(title).chars(160),
        url=_url(row),
        municipality=row["hit_municipality"] or "",
        context=row["hit_context"] or "",
        snippet=snippet,
    )


def search(search_filter: SearchFilter, *, page: int | str = 1, now: dt.datetime | None = None) -> Page:
    """One page of the hits of ``search_filter``; ``page.hits`` are the page's ``Hit``s."""
    paginator = Paginator(hits(search_filter, now=now), RESULTS_PER_PAGE)
    result = paginator.get_page(page)
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in result.object_list]
    documents = [_document(row) for row in rows]
    if not rows:
        snippets = []
    elif uses_full_text_search():
        snippets = _headlines(documents, search_filter.query)
    else:
        snippets = [_simple_snippet(document, search_filter.query) for document in documents]
    result.hits = [_hit(row, snippet) for row, snippet in zip(rows, snippets, strict=True)]
    return result
