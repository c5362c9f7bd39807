"""Videos: read by their bytes, copied into a fresh file with no metadata, or refused saying why
(app/services/videos.py through app/services/attachments.py)."""
import io

import pytest
from flask import current_app

from app.extensions import db
from app.services import attachments, videos
from app.services.attachments import Limits, UploadRejected, inspect_upload
from tests import factories

MB = 1024 * 1024
LIMITS = Limits(10 * MB, 50 * MB, 20 * 60, 60)
SECRETS = (factories.VIDEO_GPS, "106.8456", factories.VIDEO_DEVICE, factories.VIDEO_MAKE,
           "Rekaman loket", "2026-11-01", "Core Media")
# What the muxers write themselves and say nothing about the phone, the place or the time.
HARMLESS = {"major_brand", "minor_version", "compatible_brands", "encoder", "language",
            "handler_name", "vendor_id", "DURATION"}


def inspect(data: bytes, name: str = "rekaman.mp4", limits: Limits = LIMITS):
    return inspect_upload(io.BytesIO(data), name, limits)


def store(data: bytes, name: str = "rekaman.mp4"):
    folder = current_app.config["UPLOAD_FOLDER"]
    staged = attachments.stage(folder, inspect(data, name))
    db.session.flush()
    return staged, attachments.read_file(folder, staged.storage_name)


def frames_of(data: bytes) -> int:
    import av

    with av.open(io.BytesIO(data)) as container:
        return sum(1 for _ in container.decode(video=0))


@pytest.mark.parametrize("kind", ["mp4", "webm", "mov"])
def test_the_test_video_really_carries_metadata(kind):
    data = factories.video_with_metadata(kind)
    tags, stream_tags, _types = factories.video_tags(data)
    assert factories.VIDEO_DEVICE.encode() in data and b"106.8456" in data
    assert any(factories.VIDEO_DEVICE in value for value in tags.values())
    assert any("location" in key.lower() for key in tags)
    assert any(factories.VIDEO_DEVICE in v for tags in stream_tags for v in tags.values())


@pytest.mark.parametrize("kind, content_type, extension", [
    ("mp4", "video/mp4", ".mp4"), ("webm", "video/webm", ".webm"), ("mov", "video/mp4", ".mp4")])
def test_stored_video_has_no_gps_device_time_or_names(db_session, kind, content_type, extension):
    original = factories.video_with_metadata(kind)
    staged, data = store(original, f"rekaman.{kind}")
    assert staged.content_type == content_type
    assert staged.storage_name.endswith(extension)
    tags, stream_tags, types = factories.video_tags(data)
    assert set(tags) <= HARMLESS, tags
    for found in stream_tags:
        assert set(found) <= HARMLESS, found
    assert types == ["video", "audio"]
    for secret in SECRETS:
        assert secret.encode() not in data, secret
    assert b"x264" not in data  # the encoder's settings (an SEI message) went too
    assert b"Lavf6" not in data  # no muxer version (bitexact)
    assert frames_of(data) == 10  # every picture is still there


def test_an_mp4_starts_playing_before_it_has_downloaded(db_session):
    _staged, data = store(factories.video_with_metadata("mp4"))
    assert data.index(b"moov") < data.index(b"mdat")  # +faststart


def test_size_and_hash_describe_the_cleaned_video(db_session):
    import hashlib

    staged, data = store(factories.video_with_metadata("webm"), "rekaman.webm")
    assert (staged.size, staged.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_a_cleaned_video_can_be_cleaned_again():
    once = inspect(factories.video_with_metadata("mp4")).data
    twice = inspect(once).data
    assert frames_of(twice) == 10 and factories.video_tags(twice)[2] == ["video", "audio"]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "header only"])
def test_a_damaged_video_is_refused_saying_why(damage):
    good = factories.video_with_metadata("mp4")
    data = {"truncated": good[: len(good) // 2],
            "garbage": good[:32] + bytes(range(256)) * 20,
            "header only": good[:40]}[damage]
    with pytest.raises(UploadRejected) as info:
        inspect(data, "rusak.mp4")
    assert info.value.message.startswith("rusak.mp4: ")
    assert "rusak atau tidak dapat dibaca" in info.value.message


def test_a_damaged_webm_is_refused():
    good = factories.video_with_metadata("webm")
    with pytest.raises(UploadRejected, match="rusak atau tidak dapat dibaca"):
        inspect(good[:60] + bytes(len(good) - 60), "rusak.webm")


def test_a_video_protected_with_drm_is_refused_saying_so():
    data = factories.encrypted_video()
    assert b"encv" in data  # the test file really is encrypted
    with pytest.raises(UploadRejected, match="dilindungi \\(DRM\\)"):
        inspect(data, "unduhan.mp4")


def test_another_codec_is_refused_naming_it():
    data = factories.video_with_metadata("mp4", vcodec="mpeg4")
    with pytest.raises(UploadRejected) as info:
        inspect(data, "lama.mp4")
    assert "tidak didukung (mpeg4)" in info.value.message
    assert "H.264" in info.value.message


def test_a_video_over_its_limit_is_refused_naming_the_limit():
    data = factories.video_with_metadata("mp4")
    small = Limits(10 * MB, len(data) - 1, 20 * 60, 60)
    with pytest.raises(UploadRejected) as info:
        inspect(data, "panjang.mp4", small)
    assert "panjang.mp4: ukuran video melebihi 0 MB" in info.value.message


def test_a_video_may_be_larger_than_a_photo():
    data = factories.video_with_metadata("mp4")
    limits = Limits(len(data) // 2, len(data), 20 * 60, 60)
    assert inspect(data, "rekaman.mp4", limits).content_type == "video/mp4"
    # A photo of the same size is still refused by the photo limit.
    with pytest.raises(UploadRejected, match="ukuran berkas melebihi"):
        inspect(b"%PDF-1.4\n" + bytes(len(data)), "besar.pdf", limits)


def test_only_the_video_limit_plus_one_byte_is_read():
    stream = io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + bytes(3 * MB))
    with pytest.raises(UploadRejected):
        inspect_upload(stream, "x.mp4", Limits(MB // 2, MB, 60, 60))
    assert stream.tell() == MB + 1


def test_a_video_longer_than_allowed_is_refused():
    with pytest.raises(UploadRejected, match="lebih panjang dari 0 menit"):
        inspect(factories.video_with_metadata("mp4"), "panjang.mp4", Limits(10 * MB, 50 * MB, 0, 60))


def test_cleaning_that_takes_too_long_is_stopped():
    with pytest.raises(UploadRejected, match="tidak selesai dibersihkan dalam 0 detik"):
        inspect(factories.video_with_metadata("webm"), "lambat.webm",
                Limits(10 * MB, 50 * MB, 20 * 60, 0))


@pytest.mark.parametrize("name, data", [
    ("rekaman.mp4", b"bukan video, hanya teks biasa" * 10),
    ("rekaman.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 200),  # EBML, but neither WebM nor readable
    ("rekaman.mp4", factories.office_zip("docx") if hasattr(factories, "office_zip") else b"PK\x03\x04"),
])
def test_a_file_named_like_a_video_is_judged_by_its_bytes(name, data):
    with pytest.raises(UploadRejected) as info:
        inspect(data, name)
    assert "jenis berkas tidak diterima" in info.value.message or "rusak" in info.value.message


def test_a_video_named_like_a_photo_is_stored_as_a_video(db_session):
    staged, _data = store(factories.video_with_metadata("mp4"), "foto.jpg")
    assert staged.content_type == "video/mp4" and staged.storage_name.endswith(".mp4")


def test_a_photo_named_like_a_video_is_stored_as_a_photo(db_session):
    staged, _data = store(factories.jpeg_with_gps(), "rekaman.mp4")
    assert staged.content_type == "image/jpeg"


def test_a_matroska_file_that_is_not_webm_is_refused():
    webm = factories.video_with_metadata("webm")
    assert b"webm" in webm[:64]
    with pytest.raises(UploadRejected, match="jenis berkas tidak diterima"):
        inspect(webm.replace(b"webm", b"mkvx", 1), "rekaman.mkv")


def test_abandoned_video_files_are_purged_like_others(db_session, tmp_path):
    import os
    from datetime import datetime, timedelta, timezone

    folder = tmp_path / "uploads"
    name = "ab" + "0" * 30 + ".mp4"
    path = folder / "ab" / name
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x")
    old = (datetime(2026, 1, 1, tzinfo=timezone.utc)).timestamp()
    os.utime(path, (old, old))
    now = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(days=2)
    assert attachments.purge_orphan_files(str(folder), now) == 1
    assert not path.exists()


@pytest.mark.parametrize("kind, vcodec, codec", [
    ("mp4", "libx265", "hevc"),   # an iPhone's or a recent Android's default
    ("mov", "libx265", "hevc"),
    ("webm", "libvpx", "vp8"),
    ("webm", "libsvtav1", "av1"),
])
def test_every_accepted_codec_is_copied_clean(kind, vcodec, codec):
    import av

    original = factories.video_with_metadata(kind, vcodec=vcodec)
    cleaned = inspect(original, f"rekaman.{kind}").data
    if codec == "hevc":
        assert b"x265" in original and b"x265" not in cleaned  # the encoder's SEI is gone
    for secret in SECRETS:
        assert secret.encode() not in cleaned, secret
    with av.open(io.BytesIO(cleaned)) as container:
        assert container.streams.video[0].codec_context.codec.canonical_name == codec
    assert frames_of(cleaned) == 10


def test_a_portrait_video_keeps_its_rotation():
    """Phones film portrait as landscape pictures with a rotation in the track header; the copy
    must keep it, or the evidence plays sideways."""
    import struct

    def matrix_offset(data: bytes) -> int:
        # tkhd, version 0: size, type, version/flags, 2 times, track id, reserved, duration,
        # 8 reserved, layer, group, volume, reserved, then the 3x3 matrix.
        return data.index(b"tkhd") + 4 + 4 + 4 * 5 + 8 + 8

    original = factories.video_with_metadata("mp4")
    at = matrix_offset(original)
    turned = struct.pack(">9i", 0, 65536, 0, -65536, 0, 0, 0, 0, 1 << 30)
    original = original[:at] + turned + original[at + 36:]
    cleaned = inspect(original).data
    at = matrix_offset(cleaned)
    assert cleaned[at:at + 36] == turned


class FakeClock:
    """videos._now, moved by hand: the budget is tested without waiting for it."""

    def __init__(self, monkeypatch):
        self.now = 1000.0
        monkeypatch.setattr(videos, "_now", lambda: self.now)


def test_the_time_budget_is_shared_by_every_video_of_a_request(monkeypatch):
    clock = FakeClock(monkeypatch)
    deadline = videos.Deadline(20)
    first = inspect_upload(io.BytesIO(factories.video_with_metadata("mp4")), "satu.mp4", LIMITS,
                           deadline)
    assert first.content_type == "video/mp4"
    clock.now += 21  # the first video spent the budget
    with pytest.raises(UploadRejected, match="dua.mp4: Video ini tidak selesai dibersihkan dalam "
                                             "20 detik .*lebih sedikit video sekaligus"):
        inspect_upload(io.BytesIO(factories.video_with_metadata("mp4")), "dua.mp4", LIMITS,
                       deadline)
    # A photo is not a video: it is still cleaned after the videos' budget is spent.
    photo = inspect_upload(io.BytesIO(factories.jpeg_with_gps()), "foto.jpg", LIMITS, deadline)
    assert photo.content_type == "image/jpeg"


@pytest.mark.parametrize("stage", ["open", "decode", "verify"])
def test_the_deadline_is_checked_while_probing_decoding_and_verifying(monkeypatch, tmp_path, stage):
    """The clock passes the deadline inside one step; the video is refused there and its
    temporary copy is gone."""
    clock = FakeClock(monkeypatch)
    monkeypatch.setattr(videos.tempfile, "tempdir", str(tmp_path))
    if stage == "open":
        real = videos._all_tags

        def slow_probe(container):
            clock.now += 30
            return real(container)
        monkeypatch.setattr(videos, "_all_tags", slow_probe)
    elif stage == "decode":
        real_decoder = videos._probe_decoder

        class SlowDecoder:
            def __init__(self, decoder):
                self.decoder = decoder

            def decode(self, packet):
                clock.now += 30
                return self.decoder.decode(packet)
        monkeypatch.setattr(videos, "_probe_decoder", lambda av, s: SlowDecoder(real_decoder(av, s)))
    else:
        real_remux = videos._remux

        def remux_then_late(*args):
            tags = real_remux(*args)
            clock.now += 30
            return tags
        monkeypatch.setattr(videos, "_remux", remux_then_late)
    with pytest.raises(UploadRejected, match="tidak selesai dibersihkan dalam 20 detik"):
        inspect_upload(io.BytesIO(factories.video_with_metadata("mp4")), "lambat.mp4", LIMITS,
                       videos.Deadline(20))
    assert not list(tmp_path.iterdir())  # the temporary copy went with the refusal


def test_a_refused_video_leaves_no_temporary_file(monkeypatch, tmp_path):
    monkeypatch.setattr(videos.tempfile, "tempdir", str(tmp_path))
    good = factories.video_with_metadata("mp4")
    with pytest.raises(UploadRejected):
        inspect(good[: len(good) // 2], "rusak.mp4")
    monkeypatch.setattr(videos, "_verify", lambda *a: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(UploadRejected, match="Video rusak"):
        inspect(good)
    assert not list(tmp_path.iterdir())


def test_a_video_declaring_more_pixels_than_allowed_is_refused_before_decoding(monkeypatch):
    data = factories.video_with_metadata("mp4")  # 64x48
    monkeypatch.setattr(videos, "MAX_VIDEO_PIXELS", 64 * 48 - 1)

    def no_decoding(*args):
        raise AssertionError("decoded a video over the pixel limit")
    monkeypatch.setattr(videos, "_probe_decoder", no_decoding)
    with pytest.raises(UploadRejected, match=r"besar.mp4: Resolusi video ini terlalu besar "
                                             r"\(64×48, lebih dari 0.0 megapiksel\)"):
        inspect(data, "besar.mp4")


def test_a_4k_phone_video_is_within_the_pixel_limit():
    assert videos.MAX_VIDEO_PIXELS >= 3840 * 2160


@pytest.mark.parametrize("kind", ["mp4", "webm"])
def test_the_probe_decoder_runs_on_one_thread_with_a_pixel_cap(monkeypatch, kind):
    made = []
    real = videos._probe_decoder

    def spy(av, stream):
        decoder = real(av, stream)
        made.append((decoder, dict(decoder.options)))  # FFmpeg takes the options when it opens
        return decoder
    monkeypatch.setattr(videos, "_probe_decoder", spy)
    inspect(factories.video_with_metadata(kind), f"rekaman.{kind}")
    ((decoder, options),) = made
    assert decoder.thread_count == 1
    assert options["max_pixels"] == str(videos.MAX_VIDEO_PIXELS)


def test_ffmpeg_refuses_a_frame_larger_than_the_decoders_cap(monkeypatch):
    """Should the container understate the size, the decoder itself stops at the cap."""
    monkeypatch.setattr(videos, "MAX_VIDEO_PIXELS", 64 * 48 - 1)
    monkeypatch.setattr(videos, "_check_streams", lambda container, muxer, seconds: [
        s for s in container.streams if s.type in ("video", "audio")])
    with pytest.raises(UploadRejected, match="Video rusak"):
        inspect(factories.video_with_metadata("mp4"), "bohong.mp4")


def test_the_cleaning_budget_stays_below_the_worker_timeout(monkeypatch):
    import importlib

    import config

    monkeypatch.setenv("VIDEO_CLEAN_SECONDS", "120")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "30")
    try:
        assert importlib.reload(config).Config.VIDEO_CLEAN_SECONDS == 20
    finally:
        monkeypatch.undo()
        importlib.reload(config)
