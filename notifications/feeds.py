"""RSS and Atom feeds (django.contrib.syndication): the hearings of the portal or of one
municipality, and the published responses of one hearing. Nothing of a draft strategy, and of the
responses only the published ones."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from hearings.models import Hearing, Response
from portal.markdown import markdown_excerpt
from portal.text import clean_tree

from . import selectors

if TYPE_CHECKING:
    _FeedBase = SyndicationFeed  # what the mixin is mixed into, for the type checker only
else:
    _FeedBase = object


class CleanFeedMixin(_FeedBase):
    """A feed generator that writes every string of the feed and of its items under the portal's text
    policy (``portal.text``): the second guard after the one on input, so that a row written before the
    policy (or past it) cannot make Django's XML writer fail (``UnserializableContentError``, a 500 for
    every reader) or the feed ill-formed (U+FFFE, which XML 1.0 §2.2 excludes, passes Django's check)."""

    def write(self, outfile, encoding):
        self.feed = clean_tree(self.feed)
        self.items = clean_tree(self.items)
        return super().write(outfile, encoding)


class CleanRssFeed(CleanFeedMixin, Rss201rev2Feed):
    pass


class CleanAtomFeed(CleanFeedMixin, Atom1Feed):
    pass


def _period(hearing: Hearing) -> str:
    opens = formats.date_format(timezone.localtime(hearing.opens_at), "DATETIME_FORMAT")
    closes = formats.date_format(timezone.localtime(hearing.closes_at), "DATETIME_FORMAT")
    return _("Høringsperiode: %(opens)s – %(closes)s") % {"opens": opens, "closes": closes}


class HearingFeed(Feed):
    """Every public hearing, or those of one municipality (``municipality`` in the URL)."""

    feed_type: type[SyndicationFeed] = CleanRssFeed
    language = "da"

    def get_object(self, request, municipality=None):
        return selectors.municipality(slug=municipality) if municipality else None

    def title(self, obj):
        if obj is None:
            return _("%(portal)s: høringer") % {"portal": settings.PORTAL_NAME}
        return _("%(portal)s: høringer i %(municipality)s") % {
            "portal": settings.PORTAL_NAME,
            "municipality": obj.name,
        }

    def link(self, obj):
        return obj.get_absolute_url() if obj else reverse("hearings:list")

    def description(self, obj):
        return _("Nye og kommende høringer om kommunernes strategier, med høringsfristen.")

    def items(self, obj):
        return selectors.public_hearings(municipality=obj)[: selectors.FEED_ITEMS]

    def item_title(self, item: Hearing):
        return item.title

    def item_description(self, item: Hearing):
        parts = [f"{item.strategy.municipality.name} · {item.strategy.title}", _period(item)]
        if item.intro:  # Markdown: its text as the page shows it, not its source
            parts.append(markdown_excerpt(item.intro, 60))
        # A feed's description is HTML to the reader: escape the text so it stays text.
        return linebreaks("\n\n".join(parts), autoescape=True)

    def item_link(self, item: Hearing):
        return item.get_absolute_url()

    def item_guid(self, item: Hearing):
        return f"hearing-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Hearing):
        return item.created_at

    def item_updateddate(self, item: Hearing):
        return item.updated_at

    def item_categories(self, item: Hearing):
        return [item.strategy.municipality.name, str(item.current_state.label)]


class HearingAtomFeed(HearingFeed):
    feed_type = CleanAtomFeed
    subtitle = HearingFeed.description


class ResponseFeed(Feed):
    """The published responses of one public hearing, newest first."""

    feed_type: type[SyndicationFeed] = CleanRssFeed
    language = "da"

    def get_object(self, request, pk):
        return selectors.public_hearing(pk=pk)

    def title(self, obj: Hearing):
        return _("Høringssvar: %(title)s") % {"title": obj.title}

    def link(self, obj: Hearing):
        return obj.get_absolute_url()

    def description(self, obj: Hearing):
        return _("De offentliggjorte høringssvar i høringen %(title)s (%(municipality)s).") % {
            "title": obj.title,
            "municipality": obj.strategy.municipality.name,
        }

    def items(self, obj: Hearing):
        return selectors.published_responses(hearing=obj)

    def item_title(self, item: Response):
        return _("Høringssvar nr. %(number)s fra %(name)s") % {
            "number": item.number,
            "name": item.organisation_name or item.public_name,
        }

    def item_description(self, item: Response):
        # A feed's description is HTML to the reader: escape the citizen's text so it stays text.
        return linebreaks(item.text, autoescape=True)

    def item_link(self, item: Response):
        return item.get_absolute_url()

    def item_guid(self, item: Response):
        return f"response-{item.public_id}"

    item_guid_is_permalink = False

    def item_author_name(self, item: Response):
        return item.public_name

    def item_pubdate(self, item: Response):
        return item.published_at or item.created_at

    def item_updateddate(self, item: Response):
        return item.edited_at or item.published_at or item.created_at


class ResponseAtomFeed(ResponseFeed):
    feed_type = CleanAtomFeed
    subtitle = ResponseFeed.description
