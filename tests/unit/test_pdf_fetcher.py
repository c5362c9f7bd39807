"""What a PDF may load: the app's own static files and SVG images carried whole in a data: URL
(the board's charts); nothing else, and nothing from the network or the disk outside app/static."""
import base64

import pytest

from app.services import pdf

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'


def test_the_fetcher_reads_static_files_and_inline_svg_only(app):
    with app.test_request_context():
        fetcher = pdf._static_only_fetcher()
        assert fetcher.fetch(pdf.STATIC_PREFIX + "css/pdf.css").read().startswith(b"/*")
        inline = fetcher.fetch(pdf.SVG_DATA_PREFIX + base64.b64encode(SVG.encode()).decode())
        assert inline.read() == SVG.encode() and inline.content_type == "image/svg+xml"
        for url in ("https://example.org/x.css", "file:///etc/passwd", pdf.STATIC_PREFIX + "../config.py",
                    "data:text/html;base64," + base64.b64encode(b"<p>x</p>").decode(),
                    "data:image/svg+xml," + SVG):
            with pytest.raises(pdf.RefusedURL):
                fetcher.fetch(url)
