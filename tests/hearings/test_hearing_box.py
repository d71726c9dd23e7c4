"""The hearing box (state, period, time left) is on every page that shows a hearing's period."""

from tests.textutil import page_words


def test_the_hearing_page_shows_no_template_comment(client, open_hearing):
    """A ``{# … #}`` comment over two lines is text to Django: it was printed above the hearing box.
    ``make lint`` (djLint's D058) now refuses such comments in every template."""
    html = client.get(open_hearing.get_absolute_url()).content.decode()
    assert "wherever" not in page_words(html)
    assert "{#" not in html and "#}" not in html
