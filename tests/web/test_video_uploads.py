"""The report form takes a video (issue 14): cleaned on the server, or refused with a reason and
everything typed kept; the limits shown come from the config."""
import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Report
from app.services import attachments
from tests import factories
from tests.factories import HTMLPage, upload
from tests.web.test_report_form import post_report  # noqa: F401 - the fixture


def stored(attachment) -> bytes:
    from flask import current_app

    return attachments.read_file(current_app.config["UPLOAD_FOLDER"], attachment.storage_name)


@pytest.mark.parametrize("kind, mime, stored_type", [
    ("mp4", "video/mp4", "video/mp4"), ("webm", "video/webm", "video/webm"),
    ("mov", "video/quicktime", "video/mp4")])
def test_the_form_files_a_report_with_a_cleaned_video(client, post_report, kind, mime, stored_type):
    response = post_report(files=[upload(factories.video_with_metadata(kind), f"pungli.{kind}", mime)])
    assert response.status_code == 303
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    (video,) = report.attachments
    assert video.content_type == stored_type and video.original_name == f"pungli.{kind}"
    data = stored(video)
    for secret in (factories.VIDEO_GPS, factories.VIDEO_DEVICE, factories.VIDEO_MAKE):
        assert secret.encode() not in data, secret


def test_a_damaged_video_is_refused_with_the_reason_and_the_form_kept(client, post_report):
    good = factories.video_with_metadata("mp4")
    response = post_report(title="Pungli di loket KTP",
                           files=[upload(good[: len(good) // 2], "rusak.mp4", "video/mp4")])
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    text = " ".join(page.find("main").text.split())
    assert "rusak.mp4: Video rusak atau tidak dapat dibaca" in text
    assert page.find("input", id="title").get("value") == "Pungli di loket KTP"


def test_a_file_sent_as_video_mp4_is_judged_by_its_bytes(client, post_report):
    response = post_report(files=[upload(b"<html>bukan video</html>" * 50, "pungli.mp4", "video/mp4")])
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "pungli.mp4: jenis berkas tidak diterima" in text


def test_a_video_over_the_configured_limit_is_refused(app, client, post_report, monkeypatch):
    data = factories.video_with_metadata("mp4")
    monkeypatch.setitem(app.config, "MAX_VIDEO_BYTES", len(data) - 1)
    response = post_report(files=[upload(data, "panjang.mp4", "video/mp4")])
    assert response.status_code == 422
    assert "panjang.mp4: ukuran video melebihi 0 MB" in response.get_data(as_text=True)


def test_the_form_states_the_video_limit_from_the_config(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_VIDEO_BYTES", 30 * 1024 * 1024)
    monkeypatch.setitem(app.config, "MAX_VIDEO_SECONDS", 7 * 60)
    page = HTMLPage(client.get("/lapor").get_data(as_text=True))
    field = page.find("input", id="attachments")
    assert field.get("data-max-video-bytes") == str(30 * 1024 * 1024)
    assert "30 MB" in field.get("data-msg-video-too-large")
    assert "video/mp4" in field.get("accept") and "video/webm" in field.get("accept")
    hint = " ".join(page.by_id("attachments-hint").text.split())
    assert "video paling besar 30 MB dan 7 menit" in hint


def test_the_413_page_gives_every_limit_from_the_config(app, client, csrf, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    data = dict(factories.form_data(), csrf_token=csrf(),
                attachments=(io.BytesIO(b"x" * 4096), "besar.mp4", "video/mp4"))
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    text = " ".join(HTMLPage(response.get_data(as_text=True)).find("main").text.split())
    mb = 1024 * 1024
    assert f"video paling besar {app.config['MAX_VIDEO_BYTES'] // mb} MB" in text
    assert f"foto dan PDF masing-masing paling besar {app.config['MAX_ATTACHMENT_BYTES'] // mb} MB" in text
    assert "semuanya bersama paling besar 0 MB" in text  # the cap in force (2048 bytes)
    assert "tidak ada yang sampai kepada kami" in text


def test_a_video_fits_under_the_request_cap_with_four_other_files(app):
    c = app.config
    assert c["MAX_CONTENT_LENGTH"] > c["MAX_VIDEO_BYTES"] + (c["MAX_ATTACHMENTS"] - 1) * c["MAX_ATTACHMENT_BYTES"]


def test_the_check_page_lists_the_video_and_sending_keeps_it(client, post_report):
    """'Anonim' asks to check the answers first: the cleaned video is listed there and sent with
    the report, not chosen again."""
    check = post_report(is_anonymous="y", reporter_name="", confirm_flags="",
                        files=[upload(factories.video_with_metadata("mp4"), "pungli.mp4", "video/mp4")])
    assert check.status_code == 200
    page = HTMLPage(check.get_data(as_text=True))
    assert "pungli.mp4" in " ".join(page.find("main").text.split())
    send = page.find_all("form", method="post")[-2]
    fields = [(e.get("name"), e.get("value")) for e in page.within(send, "input")]
    from werkzeug.datastructures import MultiDict

    response = client.post("/lapor", data=MultiDict([(k, v or "") for k, v in fields if k]))
    assert response.status_code == 303
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    assert [(a.original_name, a.content_type) for a in report.attachments] == [("pungli.mp4", "video/mp4")]


def test_videos_share_one_time_budget_and_the_rest_of_the_form_is_kept(app, client, post_report,
                                                                       monkeypatch):
    """Five videos cannot keep the worker past its timeout: the request has one budget
    (VIDEO_CLEAN_SECONDS), the video it no longer covers is refused saying what to do, and the
    text typed and the video already cleaned are kept."""
    from app.services import videos

    monkeypatch.setitem(app.config, "VIDEO_CLEAN_SECONDS", 5)
    now = [0.0]
    monkeypatch.setattr(videos, "_now", lambda: now[0])
    real_remux = videos._remux

    def slow_remux(*args):  # each copy takes 4 s of the fake clock: the second one runs over
        tags = real_remux(*args)
        now[0] += 4
        return tags
    monkeypatch.setattr(videos, "_remux", slow_remux)
    video = factories.video_with_metadata("mp4")
    response = post_report(title="Pungli di loket KTP",
                           files=[upload(video, "satu.mp4", "video/mp4"),
                                  upload(video, "dua.mp4", "video/mp4")])
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    text = " ".join(page.find("main").text.split())
    assert "dua.mp4: Video ini tidak selesai dibersihkan dalam 5 detik" in text
    assert "lebih sedikit video sekaligus" in text
    assert "satu.mp4" in text  # cleaned and staged: not chosen again
    assert page.find("input", id="title").get("value") == "Pungli di loket KTP"
    assert len(page.find_all("input", name="staged")) == 1

