"""How a document's content is laid out: the response groups, the statistics and their bar charts, and the
HTML that WeasyPrint turns into the PDF."""

import datetime as dt
from collections import Counter, defaultdict

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from analysis.diff import additions
from analysis.models import Topic
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


def danish_number(n: int) -> str:
    """``n`` as Danish text writes it: 1.240."""
    return f"{n:,}".replace(",", ".")


def appendix_groups(content: dict, groups: list[dict]) -> list[dict]:
    """The response groups as the summary by topic prints them, each with its ``items``: a response
    (``{"response": r}``), or a campaign's shared text printed once (``{"campaign": c}``, where the
    response whose text it is stands) followed by every member of the campaign (``{"member": m}``: the
    response with only what it adds to or changes in the shared text, ``additions``: ``_additions``).
    A campaign's other members are printed there and not in their own groups; a group left without items
    is left out (a section's heading stays while one of its goals or themes has items)."""
    campaigns = {campaign["number"]: campaign for campaign in content.get("campaigns", [])}
    by_number = {response["number"]: response for response in content["responses"]}
    result = []
    for group in groups:
        items = []
        for response in group["responses"]:
            campaign = campaigns.get(response["campaign"]) if response.get("campaign") else None
            if campaign is None:
                items.append({"response": response})
            elif campaign["shared"] == response["number"]:
                items.append({"campaign": {"number": campaign["number"], "shared": response["number"],
                                           "count": len(campaign["members"]), "text": response["text"]}})  # fmt: skip
                for number in campaign["members"]:
                    member = by_number[number]
                    added = (
                        [] if number == campaign["shared"] else _additions(response["text"], member["text"])
                    )
                    items.append({"member": {**member, "additions": added,
                                             "is_shared": number == campaign["shared"]}})  # fmt: skip
        result.append({**group, "items": items})
    kept = []
    for i, group in enumerate(result):
        following = result[i + 1 :]
        below = next((j for j, g in enumerate(following) if g["level"] <= group["level"]), len(following))
        if group["items"] or (group["level"] == 2 and any(g["items"] for g in following[:below])):
            kept.append(group)
    return kept


CONTEXT_WORDS = 4  # words of the shared text shown on each side of an addition


def _additions(shared: str, text: str) -> list[dict]:
    """What ``text`` adds to or changes in ``shared`` (analysis.diff), each run as ``before`` (up to
    CONTEXT_WORDS words of the shared text before it, "" at the start), ``added`` and ``after``."""
    segments = additions(shared, text)
    result = []
    for i, segment in enumerate(segments):
        if not segment.added or not segment.text.strip():
            continue
        before = segments[i - 1].text.split()[-CONTEXT_WORDS:] if i > 0 else []
        after = segments[i + 1].text.split()[:CONTEXT_WORDS] if i + 1 < len(segments) else []
        result.append({"before": " ".join(before), "added": segment.text.strip(), "after": " ".join(after)})
    return result


def _changes(topics: list[dict]) -> list[dict]:
    """The topics whose recommendation is a change of the proposal, by part of the strategy (the topics
    are in the strategy's order): a list of ``{"part": label, "topics": [...]}``."""
    changes: list[dict] = []
    for topic in topics:
        if topic["recommendation_key"] != Topic.Recommendation.CHANGE:
            continue
        part = topic["part"] or "Strategien som helhed"
        if not changes or changes[-1]["part"] != part:
            changes.append({"part": part, "topics": []})
        changes[-1]["topics"].append(topic)
    return changes


def _topic_context(content: dict, stats: dict, groups: list[dict]) -> dict:
    """What the summary by topic adds to ``summary_context``: the introduction's counts, the topics
    (each with its anchor), the recommended changes, the responses without a topic (in a draft), the
    appendix's groups with the campaigns, and the table of contents."""
    total = stats["total"]
    in_campaigns = sum(len(c["members"]) for c in content["campaigns"])
    topics = [
        {**topic, "anchor": f"emne-{topic['id']}", "quotes": [r for r in topic["responses"] if r["quote"]]}
        for topic in content["topics"]
    ]
    intro = {
        "opens_at": dt.datetime.fromisoformat(content["hearing"]["opens_at"]),
        "closes_at": dt.datetime.fromisoformat(content["hearing"]["closes_at"]),
        "count": total,
        "campaign_count": len(content["campaigns"]),
        "distinct_count": total - in_campaigns + len(content["campaigns"]),
        "topic_count": len(topics),
        "total": danish_number(total),
        "topics": danish_number(len(topics)),
        "in_campaigns": danish_number(in_campaigns),
        "campaigns": len(content["campaigns"]),
        "distinct": danish_number(total - in_campaigns + len(content["campaigns"])),
    }
    appendix = appendix_groups(content, groups)
    toc = [
        {"level": 1, "title": "Indledning", "anchor": "indledning"},
        {"level": 1, "title": "Høringens emner", "anchor": "emner"},
        *({"level": 2, "title": t["title"], "anchor": t["anchor"]} for t in topics),
        {"level": 1, "title": "Forslag til ændringer", "anchor": "aendringer"},
        *(
            [{"level": 1, "title": "Høringssvar uden emne", "anchor": "uden-emne"}]
            if content["draft"]
            else []
        ),
        {"level": 1, "title": "Bilag 1: Høringssvarene", "anchor": "hoeringssvar"},
        *({"level": 2, "title": g["title"], "anchor": g["anchor"]} for g in appendix if g["level"] < 3),
        {"level": 1, "title": "Bilag 2: Afsendere i alfabetisk orden", "anchor": "afsendere"},
    ]
    return {
        "by_topic": True,
        "intro": intro,
        "topics": topics,
        "changes": _changes(topics),
        "untopiced": content["untopiced"],
        "appendix": appendix,
        "toc": toc,
    }


def summary_context(content: dict, *, made_at: dt.datetime) -> dict:
    """What the summary's templates show, whole or in parts: groups, statistics, charts, the table of
    contents and the respondents in alphabetical order. With topics (``content["topics"]``) the summary
    is a høringsnotat by topic, and ``by_topic`` and the keys of ``_topic_context`` are set."""
    stats = summary_statistics(content)
    groups = _group_responses(content)
    by_topic = _topic_context(content, stats, groups) if content.get("topics") else {"by_topic": False}
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
        **by_topic,
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
            groups = context["appendix"] if context["by_topic"] else context["groups"]
            items = [item for g in groups
                     for item in [{"heading": g}, *g.get("items", ({"response": r} for r in g["responses"]))]]  # fmt: skip
            return render_to_string("documents/summary.html", {**context, "items": items, "furniture": True,
                                                               "dest_prefix": "#"})  # fmt: skip
        return render_to_string("documents/proposal.html", {**_dates(content, made_at), "furniture": True})
