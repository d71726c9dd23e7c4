"""How a document's content is laid out: the response groups, the statistics and their bar charts, and the
HTML that WeasyPrint turns into the PDF."""

import datetime as dt
from collections import Counter, defaultdict

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from portal.markdown import render_markdown

from .content import DocumentKind


def _group_responses(content: dict) -> list[dict]:
    """The responses grouped by their target, in the strategy's order: the whole strategy first, then each
    section, its goals and its themes. Empty groups are left out."""
    by_target: dict[tuple, list[dict]] = defaultdict(list)
    for response in content["responses"]:
        target = response["target"]
        key = ("goal", target["goal"]) if target["goal"] else ("theme", target["theme"]) if target["theme"] else (
            ("section", target["section"]) if target["section"] else ("strategy", None)
        )  # fmt: skip
        by_target[key].append(response)
    groups = []
    if by_target.get(("strategy", None)):
        groups.append({"level": 1, "title": f"Hele strategien: {content['strategy']['title']}",
                       "anchor": "svar-strategi", "responses": by_target[("strategy", None)]})  # fmt: skip
    for section in content["sections"]:
        label = f"{section['label']}: {section['title']}" if section["label"] else section["title"]
        children = []
        if by_target.get(("section", section["id"])):
            children.append({"level": 2, "title": label, "anchor": f"svar-del-{section['id']}",
                             "responses": by_target[("section", section["id"])]})  # fmt: skip
        for goal in section["goals"]:
            for g in [goal, *goal["children"]]:
                if by_target.get(("goal", g["id"])):
                    children.append({"level": 3, "title": f"Målsætning: {g['text']}", "anchor": f"svar-maal-{g['id']}",
                                     "responses": by_target[("goal", g["id"])]})  # fmt: skip
        for theme in section["themes"]:
            if by_target.get(("theme", theme["id"])):
                children.append({"level": 3, "title": f"Tema: {theme['question']}", "anchor": f"svar-tema-{theme['id']}",
                                 "responses": by_target[("theme", theme["id"])]})  # fmt: skip
        if children:
            if children[0]["level"] != 2:
                children.insert(
                    0, {"level": 2, "title": label, "anchor": f"svar-del-{section['id']}", "responses": []}
                )
            groups.extend(children)
    return groups


def bar_chart_svg(rows: list[tuple[str, int]], *, width: int = 480, bar_height: int = 18) -> str:
    """A horizontal bar chart as SVG (text as real text, so it is searchable and read aloud)."""
    top = max((n for _label, n in rows), default=0) or 1
    label_width, gap = 190, 6
    height = len(rows) * (bar_height + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" font-family="IBM Plex Sans">']  # fmt: skip
    for i, (label, n) in enumerate(rows):
        y = gap + i * (bar_height + gap)
        bar = round((width - label_width - 50) * n / top)
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(f'<text x="0" y="{y + bar_height - 5}" font-size="10">{escape(short)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{bar}" height="{bar_height}" fill="#0059b3"/>')
        parts.append(f'<text x="{label_width + bar + 4}" y="{y + bar_height - 5}" font-size="10">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def summary_statistics(content: dict) -> dict:
    responses = content["responses"]
    by_type = Counter(r["type"] for r in responses)
    weeks: Counter[tuple[int, int]] = Counter()
    for r in responses:
        created = dt.datetime.fromisoformat(r["created_at"]).astimezone(timezone.get_current_timezone())
        year, week, _day = created.isocalendar()
        weeks[(year, week)] += 1
    by_target = []
    for group in _group_responses(content):
        by_target.append((group["title"], len(group["responses"])))
    return {
        "total": len(responses),
        "by_type": sorted(by_type.items(), key=lambda item: -item[1]),
        "by_week": [(f"Uge {week} ({year})", n) for (year, week), n in sorted(weeks.items())],
        "by_target": by_target,
    }


def summary_context(content: dict, *, made_at: dt.datetime) -> dict:
    """What the summary's templates show, whole or in parts: groups, statistics, charts, the table of
    contents and the respondents in alphabetical order."""
    stats = summary_statistics(content)
    groups = _group_responses(content)
    return {
        **_dates(content, made_at),
        "groups": groups,
        "stats": stats,
        "charts": {
            "by_type": bar_chart_svg(stats["by_type"]),
            "by_week": bar_chart_svg(stats["by_week"]),
            "by_target": bar_chart_svg(stats["by_target"]),
        },
        "toc": [
            {"level": 1, "title": "Sammenfatning", "anchor": "sammenfatning"},
            {
                "level": 1,
                "title": "Høringssvarene og administrationens bemærkninger",
                "anchor": "hoeringssvar",
            },
            *(
                {"level": g["level"], "title": g["title"], "anchor": g["anchor"]}
                for g in groups
                if g["level"] < 3
            ),
            {"level": 1, "title": "Bilag: Afsendere i alfabetisk orden", "anchor": "afsendere"},
        ],
        "respondents": sorted(
            (
                (r["organisation"] or r["name"], r["name"] if r["organisation"] else "", r["number"])
                for r in content["responses"]
            ),
            key=lambda row: (row[0].casefold(), row[2]),
        ),
    }


def _dates(content: dict, made_at: dt.datetime) -> dict:
    return {
        "content": content,
        "made_at": made_at,
        "opens_at": dt.datetime.fromisoformat(content["hearing"]["opens_at"]),
        "closes_at": dt.datetime.fromisoformat(content["hearing"]["closes_at"]),
        "markdown": render_markdown,
    }


def render_html(content: dict, *, made_at: dt.datetime) -> str:
    """A document as one HTML page: the proposal as the portal renders it, or the whole summary (which
    the portal renders in parts, parts.py; whole, it is the benchmark's naive comparison)."""
    with translation.override("da"):
        if content["kind"] == DocumentKind.SUMMARY:
            context = summary_context(content, made_at=made_at)
            items = [item for g in context["groups"]
                     for item in [{"heading": g}, *({"response": r} for r in g["responses"])]]  # fmt: skip
            return render_to_string("documents/summary.html", {**context, "items": items, "furniture": True})
        return render_to_string("documents/proposal.html", {**_dates(content, made_at), "furniture": True})
