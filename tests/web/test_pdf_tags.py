"""Every PDF Terang renders is tagged, with a language and a title (checked with poppler's pdfinfo)."""
import shutil
import subprocess

import pytest

from tests import factories
from tests.conftest import csrf_token_from
from tests.factories import HTMLPage

pytestmark = [pytest.mark.usefixtures("fresh_g"),
              pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")]


def pdfinfo(document: bytes, tmp_path) -> dict:
    path = tmp_path / "document.pdf"
    path.write_bytes(document)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def catalog_language(document: bytes) -> str:
    import io

    import pypdf

    return str(pypdf.PdfReader(io.BytesIO(document)).trailer["/Root"].get("/Lang"))


def test_the_receipt_pdf_is_tagged_with_title_and_language(client, csrf, tmp_path):
    response = factories.post_multipart(client, "/lapor", dict(factories.form_data(), csrf_token=csrf()))
    assert response.status_code == 303
    page = HTMLPage(client.get("/lapor/terkirim").get_data(as_text=True))
    form = page.find("form", action="/lapor/tanda-terima.pdf")
    fields = {i.get("name"): i.get("value") for i in page.within(form, "input")}
    document = client.post("/lapor/tanda-terima.pdf", data=fields).data
    info = pdfinfo(document, tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Title"].startswith("Tanda terima laporan LPR-")
    assert catalog_language(document) == "id"


@pytest.mark.parametrize("path, title", [("/transparansi/ringkasan.pdf", "Gambaran nasional"),
                                         ("/transparansi/instansi/pemkot-padang.pdf", "Padang")])
def test_the_board_pdfs_are_tagged_with_title_and_language(client, tmp_path, path, title):
    response = client.get(path)
    assert response.status_code == 200
    info = pdfinfo(response.data, tmp_path)
    assert info["Tagged"] == "yes"
    assert title in info["Title"]
    assert catalog_language(response.data) == "id"


def test_an_english_pdf_says_so(client, tmp_path):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    client.post("/bahasa", data={"csrf_token": token, "lang": "en", "next": "/"})
    document = client.get("/transparansi/ringkasan.pdf").data
    assert pdfinfo(document, tmp_path)["Tagged"] == "yes"
    assert catalog_language(document) == "en"



def test_a_pdf_laid_out_in_a_child_process_is_the_same_document(app, client, tmp_path):
    """PDF_RENDER_IN_CHILD (production's default): the child lays the document out and sends
    it back; a failure in the child is raised in the worker."""
    from app.services import pdf

    here = client.get("/transparansi/ringkasan.pdf")
    app.config["PDF_RENDER_IN_CHILD"] = True
    try:
        there = client.get("/transparansi/ringkasan.pdf")
        with pytest.raises(ZeroDivisionError):
            pdf._in_child(lambda: 1 // 0, 30)
    finally:
        app.config["PDF_RENDER_IN_CHILD"] = False
    assert there.status_code == 200 and there.data.startswith(b"%PDF")
    assert pdfinfo(there.data, tmp_path)["Tagged"] == "yes"
    assert pdfinfo(there.data, tmp_path)["Pages"] == pdfinfo(here.data, tmp_path)["Pages"]


def test_a_pdf_child_that_hangs_is_killed_and_reaped():
    """A layout that never ends is killed at PDF_RENDER_SECONDS, so the worker answers instead
    of being killed by gunicorn; the child leaves no zombie behind."""
    import os
    import time

    from app.services import pdf

    pids = []

    def hang():
        pids.append(os.getpid())
        time.sleep(60)
        return b""

    with pytest.raises(pdf.RenderTimeout):
        pdf._in_child(hang, 0.5)
    children = [p for p in os.listdir("/proc") if p.isdigit()
                and _parent_of(p) == os.getpid() and _state_of(p) == "Z"]
    assert children == []


def _parent_of(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _state_of(pid: str) -> str | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def _figures(document: bytes) -> list[str]:
    """The Alt text of every figure in a PDF's structure tree."""
    import io

    import pikepdf

    found = []

    def walk(node):
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary):
                walk(kid)

    with pikepdf.open(io.BytesIO(document)) as pdf:
        walk(pdf.Root.StructTreeRoot)
    return found


def test_the_board_pdfs_charts_are_figures_with_their_title_and_description(client):
    """The charts are SVG images (services/charts.py, PrintedChart): each a tagged figure whose
    text alternative is the chart's title and its description (an inline <svg> gave its title)."""
    document = client.get("/transparansi/instansi/pemkot-padang.pdf").data
    figures = _figures(document)
    assert len(figures) >= 2
    assert figures[0].startswith("Laporan diterima dan diselesaikan per bulan. Batang penuh: laporan diterima")
    assert figures[1].startswith("Persentase tindak lanjut dan tingkat penyelesaian per bulan. Garis penuh")


def test_the_board_pdfs_embed_only_the_fonts_their_text_uses(client):
    """The page numbers are in the body's font (``@page`` in pdf.css): no third font is loaded
    and embedded for a few words in the margins."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(client.get("/transparansi/ringkasan.pdf").data)) as pdf:
        fonts = {str(font.BaseFont).split("+", 1)[-1] for page in pdf.pages
                 for font in page.Resources.get("/Font", {}).values()}
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold"}, fonts
