"""Joining the hearing summary's parts into one PDF with pikepdf: the front and the parts' pages in order,
their structure trees merged (PDF/UA), the front's links and the outline pointed at the parts' pages, and the
page furniture (running header and "Side X af Y") laid over every page as an artifact."""

import functools
import io

import pikepdf
from django.contrib.staticfiles import finders
from pikepdf import Array, Dictionary, Name, OutlineItem, String

DEST_PREFIX = "https://hp-dest.invalid/#"  # the front's links, turned into links inside the document


# --- Joining parts --------------------------------------------------------------------------------------


def _dests(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Array]:
    names = pdf.Root.get("/Names", {}).get("/Dests")
    if names is None:
        return {}
    return {str(name): dest for name, dest in pikepdf.NameTree(names).items()}


def join(front: bytes, parts: list[bytes], *, furniture: bytes, outline: list[dict]) -> tuple[bytes, int]:
    """One tagged PDF of the front and the parts, with the furniture and page numbers on every page.
    ``outline``: dicts of title, anchor and level (1–3), in document order."""
    out, dests = _append(front, parts)
    _link_front(out, dests)
    _outline(out, outline, dests)
    _furnish(out, furniture)
    buffer = io.BytesIO()
    out.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    pages = len(out.pages)
    out.close()
    return buffer.getvalue(), pages


def _append(first: bytes, rest: list[bytes]) -> tuple[pikepdf.Pdf, dict]:
    """``first`` with the pages of ``rest`` after its own: one structure tree (the parts' elements under
    its Document element, their parent-tree keys moved past its own), one set of named destinations."""
    out = pikepdf.open(io.BytesIO(first))
    tree = out.Root.StructTreeRoot
    document_elem = tree.K[0] if isinstance(tree.K, Array) else tree.K
    nums = tree.ParentTree.Nums
    next_key = _next_struct_key(nums)
    dests = _dests(out)
    for part_bytes in rest:
        part = pikepdf.open(io.BytesIO(part_bytes))
        offset = next_key
        first_page = len(out.pages)
        out.pages.extend(part.pages)
        for page in out.pages[first_page:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        # One copy of everything the part's pages are referred to by (qpdf copies each object once, so
        # the structure elements' and destinations' pages are the pages just added).
        part_root = part.Root.StructTreeRoot
        part_document = part_root.K[0] if isinstance(part_root.K, Array) else part_root.K
        copied = out.copy_foreign(part.make_indirect(Dictionary(
            Nums=part_root.ParentTree.Nums, Document=part_document,
            Dests=Array([item for name, dest in _dests(part).items() for item in (String(name), dest)]),
        )))  # fmt: skip
        part_nums = copied.Nums
        for i in range(0, len(part_nums), 2):
            nums.append(int(part_nums[i]) + offset)
            nums.append(part_nums[i + 1])
            next_key = max(next_key, int(part_nums[i]) + offset + 1)
        for kid in copied.Document.K:
            if isinstance(kid, Dictionary):
                kid.P = document_elem
            document_elem.K.append(kid)
        for i in range(0, len(copied.Dests), 2):
            dests[str(copied.Dests[i])] = copied.Dests[i + 1]
        # Closed at once: qpdf then copies the streams it still referred to, and the part's own objects
        # go (kept open, the parts of 10,000 responses doubled the memory of the join to over 1 GB).
        part.close()
    tree.ParentTreeNextKey = next_key
    names = pikepdf.NameTree.new(out)
    for name in sorted(dests):
        names[name] = dests[name]
    out.Root.Names = Dictionary(Dests=names.obj)
    return out, dests


def _next_struct_key(nums: pikepdf.Array) -> int:
    return max((int(nums[i]) + 1 for i in range(0, len(nums), 2)), default=0)


def _link_front(out: pikepdf.Pdf, dests: dict) -> None:
    """Links to DEST_PREFIX + anchor (the front's table of contents; by topic also the parts' links to
    the responses and topics in other parts): now a link to that destination."""
    for page in out.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            if action is None or action.get("/S") != Name.URI or not str(action.URI).startswith(DEST_PREFIX):
                continue
            anchor = str(action.URI).removeprefix(DEST_PREFIX)
            if anchor in dests:
                annot.A = Dictionary(Type=Name.Action, S=Name.GoTo, D=String(anchor))
                # What a screen reader says of the link: a response by its number, else the anchor.
                number = anchor.removeprefix("svar-")
                annot.Contents = String(
                    f"Gå til høringssvar nr. {number}" if number.isdigit() else f"Gå til {anchor}"
                )


def _outline(out: pikepdf.Pdf, entries: list[dict], dests: dict) -> None:
    index = {page.objgen: i for i, page in enumerate(out.pages)}
    with out.open_outline() as outline:
        outline.root.clear()
        parents: list[OutlineItem] = []
        for entry in entries:
            dest = dests.get(entry["anchor"])
            if dest is None:
                continue
            item = OutlineItem(entry["title"], index[dest[0].objgen])
            level = entry["level"]
            del parents[level - 1 :]
            (parents[-1].children if parents else outline.root).append(item)
            parents.append(item)


# --- Page furniture and numbers -------------------------------------------------------------------------

_NUMBER_FONT_SIZE = 8
_NUMBER_COLOUR = "0.2 0.2 0.2"
_RIGHT_MARGIN_PT = 20 / 25.4 * 72
_NUMBER_BASELINE_PT = 11 / 25.4 * 72


def _furnish(out: pikepdf.Pdf, furniture: bytes) -> None:
    """Lays the furniture pages (1: the cover's, 2: every other page's) under each page as an artifact,
    and draws "Side X af Y" at the right of the foot, as the proposal's WeasyPrint footer does."""
    source = pikepdf.open(io.BytesIO(furniture))
    forms = [out.copy_foreign(page.as_form_xobject()) for page in source.pages[:2]]
    font, widths = _number_font(out)
    total = len(out.pages)
    for number, page in enumerate(out.pages, start=1):
        width = float(page.mediabox[2])
        text = f"Side {number} af {total}"
        text_width = sum(widths.get(char, 500) for char in text) * _NUMBER_FONT_SIZE / 1000
        x = width - _RIGHT_MARGIN_PT - text_width
        form_name = page.add_resource(forms[0 if number == 1 else 1], Name.XObject,
                                      Name.HPcover if number == 1 else Name.HPpage)  # fmt: skip
        font_name = page.add_resource(font, Name.Font, Name.HPnumber)
        page.contents_add(out.make_stream(b"q\n"), prepend=True)
        foot = (
            f"\nQ\n/Artifact <</Type /Pagination>> BDC q {form_name} Do Q EMC\n"
            f"/Artifact <</Type /Pagination /Subtype /Footer>> BDC BT {font_name} {_NUMBER_FONT_SIZE} Tf "
            f"{_NUMBER_COLOUR} rg {x:.2f} {_NUMBER_BASELINE_PT:.2f} Td ({text}) Tj ET EMC\n"
        )
        page.contents_add(out.make_stream(foot.encode("ascii")))
    source.close()


@functools.cache
def _number_font_program() -> tuple[bytes, dict[str, float], dict]:
    """IBM Plex Sans subset to the page number's letters, its widths and metrics (per 1000 em)."""
    # fontTools takes 0.15 s and 10 MiB to import, and only a summary's page numbers need it: every process
    # that loads the apps (web, worker, manage.py) would pay for it at start.
    from fontTools import subset
    from fontTools.ttLib import TTFont

    letters = "Side af 0123456789"
    font = TTFont(finders.find("fonts/ibm-plex-sans/IBMPlexSans-Regular.ttf"))
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=letters)
    subsetter.subset(font)
    data = io.BytesIO()
    font.save(data)
    scale = 1000 / font["head"].unitsPerEm
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
    metrics = {
        "bbox": [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
        "ascent": round(hhea.ascent * scale), "descent": round(hhea.descent * scale),
        "cap_height": round(getattr(os2, "sCapHeight", hhea.ascent) * scale),
    }  # fmt: skip
    return data.getvalue(), {c: hmtx[cmap[ord(c)]][0] * scale for c in letters if ord(c) in cmap}, metrics


def _number_font(out: pikepdf.Pdf) -> tuple[pikepdf.Object, dict[str, float]]:
    """The page numbers' font, embedded as a TrueType font with WinAnsi encoding."""
    program, widths, metrics = _number_font_program()
    name = Name("/HPNUMB+IBMPlexSans")
    descriptor = Dictionary(
        Type=Name.FontDescriptor, FontName=name, Flags=32, ItalicAngle=0, StemV=80,
        FontBBox=Array(metrics["bbox"]), Ascent=metrics["ascent"], Descent=metrics["descent"],
        CapHeight=metrics["cap_height"], FontFile2=out.make_stream(program),
    )  # fmt: skip
    first, last = 32, 122
    font_dict = out.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.TrueType, BaseFont=name, FirstChar=first, LastChar=last,
        Widths=Array([round(widths.get(chr(code), 0)) for code in range(first, last + 1)]),
        Encoding=Name.WinAnsiEncoding, FontDescriptor=out.make_indirect(descriptor),
    ))  # fmt: skip
    return font_dict, widths
