"""The search's configuration, in the layer below every app: the indexes of strategies' and hearings'
models are built on these expressions, and the search app (search/selectors.py) searches the same ones."""

from django.contrib.postgres.search import SearchVector
from django.db.models import Expression, F, Func, TextField

# Full text search (PostgreSQL, 'danish' stemming). Each model's document is one expression, used both by
# its GIN index (Meta.indexes) and by the search, so that the index is the one searched.
SEARCH_CONFIG = "danish"


class Untagged(Func):
    """A text field with '<' and '>' read as spaces (PostgreSQL ``translate``, immutable, so it may be in
    an index), for ``to_tsvector``.

    PostgreSQL's text search parser reads anything like a tag as markup (``ts_debug``): ``<vigtigt>`` is a
    tag, not a word, and after ``<script>`` every word up to ``</script>`` is blank, so a response or a
    Markdown code span that mentions ``<script>`` would hide the rest of its text from the search. Without
    the angle brackets every word a reader sees is a word to the parser."""

    function = "translate"
    template = "%(function)s(%(expressions)s, '<>', '  ')"
    output_field = TextField()


def search_document(primary: list[str], secondary: list[str] | None = None):
    """The weighted tsvector of a model's text fields: ``primary`` (titles) weigh A, ``secondary`` B;
    each field ``Untagged``."""
    vector: Expression = SearchVector(
        *(Untagged(F(name)) for name in primary), weight="A", config=SEARCH_CONFIG
    )
    if secondary:
        vector = vector + SearchVector(
            *(Untagged(F(name)) for name in secondary), weight="B", config=SEARCH_CONFIG
        )
    return vector
