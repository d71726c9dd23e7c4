"""PDF making with WeasyPrint: HTML in, tagged PDF (PDF/UA) out, fetching nothing but our own static files."""

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders


def static_only_fetcher():
    """WeasyPrint's URL fetcher for our documents: serves only the portal's own static files (fonts,
    CSS) by the ``static:`` scheme and refuses everything else: ``file://``, http(s) and data that a
    citizen's text could smuggle in."""
    # WeasyPrint takes a second or two to import: only processes that render pay it (workers preload it).
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers=None):
            return _fetch_static(url, URLFetcherResponse)

    return StaticOnlyFetcher()


def _fetch_static(url: str, response_class):
    if not url.startswith("static:"):
        raise ValueError(f"Refused to fetch {url!r}: documents may only use the portal's static files")
    relative = url.removeprefix("static:").lstrip("/")
    if ".." in Path(relative).parts:
        raise ValueError(f"Refused to fetch {url!r}")
    found = finders.find(relative)
    if not found:
        raise ValueError(f"No static file {relative!r}")
    mime, _encoding = mimetypes.guess_type(found)
    return response_class(
        url, body=Path(found).read_bytes(), headers={"Content-Type": mime or "application/octet-stream"}
    )


def weasyprint_html(html: str):
    """WeasyPrint's document for our HTML: relative URLs are our static files, and only those are fetched."""
    from weasyprint import HTML  # as above: imported when a process first renders

    return HTML(string=html, base_url="static:/", url_fetcher=static_only_fetcher())


def render_tagged(html: str, *, title: str = "", author: str = "") -> tuple[bytes, list]:
    """PDF bytes and WeasyPrint's pages: tagged PDF/UA-1, Danish, with title and author metadata if given."""
    document = weasyprint_html(html).render(pdf_variant="pdf/ua-1", pdf_tags=True)
    document.metadata.lang = "da"
    if title:
        document.metadata.title = title
        document.metadata.authors = [author]
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True), document.pages


def render_pdf(html: str, *, title: str, author: str) -> tuple[bytes, int]:
    """PDF bytes and page count of one whole document (the proposal)."""
    pdf, pages = render_tagged(html, title=title, author=author)
    return pdf, len(pages)
