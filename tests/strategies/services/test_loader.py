from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from strategies.models import Goal, Municipality, Section, Strategy, Theme
from strategies.services import SEED_FILE, load_seed_file, load_strategies
from tests.helpers import REPO_ROOT
from tests.seed import SEED_MODELS, seed_rows
from tests.textutil import contains_sequence, page_words, words

SOURCES = SEED_FILE.parent / "sources"

# Lines of the captured pages that are the sites' menus or search widgets, not content.
NOISE = {"Viser resultat 1- af", "Vis flere resultater", "You are here"}
# The hearing page's shortened heading; the portal titles sub-vision 5 as the strategy's own list of
# sub-visions does ("Et godt og udviklende børne- og ungeliv"), see strategies/seed/sources/README.md.
RETITLED = {"Delvision 5: Et udviklende børne- og ungeliv"}


def test_counts_of_the_seed(seed):
    billund = Strategy.objects.get(municipality__slug="billund")
    vallensbaek = Strategy.objects.get(municipality__slug="vallensbaek")

    assert [s.title for s in billund.sections.order_by("number")] == [
        "Stærke byer",
        "Rettidig velfærd",
        "Vokseværk i erhvervslivet",
    ]
    assert [s.tagline for s in billund.sections.order_by("number")] == [
        "her er godt at leve",
        "mulighed for et godt liv hele livet",
        "sammen bygger vi fremtiden",
    ]
    assert (billund.section_label_singular, billund.section_label_plural) == ("tema", "temaer")

    assert [s.title for s in vallensbaek.sections.order_by("number")] == [
        "Dynamisk arbejdsliv og fleksibel service af høj kvalitet",
        "Grønt byliv med central beliggenhed",
        "Livskvalitet i et godt og sundt liv",
        "Vilje til ildsjæle",
        "Et godt og udviklende børne- og ungeliv",
    ]
    assert (vallensbaek.section_label_singular, vallensbaek.section_label_plural) == (
        "delvision",
        "delvisioner",
    )
    assert vallensbaek.subtitle == "Det hele menneske i fremtidens boligby"
    assert str(vallensbaek.last_updated) == "2018-07-31"
    assert str(vallensbaek.adopted_on) == "2018-09-12"
    assert (vallensbaek.period_start, vallensbaek.period_end) == (2018, 2022)

    five = vallensbaek.sections.get(number=5)
    headline = Goal.objects.filter(section=five, parent=None).order_by("position")
    assert [goal.children.count() for goal in headline] == [6, 7, 2]
    assert five.themes.count() == 3
    assert Goal.objects.filter(section__strategy=vallensbaek).exclude(section=five).count() == 0
    for number in range(1, 5):
        assert not vallensbaek.sections.get(number=number).has_text

    municipality = vallensbaek.municipality
    assert (municipality.address, municipality.postcode, municipality.city, municipality.phone) == (
        "Vallensbæk Stationstorv 100",
        "2665",
        "Vallensbæk",
        "4797 4000",
    )


def _snapshot():
    rows = []
    for model in (Municipality, Strategy, Section, Goal, Theme):
        for obj in model.objects.order_by("pk"):
            rows.append((model.__name__, obj.pk, tuple(sorted(
                (f.attname, getattr(obj, f.attname)) for f in model._meta.concrete_fields
            ))))  # fmt: skip
    return rows


def test_loading_twice_changes_nothing(db):
    first = load_seed_file()
    assert first.created and not first.changed
    before = _snapshot()

    again = load_seed_file()

    assert again.unchanged
    assert _snapshot() == before  # same rows, same values, same updated_at


def _relative(rows):
    """``seed_rows()`` with each key (own or foreign) replaced by its row's place in its table, and without
    the timestamps."""
    places = {model: {row["id"]: n for n, row in enumerate(table)} for model, table in rows.items()}

    def value_of(model, name, value):
        target = (
            model
            if name == "id"
            else getattr(model._meta.get_field(name.removesuffix("_id")), "related_model", None)
        )
        return places[target][value] if target in places and value is not None else value

    return {
        model.__name__: [
            {name: value_of(model, name, value) for name, value in row.items() if name not in ("created_at", "updated_at")}
            for row in table
        ]
        for model, table in rows.items()
    }  # fmt: skip


def test_the_suites_copy_of_the_seed_is_what_the_loader_writes(db):
    """The ``seed`` fixture copies the rows of the process's first load (tests/seed.py): the same rows and
    values, keys new but in the same order, and the report the loader gives on an empty database."""
    from tests import seed as suite_seed

    def empty():
        for model in reversed(SEED_MODELS):
            model._default_manager.all().delete()

    report = load_seed_file()
    loaded = seed_rows()
    empty()
    suite_seed._copy(loaded)
    copied = seed_rows()
    assert _relative(copied) == _relative(loaded)
    assert min(row["id"] for row in copied[Goal]) > max(row["id"] for row in loaded[Goal])
    assert all(row["updated_at"] for row in copied[Section])

    empty()  # the fixture's way, whether this process has loaded the seed before or not
    assert suite_seed.load_seed().created == report.created
    assert _relative(seed_rows()) == _relative(loaded)


def test_the_command_is_idempotent(db, capsys):
    call_command("load_strategies")
    first = capsys.readouterr().out
    call_command("load_strategies")
    second = capsys.readouterr().out
    assert "0 created" not in first
    assert "0 created, 0 changed" in second


def test_a_changed_text_in_the_file_updates_the_row_in_place(seed):
    data = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    data["municipalities"][0]["strategies"][0]["sections"][0]["tagline"] = "ny tagline"
    pk_before = Section.objects.get(strategy__municipality__slug="billund", number=1).pk

    report = load_strategies(data=data)

    assert len(report.changed) == 1 and not report.created
    section = Section.objects.get(pk=pk_before)
    assert section.tagline == "ny tagline"


def test_text_pasted_into_the_file_is_stored_under_the_text_policy_and_loaded_once(seed):
    """A seed file edited in a word processor (issue 12, item 1): U+000B is a line break, a control
    character nothing, and a second load of the same file changes nothing."""
    data = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    section = data["municipalities"][0]["strategies"][0]["sections"][0]
    section["tagline"], section["body"] = "ny\x0btagline\x01", "Linje 1\x0bLinje 2\ufffe"

    assert len(load_strategies(data=data).changed) == 1
    assert load_strategies(data=data).unchanged
    stored = Section.objects.get(strategy__municipality__slug="billund", number=1)
    assert (stored.tagline, stored.body) == ("ny tagline", "Linje 1\nLinje 2")


def _source_lines(path: Path):
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip().lstrip("•").strip()
        if line and line not in NOISE and line not in RETITLED:
            yield line


def _all_public_pages(client):
    urls = [reverse("home")]
    for municipality in Municipality.objects.all():
        urls.append(municipality.get_absolute_url())
    for strategy in Strategy.objects.public():
        urls.append(strategy.get_absolute_url())
        urls.extend(section.get_absolute_url() for section in strategy.sections.all())
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = page_words(response.content)
    return pages


@pytest.mark.parametrize("source", sorted(p.name for p in SOURCES.glob("*.txt")))
def test_every_line_of_the_sources_is_on_some_page(seed, client, source):
    pages = _all_public_pages(client)
    missing = [
        line
        for line in _source_lines(SOURCES / source)
        if not any(contains_sequence(page, words(line)) for page in pages.values())
    ]
    assert missing == []


def test_the_sources_are_the_shared_seeds_when_present():
    """The copies under strategies/seed/sources/ are the captured pages, unchanged."""
    shared = REPO_ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    ours = sorted(p.read_text(encoding="utf-8") for p in SOURCES.glob("*.txt"))
    theirs = sorted(p.read_text(encoding="utf-8") for p in shared.glob("*.txt"))
    assert ours == theirs
