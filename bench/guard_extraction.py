"""Benchmark: guard.extraction, the time to read attachments as the task reads them.

    .venv/bin/python bench/guard_extraction.py             # three runs of each, the median reported
    .venv/bin/python bench/guard_extraction.py --repeat 5

Makes its files in a temporary folder (tests/guard/attachment_files.py): a 20-page PDF with a text layer
(about 3,000 characters a page, WeasyPrint), one scanned A4 page (a picture at 300 dpi of 40 lines of
Danish text, as a PNG and as an image-only PDF), a 500-page PDF (of which the first 200 pages are read),
and a DOCX and an ODT of 20 pages' text. Each time is ``guard.extraction.extract`` from its call to its
answer: the child process started, the file parsed (and OCR'd), the text cleaned. No database. The issue's
goals: a 20-page PDF in at most 2 s, one scanned page in at most 10 s. Nothing here is a test; the figures
of the last run are recorded in docs/benchmarks.md.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guard.extraction import extract  # noqa: E402
from tests.guard import attachment_files as files  # noqa: E402

SENTENCES = [
    "Jeg er imod forslaget om at lukke biblioteket i vores bydel, fordi det er et vigtigt samlingssted.",
    "Kommunen bør tænke mere på de ældre, der ikke kan cykle så langt til de nye butikker.",
    "Trafikken på skolevejen er allerede for tæt om morgenen, og børnene cykler mellem lastbilerne.",
    "Det grønne område ved åen er et samlingssted for hele kvarteret og skal bevares.",
    "Vi støtter planen, men byggeriet må ikke blive højere end tre etager mod Søndergade.",
    "Høringsmaterialet er svært at forstå for almindelige borgere uden faglig baggrund.",
]


def page_text(number: int) -> list[str]:
    return [f"Side {number}."] + [" ".join(SENTENCES)] * 5


def timed(path: Path, kind: str, repeat: int) -> tuple[list[float], object]:
    runs, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = extract(str(path), kind)
        runs.append(time.perf_counter() - started)
    return runs, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each file; the median is reported")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        import weasyprint  # slow to import: after the argument parsing

        html = "".join(
            "<section style='page-break-after: always'>"
            + "".join(f"<p>{p}</p>" for p in page_text(n))
            + "</section>"
            for n in range(1, 21)
        )
        weasyprint.HTML(
            string=f"<html lang='da'><body style='font-size:11pt'>{html}</body></html>"
        ).write_pdf(base / "20.pdf")
        lines = [SENTENCES[i % len(SENTENCES)][:70] for i in range(40)]
        cases = [
            ("PDF, 20 pages with text", base / "20.pdf", "pdf"),
            ("PDF, 1 scanned A4 page (OCR)", files.scan_pdf(base / "scan.pdf", lines, font_size=42), "pdf"),
            ("PNG, 1 scanned A4 page (OCR)", files.scan_png(base / "scan.png", lines, font_size=42), "png"),
            ("PDF, 500 pages (200 read)", files.text_pdf(base / "500.pdf", page_text(1), pages=500), "pdf"),
            (
                "DOCX, 20 pages' text",
                files.docx_file(base / "20.docx", [p for n in range(1, 21) for p in page_text(n)]),
                "docx",
            ),
            (
                "ODT, 20 pages' text",
                files.odt_file(base / "20.odt", [p for n in range(1, 21) for p in page_text(n)]),
                "odt",
            ),
        ]
        print(
            f"{'file':<30} {'median s':>9} {'runs s':<22} {'pages':>5} {'ocr':>4} {'chars':>8}  status / problem"
        )
        for label, path, kind in cases:
            runs, result = timed(path, kind, args.repeat)
            print(
                f"{label:<30} {statistics.median(runs):>9.2f} {', '.join(f'{r:.2f}' for r in runs):<22} "
                f"{result.pages:>5} {result.ocr_pages:>4} {len(result.text):>8,}  {result.status} {result.problem}"
            )


if __name__ == "__main__":
    main()
