"""Files on the report form are checked when chosen, before anything is sent, and large
photos are made about 2 MB in the browser (app/static/js/terang.js)."""
from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from tests.browser import helpers as h

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser


def _noisy_jpeg(width=3000, height=2200) -> bytes:
    """A photo-like JPEG of several MB (noise compresses badly, as real detail does)."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (width, height), bytes(rng.getrandbits(8) for _ in range(width * height * 3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def _chosen(page) -> list[dict]:
    return page.evaluate("""() => [...document.getElementById('attachments').files]
        .map(f => ({name: f.name, size: f.size, type: f.type}))""")


def test_a_large_photo_is_made_smaller_and_the_report_goes_through(page, live_server, shots):
    photo = _noisy_jpeg()
    assert len(photo) > 4 * 1024 * 1024
    page.goto(live_server("/lapor"))
    page.set_input_files("#attachments", files=[{"name": "bukti.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    check = page.locator("#attachments-check")
    expect(check).to_contain_text("diperkecil")
    [chosen] = _chosen(page)
    assert chosen["size"] <= 2 * 1024 * 1024 and chosen["name"] == "bukti.jpg" and chosen["type"] == "image/jpeg"
    h.assert_fits_phone(page, "report form with a photo made smaller")
    shots(page, "report-form-photo-shrunk")

    reference, _code = h.file_quick_report(page, live_server, keep_files=True)
    from app.extensions import db
    from app.models import Report

    with live_server.app.app_context():
        report = db.session.scalar(db.select(Report).where(Report.reference == reference))
        sizes = [a.size for a in report.attachments]
        db.session.remove()
    # Stored once, re-encoded by the server (which may write it a little larger than the
    # browser's ~2 MB upload), far smaller than the photo chosen.
    assert len(sizes) == 1 and sizes[0] < len(photo) / 1.5


@pytest.mark.parametrize("name, mime, data, message", [
    ("catatan.txt", "text/plain", b"bukan gambar", "jenis berkas tidak diterima"),
    ("besar.pdf", "application/pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "melebihi 10 MB"),
])
def test_a_refused_file_is_explained_at_once_and_not_sent(page, live_server, name, mime, data, message):
    page.goto(live_server("/lapor"))
    page.set_input_files("#attachments", files=[{"name": name, "mimeType": mime, "buffer": data}])
    check = page.locator("#attachments-check")
    expect(check).to_contain_text(message)
    expect(check).to_contain_text(name)
    assert _chosen(page) == []
    field = page.locator("#attachments")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert "attachments-check" in field.get_attribute("aria-describedby")


def test_a_video_over_its_own_limit_is_explained_at_once_and_not_sent(page, live_server, monkeypatch):
    """Videos have their own limit (from the config, through data-max-video-bytes), and the
    server's own message."""
    # Small sizes: a large buffer takes long to reach the browser on a busy machine.
    monkeypatch.setitem(live_server.app.config, "MAX_VIDEO_BYTES", 1024 * 1024)
    page.goto(live_server("/lapor"))
    big = b"\x00\x00\x00\x18ftypmp42" + bytes(1024 * 1024)
    page.set_input_files("#attachments", files=[{"name": "pungli.mp4", "mimeType": "video/mp4", "buffer": big}])
    check = page.locator("#attachments-check")
    expect(check).to_contain_text("pungli.mp4: ukuran video melebihi 1 MB")
    assert _chosen(page) == []
    expect(page.locator("#attachments")).to_have_attribute("aria-invalid", "true")


def test_a_video_is_sent_as_filmed_and_cleaned_on_the_server(page, live_server, monkeypatch):
    """A video larger than the photo limit is kept whole (the browser never shrinks a video);
    the server copies it without its metadata."""
    from tests import factories

    monkeypatch.setitem(live_server.app.config, "MAX_ATTACHMENT_BYTES", 256 * 1024)
    page.goto(live_server("/lapor"))
    padded = b"\x00\x00\x00\x18ftypmp42" + bytes(512 * 1024)
    page.set_input_files("#attachments", files=[{"name": "besar.mp4", "mimeType": "video/mp4", "buffer": padded}])
    page.wait_for_function("document.getElementById('attachments').files.length === 1")
    expect(page.locator("#attachments-check")).to_have_text("")
    [chosen] = _chosen(page)
    assert chosen["size"] == len(padded) and chosen["type"] == "video/mp4"

    video = factories.video_with_metadata("mp4")
    page.set_input_files("#attachments", files=[{"name": "pungli.mp4", "mimeType": "video/mp4", "buffer": video}])
    page.wait_for_function("document.getElementById('attachments').files[0].name === 'pungli.mp4'")
    reference, _code = h.file_quick_report(page, live_server, keep_files=True)
    from app.extensions import db
    from app.models import Report

    with live_server.app.app_context():
        report = db.session.scalar(db.select(Report).where(Report.reference == reference))
        kinds = [(a.original_name, a.content_type) for a in report.attachments]
        db.session.remove()
    assert kinds == [("pungli.mp4", "video/mp4")]
