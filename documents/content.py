"""What a document shows, read from the database as a plain dict (the *content*), and which content that is
(the *edition* and its *fingerprint*).

A fingerprint is made without reading the content (a hearing may have 10,000 responses): from the
hearing's persisted ``content_version``, raised with every change a reader could see
(hearings.response_cache.bump), and the few things outside it (``edition()``). So a document is made anew
when what it shows changed, and looking for the current one costs one small query.
"""

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analysis.models import Campaign, Topic, TopicResponse
from analysis.selectors import ordered_topics
from hearings.models import Hearing, Response, ResponseAttachment
from hearings.selectors import held_attachment_names
from moderation.models import Remark
from portal.text import clean_tree
from strategies.models import Goal, Section

from .models import RenderedDocument

DocumentKind = RenderedDocument.Kind

# Bump when the documents' layout changes, so that every document is made anew.
LAYOUT_VERSION = "2026-11-30.2"


def _stamp(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _strategy_content(hearing: Hearing) -> dict:
    strategy = hearing.strategy
    sections = (
        Section.objects.filter(strategy=strategy)
        .order_by("number")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.filter(parent=None).order_by("position").prefetch_related(
                Prefetch("children", queryset=Goal.objects.order_by("position"))
            ), to_attr="headline_goals"),
            "themes",
        )
    )  # fmt: skip
    if hearing.section_id:
        sections = sections.filter(pk=hearing.section_id)
    municipality = strategy.municipality
    return {
        "municipality": {
            "name": municipality.name,
            "address": municipality.address,
            "postcode": municipality.postcode,
            "city": municipality.city,
            "phone": municipality.phone,
            "email": municipality.email,
        },
        "strategy": {
            "title": strategy.title,
            "subtitle": strategy.subtitle,
            "intro": strategy.intro,
            "body": strategy.body,
            "closing": strategy.closing,
            "period": strategy.period,
            "label_singular": strategy.section_label_singular,
            "label_plural": strategy.section_label_plural,
        },
        "hearing": {
            "id": hearing.pk,
            "title": hearing.title,
            "opens_at": _stamp(hearing.opens_at),
            "closes_at": _stamp(hearing.closes_at),
            "intro": hearing.intro,
            "contact": [
                hearing.contact_name,
                hearing.contact_title,
                hearing.contact_email,
                hearing.contact_phone,
            ],
            "url": settings.SITE_URL + hearing.get_absolute_url(),
        },
        "sections": [
            {
                "id": section.pk,
                "number": section.number,
                "label": section.label if section.strategy_id == strategy.pk else "",
                "title": section.title,
                "tagline": section.tagline,
                "intro": section.intro,
                "body": section.body,
                "goals_intro": section.goals_intro,
                "themes_intro": section.themes_intro,
                "goals": [
                    {
                        "id": g.pk,
                        "text": g.text,
                        "children": [{"id": c.pk, "text": c.text} for c in g.children.all()],
                    }
                    for g in section.headline_goals
                ],
                "themes": [
                    {"id": t.pk, "question": t.question, "sub_questions": t.sub_question_list}
                    for t in section.themes.all()
                ],
            }
            for section in sections
        ],
    }


def proposal_content(hearing: Hearing) -> dict:
    """Everything the hearing proposal shows, every text under the portal's text policy (``clean_tree``)."""
    return clean_tree({"kind": DocumentKind.PROPOSAL, "layout": LAYOUT_VERSION, **_strategy_content(hearing)})


def _attachment_names(hearing: Hearing, published: QuerySet[Response]) -> dict[int, list[str]]:
    """{response id: what the summary says of each of its attachments, in Danish}: the name of a public
    one; of one that the personal-data guard checks, holds or withheld, the name (or "Bilag (navn
    udeladt)" when the guard holds the name itself back, hearings.selectors.held_attachment_names) and
    that its file is not published."""
    rows = list(
        ResponseAttachment.objects.filter(response__in=published)
        .order_by("response_id", "pk")
        .values_list("response_id", "original_name", "publication")
    )
    public, withheld = ResponseAttachment.Publication.PUBLIC, ResponseAttachment.Publication.WITHHELD
    held = held_attachment_names(
        hearing=hearing, names={name for _response, name, publication in rows if publication != public}
    )
    attachments: dict[int, list[str]] = defaultdict(list)
    with translation.override("da"):
        for response_id, name, publication in rows:
            if publication == public:
                attachments[response_id].append(name)
                continue
            shown = str(_("Bilag (navn udeladt)")) if name in held else name
            if publication == withheld:
                state = _("ikke offentliggjort, fordi det indeholder personoplysninger")
            else:
                state = _("kontrolleres for personoplysninger, før det offentliggøres")
            attachments[response_id].append(f"{shown} ({state})")
    return attachments


def summary_content(hearing: Hearing, now: dt.datetime | None = None) -> dict:
    """Everything the hearing summary shows: only published responses, with their remarks. Read as plain
    values (a hearing may have 10,000 responses; model instances would cost seconds), labels in Danish
    whatever the language of the request that asks."""
    published = hearing.responses.published()
    rows = list(published.order_by("number").values_list(
        "pk", "number", "display_name", "organisation_name", "respondent_type", "created_at", "text",
        "target_section_id", "target_goal_id", "target_theme_id", "target_goal__section_id",
        "target_theme__section_id", "remark__text", "remark__recommendation", "signature__campaign_id",
    ))  # fmt: skip
    attachments = _attachment_names(hearing, published)
    draft = summary_is_draft(
        closes_at=hearing.closes_at,
        summary_published_at=hearing.summary_published_at,
        now=now or timezone.now(),
    )
    analysis = _analysis_content(hearing, published)
    with translation.override("da"):
        types = {key: str(label) for key, label in Response.RespondentType.choices}
        recommendations = {key: str(label) for key, label in Remark.Recommendation.choices}
        anonymous = str(_("Anonym"))
        responses = [
            {
                "number": number,
                "name": name or anonymous,
                "organisation": organisation,
                "type": types.get(kind, kind),
                "type_key": kind,
                "created_at": _stamp(created_at),
                "text": text,
                "attachments": attachments.get(pk, []),
                "target": {"section": section or goal_section or theme_section, "goal": goal, "theme": theme},
                "remark": {"text": remark, "recommendation": recommendations.get(recommendation, recommendation)}
                if remark is not None
                else None,
                "campaign": None,  # set by _campaigns
            }
            for (pk, number, name, organisation, kind, created_at, text, section, goal, theme, goal_section,
                 theme_section, remark, recommendation, campaign) in rows
        ]  # fmt: skip
    campaigns = _campaigns(analysis, rows, responses) if analysis["topics"] else []
    # The second guard after the one on input (portal.text): a control character in a row would show as
    # a missing-glyph box, and the PDF's structure and outline are XML-like text too.
    return clean_tree(
        {
            "kind": DocumentKind.SUMMARY,
            "layout": LAYOUT_VERSION,
            "draft": draft,
            **_strategy_content(hearing),
            "responses": responses,
            "topics": analysis["topics"],
            "campaigns": campaigns,
            # In a draft: the published responses that no topic has yet, for the staff to see what is left.
            "untopiced": [row[1] for row in rows if row[1] not in analysis["linked"]]
            if draft and analysis["topics"]
            else [],
        }
    )


def _part(word: str, topic: Topic) -> str:
    """A topic's part of the strategy as the summary and the exports print it ("" for none)."""
    if topic.target_goal is not None:
        return f"{Section.label_of(word, topic.target_goal.section.number)}, målsætning: {topic.target_goal.text}"
    if topic.target_theme is not None:
        return f"{Section.label_of(word, topic.target_theme.section.number)}, tema: {topic.target_theme.question}"
    if topic.target_section is not None:
        return f"{Section.label_of(word, topic.target_section.number)}: {topic.target_section.title}"
    return ""


def topics_in_order(hearing: Hearing) -> list[dict]:
    """The hearing's topics in the strategy's order (``analysis.selectors.ordered_topics``), as plain
    dicts: ``id``, ``title``, ``part`` (Danish label, e.g. "Delvision 5, målsætning: …", or "" for none),
    ``summary`` (Markdown), ``remark``, ``recommendation`` (the Danish label, "" if none),
    ``recommendation_key``, ``change`` and ``responses`` (an empty list, for the caller to fill). One
    query."""
    with translation.override("da"):
        recommendations = {key: str(label) for key, label in Topic.Recommendation.choices}
    topics = ordered_topics(hearing=hearing).annotate(word=F("hearing__strategy__section_label_singular"))
    return [
        {
            "id": topic.pk,
            "title": topic.title,
            "part": _part(topic.word, topic),
            "summary": topic.summary,
            "remark": topic.remark,
            "recommendation": recommendations.get(topic.recommendation, topic.recommendation),
            "recommendation_key": topic.recommendation,
            "change": topic.change,
            "responses": [],
        }  # fmt: skip
        for topic in topics
    ]


def _analysis_content(hearing: Hearing, published) -> dict:
    """The hearing's topics in the strategy's order (each with its published responses' numbers and
    quotes), the numbers of the published responses that some topic has (``linked``), and what
    ``_campaigns`` needs. Without topics, the summary is as before topics: no campaigns either."""
    topics = topics_in_order(hearing)
    result: dict = {"topics": topics, "linked": set(), "ranks": {}, "representatives": {}}
    if not topics:
        return result
    by_id = {topic["id"]: topic for topic in topics}
    linked = set()
    for topic_id, number, quote in TopicResponse.objects.filter(
        topic__hearing=hearing, response__in=published
    ).order_by("response__number", "pk").values_list("topic_id", "response__number", "quote"):  # fmt: skip
        by_id[topic_id]["responses"].append({"number": number, "quote": quote})
        linked.add(number)
    result["linked"] = linked
    campaigns = Campaign.objects.filter(hearing=hearing).order_by("pk").values_list("pk", "representative_id")
    for rank, (pk, representative) in enumerate(campaigns, start=1):
        result["ranks"][pk] = rank
        result["representatives"][pk] = representative
    return result


def campaign_numbers(hearing: Hearing) -> dict[int, int]:
    """Each campaign's number in the hearing (its rank by creation, from 1), by the campaign's pk: the
    number the summary and the exports show. One query."""
    pks = Campaign.objects.filter(hearing=hearing).order_by("pk").values_list("pk", flat=True)
    return {pk: rank for rank, pk in enumerate(pks, start=1)}


def _campaigns(analysis: dict, rows: list[tuple], responses: list[dict]) -> list[dict]:
    """The campaigns with at least two published members, by their number in the hearing (their rank by
    creation): ``number``, ``shared`` (the number of the response whose text is printed once as the
    shared text: the campaign's representative if it is published, else its first published member) and
    ``members`` (the published members' numbers, ascending). Every response's ``campaign`` is set to its
    campaign's number, or None when it is in none of these."""
    members: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        pk, number, campaign = row[0], row[1], row[-1]
        if campaign is not None:
            members[campaign].append((pk, number))
    numbers = {}
    result = []
    for campaign, rows in sorted(members.items(), key=lambda item: analysis["ranks"].get(item[0], 0)):
        if len(rows) < 2:
            continue
        representative = analysis["representatives"].get(campaign)
        shared = next((number for pk, number in rows if pk == representative), min(n for _pk, n in rows))
        rank = analysis["ranks"][campaign]
        result.append({"number": rank, "shared": shared, "members": sorted(n for _pk, n in rows)})
        numbers.update({number: rank for _pk, number in rows})
    for response in responses:
        response["campaign"] = numbers.get(response["number"])
    return result


def summary_is_draft(
    *, closes_at: dt.datetime, summary_published_at: dt.datetime | None, now: dt.datetime
) -> bool:
    """A hearing summary is a draft until the hearing has closed and its summary is published."""
    return now < closes_at or summary_published_at is None


def fingerprint(content: dict) -> str:
    """SHA-256 (64 hex digits) of a JSON-able dict, its keys sorted."""
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


@dataclass(frozen=True)
class Edition:
    """Which content a document of a hearing shows now: its ``fingerprint`` (64 hex digits) and whether
    it is a draft (a summary before it is published after the hearing closed)."""

    fingerprint: str
    is_draft: bool


def edition(*, hearing: Hearing, kind: str, now: dt.datetime | None = None) -> Edition:
    """The edition of ``kind`` ('proposal' or 'summary') of ``hearing`` now, from one query of the
    hearing's row (read afresh: ``hearing`` may be older than a change). The fingerprint changes
    whenever the content (``content_for``) would:

    - ``content_version``: every saved or deleted response, remark, attachment and event, the hearing,
      its strategy's texts and its municipality raise it (hearings.response_cache.bump);
    - ``updated_at``: a save of the whole hearing row may write back an older ``content_version`` it
      read before another change; the row's new time still tells the two apart;
    - ``summary_published_at`` and the draft flag (which the clock turns at ``closes_at``), also when
      set by ``QuerySet.update()``;
    - the layout (``LAYOUT_VERSION``), the kind and the portal's address (``SITE_URL``, in the links).

    Documents are always made in Danish, whatever the language of the request, so the language is
    not part of it. Raises Hearing.DoesNotExist if the hearing is gone."""
    fresh = Hearing.objects.only("content_version", "updated_at", "summary_published_at", "closes_at").get(
        pk=hearing.pk
    )
    return edition_of_row(hearing=fresh, kind=kind, now=now)


def edition_of_row(*, hearing: Hearing, kind: str, now: dt.datetime | None = None) -> Edition:
    """``edition`` from the hearing row as read (its ``content_version``, ``updated_at``,
    ``summary_published_at`` and ``closes_at``), without reading it again: for a list of hearings read in
    one query (the public API's documents). No query."""
    now = now or timezone.now()
    draft = kind == RenderedDocument.Kind.SUMMARY and summary_is_draft(
        closes_at=hearing.closes_at, summary_published_at=hearing.summary_published_at, now=now
    )
    key = {
        "layout": LAYOUT_VERSION,
        "kind": kind,
        "hearing": hearing.pk,
        "content_version": hearing.content_version or 0,
        "updated_at": _stamp(hearing.updated_at),
        "summary_published_at": _stamp(hearing.summary_published_at),
        "draft": draft,
        "site": settings.SITE_URL,
    }
    return Edition(fingerprint=fingerprint(key), is_draft=draft)


def current_edition_document(*, hearing: Hearing, kind: str) -> tuple[RenderedDocument | None, Edition]:
    """The document of the hearing's current edition, if one was asked for (in any status), and that
    edition. Two queries, however many responses the hearing has; nothing is created."""
    now_edition = edition(hearing=hearing, kind=kind)
    document = RenderedDocument.objects.current(
        hearing=hearing, kind=kind, fingerprint=now_edition.fingerprint
    ).first()
    return document, now_edition


def content_for(hearing: Hearing, kind: str) -> dict:
    return proposal_content(hearing) if kind == DocumentKind.PROPOSAL else summary_content(hearing)
