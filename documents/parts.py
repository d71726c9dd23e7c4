"""The hearing summary rendered in parts, in parallel, reusing the parts whose content did not change.

A summary of 10,000 responses is about 4,000 pages, and WeasyPrint lays out some ten pages a second on
one core. So the summary is not one WeasyPrint document but several:

- the *front* (cover and table of contents), made last, once the page of every heading is known;
- the *statistics* (counts and charts);
- *response parts*: the responses grouped by target in the strategy's order, cut into runs of about
  ``RESPONSES_PER_PART``; every section starts a new part, and inside a section the cuts fall where a
  response's number hashes to a boundary (content-defined chunking), so that a new, hidden or edited
  response changes one part and leaves the cuts of every other part where they were;
- *appendix parts*: the respondents in alphabetical order, cut the same way.

Each part is HTML from the same templates as the whole document, and its PDF is stored under the SHA-256
of its data and of those templates: a part whose content is unchanged is never rendered again. Missing parts are rendered in
parallel processes (``DOCUMENT_RENDER_PROCESSES``, default one per core). The parts then become one
tagged PDF with pikepdf (qpdf): their pages, structure trees (PDF/UA), named destinations and links are
joined, the outline is made anew, and every page gets the furniture (running head and foot, "UDKAST")
and "Side X af Y", drawn as artifacts. Parts carry no page furniture, so a part is independent of the
page it lands on, the document's length and the hearing's draft state.
"""

import concurrent.futures
import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .join import DEST_PREFIX, join
from .pdf import render_tagged, weasyprint_html

RESPONSES_PER_PART = 100  # average; a part holds 25 to 250 responses
RESPONDENTS_PER_PART = 500  # average; 100 to 1,500 appendix lines


# --- Cutting the content into parts --------------------------------------------------------------------


def _is_boundary(key: str, average: int) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % average == 0


def cut(rows: list, *, key, average: int, minimum: int, maximum: int) -> list[list]:
    """Runs of rows, cut after a row whose key hashes to a boundary (and at least ``minimum`` rows in),
    or at ``maximum`` rows. Inserting or removing a row moves no cut outside its own run."""
    runs, run = [], []
    for row in rows:
        run.append(row)
        if len(run) >= maximum or (len(run) >= minimum and _is_boundary(key(row), average)):
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def response_runs(groups: list[dict]) -> list[list[dict]]:
    """The response parts' items: headings, "(fortsat)" lines and responses (or, in the summary by topic,
    the groups' ``items``: responses, campaigns' shared texts and their members). A part starts at the
    whole strategy and at each section (levels 1 and 2); goals and themes (level 3) flow on inside it."""
    sections: list[list[tuple[dict, dict | None]]] = []
    for group in groups:
        if group["level"] < 3 or not sections:
            sections.append([])
        sections[-1].append((group, None))
        items = group["items"] if "items" in group else [{"response": r} for r in group["responses"]]
        sections[-1].extend((group, item) for item in items)
    runs = []
    for rows in sections:
        for run in cut(rows, key=_row_key, average=RESPONSES_PER_PART, minimum=RESPONSES_PER_PART // 4,
                       maximum=RESPONSES_PER_PART * 5 // 2):  # fmt: skip
            items = []
            first = run[0][1]
            if first is not None:  # a run that begins inside a group says whose responses follow
                items.append({"continued": _heading(run[0][0])})
                if "member" in first:  # and inside a campaign, which
                    items.append({"continued_campaign": first["member"]["campaign"]})
            for group, item in run:
                items.append(item if item else {"heading": _heading(group)})
            runs.append(items)
    return runs or [[]]


def _row_key(row: tuple[dict, dict | None]) -> str:
    group, item = row
    if item is None:
        return f"h{group['anchor']}"
    if "campaign" in item:
        return f"c{item['campaign']['shared']}"
    return f"r{(item.get('response') or item['member'])['number']}"


def _heading(group: dict) -> dict:
    """A group as its heading shows it: not its responses, which are items of their own."""
    return {"level": group["level"], "title": group["title"], "anchor": group["anchor"]}


def respondent_runs(respondents: list[tuple]) -> list[list[tuple]]:
    return cut(respondents, key=lambda row: f"{row[0]}|{row[2]}", average=RESPONDENTS_PER_PART,
               minimum=RESPONDENTS_PER_PART // 5, maximum=RESPONDENTS_PER_PART * 3) or [[]]  # fmt: skip


# --- Rendering parts ------------------------------------------------------------------------------------


@dataclass
class Part:
    """One part: what its template is given (``data``), and once rendered its PDF, page count and the
    page index of each HTML id in it."""

    data: dict
    pdf: bytes | None = None
    pages: int = 0
    anchors: dict[str, int] = field(default_factory=dict)

    @functools.cached_property
    def key(self) -> str:
        """The same data through the same templates gives the same PDF: the key of the stored part."""
        return hashlib.sha256(json.dumps([_templates_digest(), self.data], sort_keys=True, ensure_ascii=False,
                                         default=str).encode()).hexdigest()  # fmt: skip

    def html(self) -> str:
        with translation.override("da"):
            return render_to_string("documents/summary_part.html", self.data)


PART_TEMPLATES = [
    "documents/summary_part.html", "documents/base.html", "documents/includes/summary_front.html",
    "documents/includes/summary_stats.html", "documents/includes/summary_responses.html",
    "documents/includes/summary_appendix.html", "documents/includes/summary_intro.html",
    "documents/includes/summary_topic.html", "documents/includes/summary_changes.html",
    "documents/includes/summary_untopiced.html",
]  # fmt: skip
PART_STATIC = ["css/print.css"]


@functools.cache
def _templates_digest() -> str:
    digest = hashlib.sha256()
    for path in [get_template(name).origin.name for name in PART_TEMPLATES] + [
        finders.find(name) for name in PART_STATIC
    ]:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def render_part(html: str, *, title: str = "", author: str = "") -> tuple[bytes, int, dict[str, int]]:
    """One part as a tagged PDF/UA-1 document, its page count and the page of each id (also run in the
    pool's processes)."""
    pdf, pages = render_tagged(html, title=title, author=author)
    return pdf, len(pages), {name: i for i, page in reversed(list(enumerate(pages))) for name in page.anchors}


def _store_path(hearing_id: int, key: str, suffix: str = "pdf") -> str:
    return f"documents/parts/{hearing_id}/{key}.{suffix}"


def render_parts(parts: list[Part], *, hearing_id: int, processes: int | None = None) -> int:
    """Fill in each part: from the store if it was rendered before, else rendered (in parallel when more
    than one is missing) and stored. Returns how many were rendered."""
    missing = []
    for part in parts:
        try:
            with default_storage.open(_store_path(hearing_id, part.key, "json"), "rb") as stored:
                info = json.loads(stored.read())
            with default_storage.open(_store_path(hearing_id, part.key), "rb") as stored:
                part.pdf = stored.read()
            part.pages, part.anchors = info["pages"], info["anchors"]
        except (FileNotFoundError, ValueError):  # not rendered yet, or removed meanwhile: render it
            missing.append(part)
    unique = list({part.key: part for part in missing}.values())
    if processes is None:
        # In a request (the demo's in-process tasks) there are other threads to fork beside: one process,
        # unless the setting says otherwise.
        processes = settings.DOCUMENT_RENDER_PROCESSES or (
            1 if settings.CELERY_TASK_ALWAYS_EAGER else os.cpu_count()
        )
    processes = min(processes or 1, len(unique))
    htmls = [part.html() for part in unique]
    rendered = {}
    with contextlib.ExitStack() as stack:
        if processes > 1:
            # Forked processes only lay out HTML. They never touch the database connection they inherit
            # and end with os._exit, so it is neither used nor closed under the parent's feet.
            pool = stack.enter_context(concurrent.futures.ProcessPoolExecutor(
                max_workers=processes, mp_context=multiprocessing.get_context("fork")))  # fmt: skip
            results = pool.map(render_part, htmls)
        else:
            results = map(render_part, htmls)
        # Each part is stored as soon as it is done, so a render that is stopped keeps what it made.
        for part, (pdf, pages, anchors) in zip(unique, results, strict=True):
            default_storage.save(_store_path(hearing_id, part.key, "json"),
                                 ContentFile(json.dumps({"pages": pages, "anchors": anchors}).encode()))  # fmt: skip
            default_storage.save(_store_path(hearing_id, part.key), ContentFile(pdf))
            rendered[part.key] = (pdf, pages, anchors)
    for part in missing:
        part.pdf, part.pages, part.anchors = rendered[part.key]
    return len(rendered)


def remove_unused_parts(hearing_id: int, keep: set[str]) -> None:
    directory = f"documents/parts/{hearing_id}"
    try:
        _dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        if name.rsplit(".", 1)[0] not in keep:
            default_storage.delete(f"{directory}/{name}")


def plan(context: dict) -> list[Part]:
    """The summary's parts after the front, in order: statistics, responses, appendix; by topic:
    introduction, one part per topic, the changes, the responses without a topic (a draft's), then the
    responses and the respondents as appendices. A part's data is all it shows, so a part is rendered
    again only when something it shows changed (a topic's part: its own texts and responses' numbers)."""
    content = context["content"]
    shared = {
        "content": {
            "hearing": {"title": content["hearing"]["title"]},
            "municipality": {"name": content["municipality"]["name"]},
        }
    }
    if not context.get("by_topic"):
        parts = [Part({**shared, "part": "stats", "stats": context["stats"], "charts": context["charts"]})]
        parts += [Part({**shared, "part": "responses", "items": items, "heading": i == 0})
                  for i, items in enumerate(response_runs(context["groups"]))]  # fmt: skip
        parts += [Part({**shared, "part": "appendix", "respondents": rows, "heading": i == 0})
                  for i, rows in enumerate(respondent_runs(context["respondents"]))]  # fmt: skip
        return parts
    linked = {**shared, "dest_prefix": DEST_PREFIX, "by_topic": True}
    parts = [Part({**shared, "part": "intro", "intro": context["intro"], "stats": context["stats"],
                   "charts": context["charts"]})]  # fmt: skip
    parts += [Part({**linked, "part": "topic", "topic": topic, "heading": i == 0})
              for i, topic in enumerate(context["topics"])]  # fmt: skip
    parts.append(Part({**linked, "part": "changes", "changes": context["changes"]}))
    if content["draft"]:
        parts.append(Part({**linked, "part": "untopiced", "untopiced": context["untopiced"]}))
    parts += [Part({**linked, "part": "responses", "items": items, "heading": i == 0})
              for i, items in enumerate(response_runs(context["appendix"]))]  # fmt: skip
    parts += [Part({**linked, "part": "appendix", "respondents": rows, "heading": i == 0})
              for i, rows in enumerate(respondent_runs(context["respondents"]))]  # fmt: skip
    return parts


def ready_parts(context: dict, *, hearing_id: int) -> tuple[list[Part], int]:
    """The summary's parts, each rendered (now, if it was not before), and how many were rendered now.
    The stored parts of earlier content are removed."""
    parts = plan(context)
    rendered = render_parts(parts, hearing_id=hearing_id)
    remove_unused_parts(hearing_id, {part.key for part in parts})
    return parts, rendered


def render(context: dict, *, hearing_id: int, title: str, author: str) -> tuple[bytes, int, dict]:
    """The summary's PDF and page count from ``documents.summary_context``, and what it took: parts in
    all, parts rendered now, front renders."""
    parts, rendered = ready_parts(context, hearing_id=hearing_id)
    body_anchors, offset = {}, 0
    for part in parts:
        body_anchors.update({name: offset + page for name, page in part.anchors.items()})
        offset += part.pages
    # The front (cover and contents) is made last, with the page of every heading. Its own length moves
    # them: it is made again if it came out longer or shorter than assumed.
    front_pages, front_renders = 2, 0
    while True:
        pages = {"indhold": 1, **{name: page + front_pages for name, page in body_anchors.items()}}
        toc = [{**entry, "page": pages.get(entry["anchor"], 0) + 1} for entry in context["toc"]]
        with translation.override("da"):
            html = render_to_string("documents/summary_part.html", {
                **context, "part": "front", "toc": toc, "pages": True, "dest_prefix": DEST_PREFIX})  # fmt: skip
        front, count, _anchors = render_part(html, title=title, author=author)
        front_renders += 1
        if count == front_pages or front_renders == 3:
            break
        front_pages = count
    with translation.override("da"):
        furniture_html = render_to_string("documents/furniture.html", {**context, "furniture": True})
    pdf, page_count = join(front, [part.pdf for part in parts], furniture=_furniture(furniture_html),
                           outline=_outline_entries(context))  # fmt: skip
    return pdf, page_count, {"parts": len(parts), "rendered": rendered, "front_renders": front_renders}


def _furniture(html: str) -> bytes:
    """Untagged: its content becomes an artifact on every page."""
    return weasyprint_html(html).write_pdf()


def _outline_entries(context: dict) -> list[dict]:
    if context.get("by_topic"):
        # The contents' entries, with every group of the appendix under it (goals and themes too).
        listed = {g["anchor"] for g in context["appendix"]}
        entries = [{"title": "Indhold", "anchor": "indhold", "level": 1}]
        for entry in context["toc"]:
            if entry["anchor"] not in listed:
                entries.append(entry)
            if entry["anchor"] == "hoeringssvar":
                entries += [{"title": g["title"], "anchor": g["anchor"], "level": 3 if g["level"] == 3 else 2}
                            for g in context["appendix"]]  # fmt: skip
        return entries
    entries = [{"title": "Indhold", "anchor": "indhold", "level": 1},
               {"title": "Sammenfatning", "anchor": "sammenfatning", "level": 1},
               {"title": "Høringssvarene og administrationens bemærkninger", "anchor": "hoeringssvar", "level": 1}]  # fmt: skip
    entries += [{"title": g["title"], "anchor": g["anchor"], "level": 3 if g["level"] == 3 else 2}
                for g in context["groups"]]  # fmt: skip
    entries.append({"title": "Bilag: Afsendere i alfabetisk orden", "anchor": "afsendere", "level": 1})
    return entries
