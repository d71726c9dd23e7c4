"""The hearing summary made of parts (documents/parts.py and documents/join.py): one tagged document with page numbers,
contents, links and outline across parts, and only the parts whose content changed are rendered again."""

import io
import re
import subprocess

import pikepdf
import pytest
from django.utils import timezone

from accounts import personal_data
from documents import content as doc_content
from documents import layout as doc_layout
from documents import parts as summary_pdf
from documents import services as doc_services
from tests.hearings.factories import ResponseFactory
from tests.moderation.factories import RemarkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of about four responses and five respondents, so that a small hearing has many parts."""
    monkeypatch.setattr(summary_pdf, "RESPONSES_PER_PART", 4)
    monkeypatch.setattr(summary_pdf, "RESPONDENTS_PER_PART", 5)


@pytest.fixture
def hearing(open_hearing, section5):
    goal = section5.goals.filter(parent=None).first()
    targets = [{}, {"target_section": section5}, {"target_goal": goal}]
    for n in range(1, 31):
        response = ResponseFactory(hearing=open_hearing, number=n, display_name=f"Borger {n:02d}",
                                   text=f"Svar nummer {n} om emnet.\n\nAnden linje i svar {n}.",
                                   **targets[n % 3])  # fmt: skip
        if n % 7 == 0:
            RemarkFactory(response=response, text=f"Bemærkning til svar {n}.", recommendation="noted")
    open_hearing.last_response_number = 30
    open_hearing.save()
    return open_hearing


def render(hearing):
    context = doc_layout.summary_context(doc_content.summary_content(hearing), made_at=timezone.localtime())
    return summary_pdf.render(
        context, hearing_id=hearing.pk, title="Høringsnotat: prøve", author="Vallensbæk Kommune"
    )


def content(page) -> bytes:
    streams = page.obj.Contents
    return b"".join(s.read_bytes() for s in (streams if isinstance(streams, pikepdf.Array) else [streams]))


def pages_text(pdf: bytes) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    return out.decode().split("\f")


def test_the_parts_make_one_document_with_page_numbers_contents_and_every_response_in_order(
    hearing, small_parts
):
    pdf, page_count, work = render(hearing)
    assert work["parts"] >= 8 and work["rendered"] == work["parts"]
    pages = pages_text(pdf)[:page_count]
    assert [f"Side {n} af {page_count}" in page for n, page in enumerate(pages, start=1)] == [
        True
    ] * page_count
    assert all("UDKAST" in page for page in pages)
    text = "\n".join(pages)
    # Every response once, grouped by target in the strategy's order (whole strategy, section, its goal).
    numbers = [int(n) for n in re.findall(r"Høringssvar nr\. (\d+)", text)]
    assert sorted(numbers) == list(range(1, 31))
    assert numbers == [n for rest in (0, 1, 2) for n in range(1, 31) if n % 3 == rest]
    assert "Bemærkning til svar 21." in text
    # The contents give the page on which each heading is.
    contents = pages[1]
    for title in (
        "Sammenfatning",
        "Hele strategien: Kommuneplanstrategi 2018",
        "Bilag: Afsendere i alfabetisk orden",
    ):
        listed = int(re.search(re.escape(title) + r"[ .]*?(\d+)\s*$", contents, re.M).group(1))
        assert title in pages[listed - 1], (title, listed)
    appendix = text[text.rindex("Bilag: Afsendere i alfabetisk orden") :]
    assert (
        appendix.index("Borger 01: nr. 1") < appendix.index("Borger 02: nr. 2") < appendix.index("Borger 30")
    )


def test_the_joined_document_is_tagged_across_parts(hearing, small_parts):
    pdf, page_count, work = render(hearing)
    document = pikepdf.open(io.BytesIO(pdf))
    root = document.Root
    assert str(root.Lang) == "da" and root.MarkInfo.Marked
    assert (
        "Tagged:          yes"
        in subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout.decode()
    )
    tree = root.StructTreeRoot
    nums = tree.ParentTree.Nums
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert int(tree.ParentTreeNextKey) == max(parent_tree) + 1
    struct_parents = [int(page.obj.StructParents) for page in document.pages]
    assert len(set(struct_parents)) == page_count  # each page its own entry
    for page in document.pages:
        marked = {int(m) for m in re.findall(rb"/MCID (\d+)", content(page))}
        elements = parent_tree[int(page.obj.StructParents)]
        assert marked and all(elements[m].Pg.objgen == page.objgen for m in marked)
        for annot in page.obj.get("/Annots", []):
            assert str(parent_tree[int(annot.StructParent)].S) == "/Link"
    # One Document element whose children are the parts' headings, paragraphs, articles and lists.
    (document_element,) = tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K]
    kinds = [str(kid.S) for kid in document_element.K]
    assert all(kid.P.objgen == document_element.objgen for kid in document_element.K)
    assert kinds[:2] == ["/Sect", "/NonStruct"]  # the cover and the contents
    assert len(kinds) == 2 + work["parts"] and set(kinds[2:]) == {"/Sect"}  # then each part's section
    # The outline: the front, each group of responses under the responses, the appendix.
    with document.open_outline() as outline:
        top = [item.title for item in outline.root]
        responses = next(item for item in outline.root if item.title.startswith("Høringssvarene"))
        children = [item.title for item in responses.children]
    assert top == ["Indhold", "Sammenfatning", "Høringssvarene og administrationens bemærkninger",
                   "Bilag: Afsendere i alfabetisk orden"]  # fmt: skip
    assert children[0] == "Hele strategien: Kommuneplanstrategi 2018" and children[1].startswith(
        "Delvision 5"
    )
    # The contents' entries link to the named destinations of the headings they list.
    dests = dict(pikepdf.NameTree(root.Names.Dests).items())
    links = [a for a in document.pages[1].obj.Annots if a.get("/A") is not None]
    assert links and all(str(a.A.S) == "/GoTo" and str(a.A.D) in dests for a in links)


def test_a_new_response_renders_only_the_parts_it_changes(hearing, small_parts):
    _pdf, _pages, first = render(hearing)
    _pdf, _pages, again = render(hearing)
    assert again["rendered"] == 0 and again["parts"] == first["parts"]
    ResponseFactory(hearing=hearing, number=31, display_name="Borger 31", text="Det allersidste svar.",
                    target_section=hearing.strategy.sections.get(number=5))  # fmt: skip
    pdf, _pages, after = render(hearing)
    # The statistics, and the run of the section's responses and of the appendix that the new one joins
    # (each may be cut in two where the new row hashes to a cut): the other parts are as they were.
    assert first["parts"] >= 15 and 2 <= after["rendered"] <= 5
    assert "Det allersidste svar." in "".join(pages_text(pdf))


def test_cuts_move_only_around_a_row_that_is_added_or_removed():
    def runs(rows):
        return [tuple(run) for run in summary_pdf.cut(rows, key=str, average=20, minimum=5, maximum=60)]

    rows = list(range(2000))
    before = runs(rows)
    assert len(before) > 20 and max(len(run) for run in before) <= 60
    for changed in (rows[:700] + rows[701:], rows[:700] + [99999] + rows[700:]):
        after = runs(changed)
        assert len(set(before) - set(after)) <= 2 and len(set(after) - set(before)) <= 2


def test_parts_rendered_in_parallel_processes_are_the_parts_rendered_in_one(hearing, small_parts):
    context = doc_layout.summary_context(doc_content.summary_content(hearing), made_at=timezone.localtime())
    made = {}
    for processes, hearing_id in ((1, -1), (2, -2)):
        parts = summary_pdf.plan(context)
        assert summary_pdf.render_parts(parts, hearing_id=hearing_id, processes=processes) == len(parts)
        made[processes] = [(p.pages, p.anchors, pages_text(p.pdf)) for p in parts]
        summary_pdf.remove_unused_parts(hearing_id, set())
    assert made[1] == made[2]


def test_a_published_response_has_the_summary_parts_prepared_for_the_next_download(
    hearing, small_parts, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    settings.SUMMARY_PARTS_PREPARE_SECONDS = 60
    cache.clear()
    _pdf, _pages, first = render(hearing)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # tasks run eagerly here
        ResponseFactory(hearing=hearing, number=31, display_name="Borger 31", text="Forberedt svar.")
        ResponseFactory(hearing=hearing, number=32, display_name="Borger 32", text="Også forberedt.")
    prepared = [c for c in callbacks if c.__qualname__.startswith("schedule_summary_parts")]
    assert len(prepared) == 1  # one preparation for both
    pdf, _pages, after = render(hearing)
    assert after["rendered"] == 0 and after["parts"] >= first["parts"]  # the download only joins
    assert "Forberedt svar." in "".join(pages_text(pdf)) and "Også forberedt." in "".join(pages_text(pdf))


def test_an_account_deletion_that_rolls_back_leaves_the_summaries_and_their_files(
    hearing, small_parts, django_capture_on_commit_callbacks
):
    """The summaries go once the deletion is committed, not before: files are outside the transaction."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    citizen = hearing.responses.get(number=5).author
    with django_capture_on_commit_callbacks(execute=True):
        document = doc_services.request_document(hearing=hearing, kind="summary")
    document.refresh_from_db()
    parts = default_storage.listdir(f"documents/parts/{hearing.pk}")[1]
    with pytest.raises(RuntimeError), transaction.atomic():
        personal_data.delete_account(user=citizen)
        raise RuntimeError("the request fails after the deletion")
    document.refresh_from_db()
    assert default_storage.exists(document.file.name)
    assert default_storage.listdir(f"documents/parts/{hearing.pk}")[1] == parts


def test_a_deleted_account_takes_the_summaries_that_name_it_with_them(
    hearing, small_parts, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from documents.models import RenderedDocument

    citizen = hearing.responses.get(number=5).author
    with django_capture_on_commit_callbacks(execute=True):
        document = doc_services.request_document(hearing=hearing, kind="summary")
    document.refresh_from_db()
    path = document.file.path
    assert "Borger 05" in "".join(pages_text(document.file.read()))
    assert default_storage.listdir(f"documents/parts/{hearing.pk}")[1]
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.delete_account(user=citizen)
    assert not RenderedDocument.objects.filter(hearing=hearing).exists()
    assert (
        not default_storage.exists(path) and default_storage.listdir(f"documents/parts/{hearing.pk}")[1] == []
    )
    with django_capture_on_commit_callbacks(execute=True):
        anew = doc_services.request_document(hearing=hearing, kind="summary")
    anew.refresh_from_db()
    text = "".join(pages_text(anew.file.read()))
    assert "Borger 05" not in text and "Svar nummer 5 om emnet." in text and "Anonym" in text
