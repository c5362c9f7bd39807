"""Reporter videos (MP4, WebM, and a phone's MOV): copied into a fresh file with no metadata.

A video is never re-encoded (that would take minutes and lose detail the evidence needs): its
video and audio streams are copied, packet by packet, with PyAV (FFmpeg) into a new container
that carries nothing else. What goes:

* every container and stream tag: the place it was filmed (``location``, ``©xyz``,
  ``com.apple.quicktime.location.ISO6709``), the phone's make and model, the software, the time
  it was filmed (``creation_time``), titles, comments and handler names the camera wrote;
* every stream that is not video or audio (GPS tracks, subtitles, timecode and data tracks,
  cover pictures and attachments), and chapters;
* what encoders write inside the video itself: SEI messages of H.264 and H.265 (x264's and
  x265's settings, a camera's user data), in the packets and in H.265's parameter sets, and
  metadata OBUs of AV1.

The file is muxed with FFmpeg's ``bitexact`` flag (no version or date of the muxer, no random
ids) and, for MP4, with ``+faststart`` (it starts playing before it has downloaded). The result
is opened again and checked: a tag other than the harmless technical ones, or a value of the
original's tags found anywhere in its bytes, and the video is refused.

Accepted: MP4 and MOV with H.264 or H.265 video and AAC audio (stored as MP4), WebM with VP8,
VP9 or AV1 video and Opus or Vorbis audio (stored as WebM). A video that cannot be read (damaged,
protected with DRM, another codec), whose pictures are larger than :data:`MAX_VIDEO_PIXELS`
(checked before anything is decoded), that is longer than the configured length, or whose copy
runs past its :class:`Deadline`, is refused with a message that says which.

The time limit is per request, not per file: a form may carry several videos, and the worker is
killed at ``GUNICORN_TIMEOUT`` whatever it is doing. One :class:`Deadline` is made for the
request and handed to every video's cleaning, which checks it before opening the file, after
probing its streams, on every packet, before each decode, before and after the check of the
copy. A video the budget no longer covers is refused; the form keeps everything else.
The one decoder (a few packets, to check there is a picture) runs on one thread, and
FFmpeg's ``max_pixels`` refuses a frame larger than the limit even if the container lied.
"""
from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

from flask_babel import lazy_gettext as _l

from .errors import DomainError

# What a sniffed type is stored as: (demuxer, muxer, stored type).
CONTAINERS = {
    "video/mp4": ("mov", "mp4", "video/mp4"),
    "video/quicktime": ("mov", "mp4", "video/mp4"),
    "video/webm": ("matroska", "webm", "video/webm"),
}
VIDEO_CODECS = {"mp4": frozenset(("h264", "hevc")), "webm": frozenset(("vp8", "vp9", "av1"))}
AUDIO_CODECS = {"mp4": frozenset(("aac",)), "webm": frozenset(("opus", "vorbis"))}
# Units of the bitstream that carry no picture: SEI (H.264 6; H.265 39, 40), AV1 metadata OBUs.
_BITSTREAM_FILTERS = {"h264": "filter_units=remove_types=6",
                      "hevc": "filter_units=remove_types=39|40",
                      "av1": "filter_units=remove_types=5"}

# Tags the muxers themselves write, that say nothing about who filmed what, where or when.
HARMLESS_CONTAINER_TAGS = {
    "mp4": {"major_brand": None, "minor_version": None, "compatible_brands": None},
    "webm": {"encoder": {"Lavf"}},
}
HARMLESS_STREAM_TAGS = {
    "mp4": {"language": {"und"}, "handler_name": {"VideoHandler", "SoundHandler"},
            "vendor_id": {"[0][0][0][0]"}},
    "webm": {"DURATION": None},
}
# Tags whose value the muxer computes again (the same brands, the length): not a leak.
_MUXER_WRITES = frozenset(("major_brand", "minor_version", "compatible_brands", "DURATION"))
_LEAK_MIN_LENGTH = 6  # a shorter tag value ("und", "eng", "1") can occur in any video by chance
_DECODE_PROBE_PACKETS = 60  # a real video has shown a picture by then
# 4K (3840x2160) is what phones record at most; a header declaring more is refused before any
# decoding (a decoder's frame buffers grow with width x height).
MAX_VIDEO_PIXELS = 3840 * 2160


def _now() -> float:
    """The monotonic clock (a function, so that tests can move it)."""
    return time.monotonic()


class Deadline:
    """One time budget for cleaning every video of a request (``VIDEO_CLEAN_SECONDS``)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = _now() + seconds

    def check(self) -> None:
        """Refuse the video being cleaned once the budget is spent."""
        if _now() > self.ends:
            raise VideoRejected(_too_slow(self.seconds))


class VideoRejected(DomainError):
    """The video cannot be accepted; ``message`` says why in the reporter's words."""


_DAMAGED = _l("Video rusak atau tidak dapat dibaca, sehingga datanya tidak dapat dibersihkan. "
              "Putar videonya di ponsel untuk memeriksa, lalu kirim lagi, atau kirim salinan "
              "yang direkam ulang.")
_NO_PICTURE = _l("Berkas ini tidak berisi gambar video. Kirim rekaman videonya.")
_PROTECTED = _l("Video ini dilindungi (DRM) sehingga tidak dapat dibuka dan dibersihkan. Kirim "
                "rekaman aslinya dari kamera ponsel.")


def _unsupported_codec(codec: str):
    return _l("Format rekaman video ini tidak didukung (%(codec)s). Kirim MP4 (H.264 atau H.265 "
              "dengan suara AAC) atau WebM (VP8, VP9 atau AV1 dengan suara Opus atau Vorbis); "
              "kamera ponsel biasanya sudah merekam seperti itu.", codec=codec)


def _too_long(max_seconds: int):
    return _l("Video lebih panjang dari %(minutes)s menit. Potong bagian yang penting saja, "
              "lalu kirim lagi.", minutes=max_seconds // 60)


def _too_slow(time_limit: float):
    return _l("Video ini tidak selesai dibersihkan dalam %(seconds)s detik (waktu untuk semua "
              "video dalam satu kiriman). Kirim video yang lebih pendek, atau lebih sedikit "
              "video sekaligus.", seconds=int(time_limit))


def _too_large(width: int, height: int):
    return _l("Resolusi video ini terlalu besar (%(width)s×%(height)s, lebih dari %(limit)s "
              "megapiksel). Rekam dengan resolusi lebih rendah (misalnya 1080p), lalu kirim lagi.",
              width=width, height=height, limit=round(MAX_VIDEO_PIXELS / 1_000_000, 1))


_NOT_CLEAN = _l("Metadata video ini tidak dapat dihapus seluruhnya, sehingga video tidak "
                "disimpan. Kirim rekaman lain, atau rekam ulang layar yang memutarnya.")


def stored_type(sniffed: str) -> str:
    """The type a video of this sniffed type is stored as (a MOV becomes an MP4)."""
    return CONTAINERS[sniffed][2]


def clean_video(data: bytes, sniffed: str, max_seconds: int,
                deadline: "Deadline | float") -> bytes:
    """The video's streams copied into a fresh file with no metadata (see the module's doc).

    ``deadline`` is the request's :class:`Deadline` (shared by all its videos), or a number of
    seconds for this video alone. Raises :class:`VideoRejected` when it cannot be read, its
    pictures are too large, it is longer than ``max_seconds``, the deadline passes, or it does
    not come out clean.
    """
    if not isinstance(deadline, Deadline):
        deadline = Deadline(deadline)
    deadline.check()  # the budget may be spent by the request's earlier videos
    import av  # imported here: FFmpeg's libraries load only where videos are handled

    demuxer, muxer, _stored = CONTAINERS[sniffed]
    # The temporary folder (and the copy in it) goes on every path out, refusals included.
    with tempfile.TemporaryDirectory(prefix="terang-video-") as folder:
        path = Path(folder) / f"clean.{muxer}"
        try:
            original_tags = _remux(av, data, demuxer, muxer, path, max_seconds, deadline)
            deadline.check()
            cleaned = path.read_bytes()
            _verify(av, cleaned, muxer, original_tags, deadline)
        except VideoRejected:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever FFmpeg cannot copy is refused
            raise VideoRejected(_DAMAGED) from exc
    return cleaned


def _all_tags(container) -> set[str]:
    """The values of the original's tags, but those the muxer writes again itself."""
    values = {v for k, v in container.metadata.items() if k not in _MUXER_WRITES}
    for stream in container.streams:
        values |= {v for k, v in stream.metadata.items() if k not in _MUXER_WRITES}
    return values


def _codec_name(stream) -> str:
    """The codec's own name ("av1"), not the decoder's ("libdav1d")."""
    context = stream.codec_context
    return context.codec.canonical_name if context is not None else "?"


def _is_protected(stream) -> bool:
    tag = getattr(stream.codec_context, "codec_tag", "") or ""
    return tag in ("encv", "enca", "drmi", "drms") or "ENCRYPTION" in {
        key.upper() for key in stream.metadata}


def _hevc_config_without_sei(extradata: bytes | None) -> bytes | None:
    """H.265 parameter sets without SEI (NAL types 39, 40): encoders and cameras keep notes
    there too (x265 writes its version and settings). ``filter_units`` cleans the packets but
    passes the parameter sets on as they were."""
    if not extradata:
        return extradata
    if extradata[0] == 1:
        return _hvcc_without_sei(extradata)
    # Annex B: NAL units after 00 00 01 start codes (never inside a unit: emulation prevention).
    units = [unit.rstrip(b"\x00") for unit in extradata.split(b"\x00\x00\x01")]
    kept = [unit for unit in units if unit and (unit[0] >> 1) & 0x3F not in (39, 40)]
    return b"".join(b"\x00\x00\x00\x01" + unit for unit in kept)


def _hvcc_without_sei(extradata: bytes) -> bytes:
    """An ``hvcC`` decoder configuration without its SEI arrays."""
    if len(extradata) < 23:
        return extradata
    out, position, kept = bytearray(extradata[:22]), 23, 0
    arrays = bytearray()
    for _ in range(extradata[22]):
        header, count = extradata[position], int.from_bytes(extradata[position + 1:position + 3])
        end = position + 3
        for _ in range(count):
            end += 2 + int.from_bytes(extradata[end:end + 2])
        if end > len(extradata):
            raise ValueError("hvcC is cut short")
        if header & 0x3F not in (39, 40):
            arrays += extradata[position:end]
            kept += 1
        position = end
    return bytes(out) + bytes([kept]) + bytes(arrays) + extradata[position:]


def _encrypted(packet) -> bool:
    """A packet of an encrypted track (MP4 'cenc', WebM encryption) carries its key's id."""
    try:
        return bool(packet.has_sidedata("encryption_info"))
    except (AttributeError, ValueError, KeyError):
        return False


def _check_streams(container, muxer: str, max_seconds: int):
    videos = [s for s in container.streams if s.type == "video"
              and not s.disposition & _attached_pic()]
    audios = [s for s in container.streams if s.type == "audio"]
    if not videos:
        raise VideoRejected(_NO_PICTURE)
    for stream in videos + audios:
        if _is_protected(stream):
            raise VideoRejected(_PROTECTED)
        name = _codec_name(stream)
        allowed = VIDEO_CODECS[muxer] if stream.type == "video" else AUDIO_CODECS[muxer]
        if name not in allowed:
            raise VideoRejected(_unsupported_codec(name))
    if container.duration is not None and container.duration / 1_000_000 > max_seconds:
        raise VideoRejected(_too_long(max_seconds))
    for stream in videos:
        width, height = stream.codec_context.width or 0, stream.codec_context.height or 0
        if width * height > MAX_VIDEO_PIXELS:
            raise VideoRejected(_too_large(width, height))
    return videos + audios


def _attached_pic() -> int:
    import av

    return int(av.stream.Disposition.attached_pic)


def _probe_decoder(av, stream):
    """A decoder for the first packets: one thread, and no frame larger than the limit."""
    decoder = av.CodecContext.create(stream.codec_context.codec.name, "r")
    decoder.extradata = stream.codec_context.extradata
    decoder.thread_count = 1
    decoder.thread_type = "SLICE"
    decoder.options = {"max_pixels": str(MAX_VIDEO_PIXELS)}
    return decoder


def _remux(av, data, demuxer, muxer, path, max_seconds, deadline: Deadline) -> set[str]:
    """Copy the video and audio packets into ``path``; return the original's tag values."""
    from av.bitstream import BitStreamFilterContext

    with av.open(io.BytesIO(data), format=demuxer, metadata_errors="ignore") as source:
        deadline.check()  # opening probes the streams, which reads and parses packets
        tags = _all_tags(source)
        kept = _check_streams(source, muxer, max_seconds)
        options = {"fflags": "+bitexact"}
        if muxer == "mp4":
            options["movflags"] = "+faststart"
        with av.open(str(path), "w", format=muxer, container_options=options) as target:
            copies, filters = {}, {}
            for stream in kept:
                # opaque: the stream is made from the decoder's parameters, no encoder needed
                # (none ships for H.265; AV1's decoder is libdav1d). Nothing is encoded.
                copy = target.add_stream_from_template(stream, opaque=True)
                copy.metadata.clear()
                copies[stream.index] = copy
                bsf = _BITSTREAM_FILTERS.get(_codec_name(stream))
                if bsf:
                    filters[stream.index] = BitStreamFilterContext(bsf, stream, copy)
                if _codec_name(stream) == "hevc":
                    copy.codec_context.extradata = _hevc_config_without_sei(
                        copy.codec_context.extradata)
            probe = kept[0]
            decoder = _probe_decoder(av, probe)
            pictures, probed = 0, 0
            for packet in source.demux(kept):
                deadline.check()
                if packet.dts is None:
                    continue  # the demuxer's empty flush packet
                if _encrypted(packet):
                    raise VideoRejected(_PROTECTED)
                index = packet.stream.index
                seconds = packet.pts if packet.pts is not None else packet.dts
                if packet.time_base is not None and float(seconds * packet.time_base) > max_seconds:
                    raise VideoRejected(_too_long(max_seconds))
                if index == probe.index and not pictures and probed < _DECODE_PROBE_PACKETS:
                    probed += 1
                    deadline.check()
                    try:
                        pictures += len(decoder.decode(packet))
                    except av.FFmpegError:
                        pass  # a damaged first packet: the next key frame may decode
                outgoing = filters[index].filter(packet) if index in filters else [packet]
                for out in outgoing:
                    out.stream = copies[index]
                    target.mux(out)
            if not pictures:
                deadline.check()
                try:
                    pictures = len(decoder.decode(None))
                except av.FFmpegError:
                    pictures = 0
            if not pictures:
                raise VideoRejected(_DAMAGED)
            for index, bsf in filters.items():
                for out in bsf.filter(None):
                    out.stream = copies[index]
                    target.mux(out)
    return tags


def _verify(av, cleaned: bytes, muxer: str, original_tags: set[str], deadline: Deadline) -> None:
    """Open the cleaned video again: only harmless tags, only video and audio, no leaks."""
    with av.open(io.BytesIO(cleaned), format="mov" if muxer == "mp4" else "matroska") as again:
        deadline.check()
        checks = [(again.metadata, HARMLESS_CONTAINER_TAGS[muxer])]
        for stream in again.streams:
            if stream.type not in ("video", "audio"):
                raise VideoRejected(_NOT_CLEAN)
            checks.append((stream.metadata, HARMLESS_STREAM_TAGS[muxer]))
        for tags, harmless in checks:
            for key, value in tags.items():
                if key not in harmless or (harmless[key] is not None
                                           and value not in harmless[key]):
                    raise VideoRejected(_NOT_CLEAN)
        if again.chapters():
            raise VideoRejected(_NOT_CLEAN)
        if not any(s.type == "video" for s in again.streams):
            raise VideoRejected(_DAMAGED)
    deadline.check()
    harmless_values = set()
    for table in (HARMLESS_CONTAINER_TAGS[muxer], HARMLESS_STREAM_TAGS[muxer]):
        for allowed in table.values():
            harmless_values |= allowed or set()
    for value in original_tags:
        if (isinstance(value, str) and len(value.strip()) >= _LEAK_MIN_LENGTH
                and value not in harmless_values and value.encode() in cleaned):
            raise VideoRejected(_NOT_CLEAN)
