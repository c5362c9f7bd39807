"""Attachments: type read from the bytes, photos stripped of metadata, files kept out of reach."""
import io
import os
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image, PngImagePlugin
from sqlalchemy import func, select

from app.extensions import db
from app.models import Report, StagedUpload
from app.services import attachments
from app.services.attachments import UploadRejected, clean_filename, inspect_upload
from tests import factories

TEN_MB = 10 * 1024 * 1024


def inspect(data: bytes, name: str = "foto.jpg", limit: int = TEN_MB):
    return inspect_upload(io.BytesIO(data), name, limit)


def store(data: bytes, name: str = "foto.jpg"):
    """Inspect and stage a file as the web form does; return (staged row, stored bytes)."""
    folder = current_app.config["UPLOAD_FOLDER"]
    staged = attachments.stage(folder, inspect(data, name))
    db.session.flush()
    return staged, attachments.read_file(folder, staged.storage_name)


def open_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def close_to(pixel, expected, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected))


class TestPhotoMetadataIsRemoved:
    def test_the_test_photo_really_carries_metadata(self):
        original = factories.jpeg_with_gps()
        image = open_image(original)
        assert image.getexif().get(0x0110) == "Camera Model X"
        assert 0x8825 in image.getexif()
        assert image.info.get("comment") == b"secret comment"

    def test_stored_jpeg_has_no_exif_gps_camera_or_comment(self, db_session):
        staged, stored = store(factories.jpeg_with_gps(), "IMG_0001.jpg")
        image = open_image(stored)
        assert staged.content_type == "image/jpeg"
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert "comment" not in image.info
        assert b"Camera Model X" not in stored
        assert b"secret comment" not in stored
        assert b"Exif\x00\x00" not in stored
        # The photo itself survives.
        assert image.size == (64, 48)
        assert close_to(image.convert("RGB").getpixel((10, 10)), (200, 30, 30))

    def test_bytes_appended_after_the_image_are_dropped(self, db_session):
        _staged, stored = store(factories.jpeg_with_gps() + b"HIDDEN-PAYLOAD" * 10)
        assert b"HIDDEN-PAYLOAD" not in stored

    def test_size_and_hash_describe_the_cleaned_file(self, db_session):
        import hashlib

        staged, stored = store(factories.jpeg_with_gps())
        assert staged.size == len(stored)
        assert staged.sha256 == hashlib.sha256(stored).hexdigest()

    def test_png_text_chunks_are_removed(self, db_session):
        original = factories.png_with_text()
        assert b"Budi Santoso" in original
        staged, stored = store(original, "tangkapan-layar.png")
        image = open_image(stored)
        assert staged.content_type == "image/png"
        assert image.format == "PNG"
        assert b"Budi Santoso" not in stored
        assert b"tEXt" not in stored and b"iTXt" not in stored and b"zTXt" not in stored
        assert "Author" not in image.info
        assert not getattr(image, "text", {})

    def test_png_exif_and_icc_are_removed(self, db_session):
        source = Image.new("RGB", (12, 12), (1, 2, 3))
        exif = Image.Exif()
        exif[0x0110] = "Camera Model X"
        out = io.BytesIO()
        info = PngImagePlugin.PngInfo()
        info.add_itxt("Comment", "secret comment")
        source.save(out, "PNG", exif=exif, pnginfo=info)
        _staged, stored = store(out.getvalue(), "x.png")
        assert b"Camera Model X" not in stored and b"secret comment" not in stored
        assert dict(open_image(stored).getexif()) == {}

    def test_png_alpha_transparency_is_kept(self, db_session):
        _staged, stored = store(factories.png_with_transparency(), "logo.png")
        image = open_image(stored).convert("RGBA")
        assert image.getpixel((2, 2))[3] == 0          # the transparent corner stays transparent
        assert image.getpixel((12, 12)) == (0, 0, 255, 255)

    def test_png_with_half_transparency_is_kept(self, db_session):
        _staged, stored = store(factories.png_with_text(), "a.png")
        assert open_image(stored).convert("RGBA").getpixel((5, 5)) == (0, 128, 0, 128)

    def test_palette_png_transparency_is_kept(self, db_session):
        source = Image.new("P", (10, 10), 0)
        source.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
        source.putpixel((9, 9), 1)
        out = io.BytesIO()
        source.save(out, "PNG", transparency=0)
        _staged, stored = store(out.getvalue(), "p.png")
        rgba = open_image(stored).convert("RGBA")
        assert rgba.getpixel((0, 0))[3] == 0
        assert rgba.getpixel((9, 9)) == (200, 0, 0, 255)


class TestOrientation:
    @pytest.mark.parametrize("orientation, size", [
        (1, (20, 10)),
        (3, (20, 10)),   # upside down: same shape
        (6, (10, 20)),   # turned 90°: width and height swap
        (8, (10, 20)),
    ])
    def test_exif_orientation_is_applied(self, db_session, orientation, size):
        _staged, stored = store(factories.jpeg_with_orientation((20, 10), orientation))
        image = open_image(stored)
        assert image.size == size
        # Once applied, the orientation tag is gone, so viewers do not rotate it twice.
        assert 0x0112 not in image.getexif()

    def test_the_photo_looks_the_right_way_up(self, db_session):
        # Left half red, right half blue; orientation 6 means "rotate 90° clockwise to view",
        # so the left (red) edge must end up on top.
        source = Image.new("RGB", (40, 20), (0, 0, 255))
        source.paste((255, 0, 0), (0, 0, 20, 20))
        exif = Image.Exif()
        exif[0x0112] = 6
        out = io.BytesIO()
        source.save(out, "JPEG", exif=exif, quality=95)
        _staged, stored = store(out.getvalue())
        image = open_image(stored).convert("RGB")
        assert image.size == (20, 40)
        assert close_to(image.getpixel((10, 5)), (255, 0, 0))
        assert close_to(image.getpixel((10, 35)), (0, 0, 255))


XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
       b'syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>'
       b'Siti XMP</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>')


def pdf_of_size(size: int) -> bytes:
    """A real PDF of exactly ``size`` bytes (its page content padded)."""
    padding = size
    for _attempt in range(5):
        data = factories.small_pdf(padding=padding)
        if len(data) == size:
            return data
        padding += size - len(data)
    raise AssertionError("could not hit the size")


class TestPdfMetadataIsRemoved:
    def test_the_test_pdf_really_carries_metadata(self):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(factories.small_pdf(
            {"/Author": "Siti Anonimah"}, xmp=XMP, comment_author="Siti Komentar")))
        assert reader.metadata["/Author"] == "Siti Anonimah"
        assert reader.xmp_metadata is not None
        assert reader.pages[0]["/Annots"][0].get_object()["/T"] == "Siti Komentar"

    def test_stored_pdf_has_no_author_creator_title_xmp_or_comment_author(self, db_session):
        from pypdf import PdfReader

        original = factories.small_pdf(
            {"/Author": "Siti Anonimah", "/Creator": "Microsoft Word - KTP_Siti.docx",
             "/Title": "Surat pengaduan Siti", "/Producer": "Word 2019", "/Subject": "Siti"},
            xmp=XMP, comment_author="Siti Komentar")
        staged, stored = store(original, "surat.pdf")
        assert staged.content_type == "application/pdf" and staged.storage_name.endswith(".pdf")
        assert b"Siti" not in stored and b"Word" not in stored
        reader = PdfReader(io.BytesIO(stored))
        assert reader.metadata is None and reader.xmp_metadata is None
        assert "/Metadata" not in reader.pages[0]
        # The document itself is kept: its page and the comment's text.
        assert len(reader.pages) == 1
        note = reader.pages[0]["/Annots"][0].get_object()
        assert note["/Contents"] == "Lampu mati sejak sebulan." and "/T" not in note
        assert staged.size == len(stored)

    def test_stripping_twice_changes_nothing(self):
        once = attachments.clean_pdf(factories.small_pdf({"/Author": "Siti"}, xmp=XMP))
        assert attachments.clean_pdf(once) == once

    def test_a_pdf_locked_only_against_editing_is_opened_and_stored_unlocked(self, db_session):
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=io.BytesIO(factories.small_pdf({"/Author": "Siti"})))
        writer.encrypt(user_password="", owner_password="pemilik", algorithm="AES-128")
        out = io.BytesIO()
        writer.write(out)
        _staged, stored = store(out.getvalue(), "terkunci.pdf")
        reader = PdfReader(io.BytesIO(stored))
        assert not reader.is_encrypted and reader.metadata is None

    def test_a_pdf_that_needs_a_password_is_refused(self, db_session):
        from pypdf import PdfWriter

        writer = PdfWriter(clone_from=io.BytesIO(factories.small_pdf()))
        writer.encrypt(user_password="rahasia", algorithm="AES-128")
        out = io.BytesIO()
        writer.write(out)
        with pytest.raises(UploadRejected) as info:
            inspect(out.getvalue(), "sandi.pdf")
        assert info.value.message == ("sandi.pdf: Berkas PDF dikunci dengan kata sandi. Buka "
                                      "kuncinya (misalnya cetak ulang ke PDF tanpa kata sandi), "
                                      "lalu kirim lagi.")
        assert db.session.scalar(select(func.count()).select_from(StagedUpload)) == 0

    @pytest.mark.parametrize("data", [b"%PDF-1.4\n" + b"0" * 500, b"%PDF-1.7\n%%EOF\n",
                                      b"%PDF-" + random.Random(3).randbytes(3000)])
    def test_a_damaged_pdf_is_refused(self, db_session, data):
        with pytest.raises(UploadRejected, match="rusak"):
            inspect(data, "rusak.pdf")
        assert db.session.scalar(select(func.count()).select_from(StagedUpload)) == 0


everything_in = factories.pdf_content


def every_object(pdf):
    """Every dictionary and stream in the file, with the keys of each."""
    import pikepdf

    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            yield obj


def image_pdf(stream_bytes: bytes, **entries) -> bytes:
    """A one-page PDF that draws one image XObject made of ``stream_bytes`` and ``entries``."""
    import pikepdf
    from pikepdf import Dictionary, Name

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    image = pikepdf.Stream(pdf, stream_bytes)
    image.Type, image.Subtype = Name.XObject, Name.Image
    for key, value in entries.items():
        image[f"/{key}"] = value
    page = pdf.pages[0].obj
    page.Resources = Dictionary(XObject=Dictionary(Im0=image))
    page.Contents = pikepdf.Stream(pdf, b"q 50 0 0 50 10 10 cm /Im0 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


class TestPdfIsRebuilt:
    """What a PDF can hide besides its document information: none of it reaches the officer."""

    def test_the_test_pdf_really_hides_all_of_it(self):
        original = factories.pdf_with_hidden_content()
        for secret in factories.HIDDEN.values():
            assert secret.encode() in original, secret
        assert factories.GPS_IFD_TAG in original and b"Exif\x00\x00" in original

    def test_nothing_hidden_survives_in_the_stored_file(self, db_session):
        staged, stored = store(factories.pdf_with_hidden_content(), "laporan.pdf")
        assert staged.content_type == "application/pdf"
        content = everything_in(stored)
        for name, secret in factories.HIDDEN.items():
            assert secret.encode() not in content, name
        assert factories.GPS_IFD_TAG not in content
        assert b"Exif" not in content and b"xmpmeta" not in content
        assert b"JavaScript" not in content and b"EmbeddedFile" not in content

    def test_no_script_action_file_form_or_metadata_is_left_in_the_structure(self, db_session):
        import pikepdf

        _staged, stored = store(factories.pdf_with_hidden_content(), "laporan.pdf")
        with pikepdf.open(io.BytesIO(stored)) as pdf:
            for key in ("/OpenAction", "/AA", "/AcroForm", "/Metadata", "/Names", "/Threads"):
                assert key not in pdf.Root, key
            assert set(pdf.trailer.keys()) <= {"/Root", "/Size", "/ID"}
            page = pdf.pages[0].obj
            for key in ("/AA", "/PieceInfo", "/Metadata", "/B", "/TerangUjiPrivate"):
                assert key not in page, key
            subtypes = [str(a.Subtype) for a in page.Annots]
            assert "/FileAttachment" not in subtypes and "/Widget" not in subtypes
            for obj in every_object(pdf):
                keys = set(obj.keys())
                assert not keys & {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/FS", "/XFA",
                                   "/AA", "/Metadata", "/PieceInfo", "/T"}, keys
                action = obj.get("/A")
                if action is not None:
                    assert action.S == "/GoTo" and "/Next" not in action

    def test_the_page_the_photo_and_the_outline_are_still_there(self, db_session):
        import pikepdf
        from pypdf import PdfReader

        _staged, stored = store(factories.pdf_with_hidden_content(), "laporan.pdf")
        reader = PdfReader(io.BytesIO(stored))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        assert "Lampu jalan mati" in text
        assert "Isian formulir" in text  # the filled-in field is printed into the page
        with pikepdf.open(io.BytesIO(stored)) as pdf:
            page = pdf.pages[0]
            assert [float(v) for v in page.MediaBox] == [0, 0, 200, 150]
            (name, xobject), = page.get_images().items()
            image = pikepdf.PdfImage(xobject)
            assert (image.width, image.height) == (60, 40)
            photo = image.as_pil_image()
            assert photo.size == (60, 40)
            assert close_to(photo.convert("RGB").getpixel((30, 20)), (30, 160, 40), tolerance=12)
            jpeg = open_image(xobject.read_raw_bytes())
            assert jpeg.format == "JPEG"
            assert dict(jpeg.getexif()) == {}
            assert not {"exif", "xmp", "comment", "icc_profile"} & set(jpeg.info)
            assert str(pdf.Root.Outlines.First.Title) == "Halaman 1"
            note = [a for a in page.Annots if a.Subtype == "/Text"][0]
            assert str(note.Contents) == "Lampu mati sejak sebulan."  # a comment, without its author
            jump = [a for a in page.Annots if "/A" in a][0]
            assert jump.A.S == "/GoTo"

    def test_samples_are_re_encoded_and_their_metadata_dropped(self, db_session):
        import pikepdf
        from pikepdf import Name

        pixels = bytes(range(256)) * 3 * 4  # 32×32 RGB, bare samples
        data = image_pdf(pixels, Width=32, Height=32, ColorSpace=Name.DeviceRGB,
                         BitsPerComponent=8, ID=pikepdf.String("ID-RUDI"),
                         OPI=pikepdf.Dictionary(F=pikepdf.String("C:/Users/rudi/scan.tif")))
        _staged, stored = store(data, "scan.pdf")
        with pikepdf.open(io.BytesIO(stored)) as pdf:
            (_name, xobject), = pdf.pages[0].get_images().items()
            assert xobject.read_bytes() == pixels
            assert "/OPI" not in xobject and "/ID" not in xobject
        assert b"rudi" not in everything_in(stored)

    def test_a_pdf_whose_image_cannot_be_decoded_is_refused(self, db_session):
        from pikepdf import Name

        data = image_pdf(b"\xff\xd8\xff\xe0 not really a jpeg " * 20, Width=20, Height=20,
                         ColorSpace=Name.DeviceRGB, BitsPerComponent=8, Filter=Name.DCTDecode)
        with pytest.raises(UploadRejected) as info:
            inspect(data, "foto.pdf")
        assert info.value.message.startswith(
            "foto.pdf: Gambar di dalam berkas PDF tidak dapat dibaca")
        assert db.session.scalar(select(func.count()).select_from(StagedUpload)) == 0

    def test_an_image_of_a_kind_we_cannot_decode_is_refused(self, db_session):
        from pikepdf import Name

        data = image_pdf(b"\x00" * 64, Width=8, Height=8, ColorSpace=Name.DeviceGray,
                         BitsPerComponent=1, Filter=Name.JBIG2Decode)
        with pytest.raises(UploadRejected, match="Gambar di dalam berkas PDF"):
            inspect(data, "pindaian.pdf")

    def test_a_jpeg_whose_size_disagrees_with_the_pdf_is_refused(self, db_session):
        from pikepdf import Name

        data = image_pdf(factories.gps_jpeg_for_pdf(), Width=10, Height=10,
                         ColorSpace=Name.DeviceRGB, BitsPerComponent=8, Filter=Name.DCTDecode)
        with pytest.raises(UploadRejected, match="Gambar di dalam berkas PDF"):
            inspect(data, "foto.pdf")

    def test_a_huge_image_inside_a_pdf_is_refused_before_decoding(self, db_session):
        from pikepdf import Name

        data = image_pdf(b"\x00" * 10, Width=10_000, Height=5_000, ColorSpace=Name.DeviceGray,
                         BitsPerComponent=8, Filter=Name.FlateDecode)
        with pytest.raises(UploadRejected, match="megapiksel"):
            inspect(data, "besar.pdf")

    def test_an_inline_jpeg_is_refused_but_inline_samples_are_kept(self, db_session):
        import pikepdf

        def with_inline(image: bytes, filter_entry: bytes) -> bytes:
            pdf = pikepdf.new()
            pdf.add_blank_page(page_size=(50, 50))
            pdf.pages[0].obj.Contents = pikepdf.Stream(
                pdf, b"q 40 0 0 40 5 5 cm BI /W 4 /H 4 /CS /RGB /BPC 8 " + filter_entry
                + b" ID " + image + b" EI Q")
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()

        photo = io.BytesIO()
        Image.new("RGB", (4, 4), (9, 9, 9)).save(photo, "JPEG", comment=b"KOMENTAR")
        with pytest.raises(UploadRejected, match="Gambar di dalam berkas PDF"):
            inspect(with_inline(photo.getvalue(), b"/F /DCT"), "inline.pdf")
        _staged, stored = store(with_inline(b"\x07" * 48, b""), "inline.pdf")
        assert b"\x07" * 48 in everything_in(stored)

    @pytest.mark.parametrize("where", ["page content", "image samples", "photos"])
    def test_a_pdf_that_decodes_to_too_much_is_refused(self, db_session, monkeypatch, where):
        import zlib

        import pikepdf
        from pikepdf import Name

        # A small file whose streams decode to more than the budget (kept small for the test).
        monkeypatch.setattr(attachments, "PDF_MAX_DECODED_BYTES", 1024 * 1024)
        if where == "page content":
            pdf = pikepdf.new()
            pdf.add_blank_page()
            pdf.pages[0].obj.Contents = pikepdf.Stream(pdf, zlib.compress(b" " * 3_000_000))
            pdf.pages[0].obj.Contents.Filter = Name.FlateDecode
            out = io.BytesIO()
            pdf.save(out)
            data = out.getvalue()
        elif where == "image samples":
            data = image_pdf(zlib.compress(b"\x00" * 1_500_000), Width=1000, Height=500,
                             ColorSpace=Name.DeviceRGB, BitsPerComponent=8,
                             Filter=Name.FlateDecode)
        else:
            photo = io.BytesIO()
            Image.new("RGB", (700, 700)).save(photo, "JPEG")
            data = image_pdf(photo.getvalue(), Width=700, Height=700, ColorSpace=Name.DeviceRGB,
                             BitsPerComponent=8, Filter=Name.DCTDecode)
        assert len(data) < 100_000
        with pytest.raises(UploadRejected, match="terlalu besar"):
            inspect(data, "bom.pdf")

    def test_a_pdf_with_no_pages_is_refused(self, db_session):
        import pikepdf

        out = io.BytesIO()
        pikepdf.new().save(out)
        with pytest.raises(UploadRejected, match="rusak"):
            inspect(out.getvalue(), "kosong.pdf")


class TestTypeByContent:

    @pytest.mark.parametrize("name, data, content_type, extension", [
        ("surat.pdf", factories.jpeg_with_gps(), "image/jpeg", ".jpg"),
        ("foto.png", factories.jpeg_with_gps(), "image/jpeg", ".jpg"),
        ("foto.jpg", factories.png_with_text(), "image/png", ".png"),
        ("dokumen.jpg", factories.small_pdf(), "application/pdf", ".pdf"),
        ("tanpa-ekstensi", factories.small_pdf(), "application/pdf", ".pdf"),
    ])
    def test_type_comes_from_the_bytes_not_the_name(self, db_session, name, data, content_type,
                                                     extension):
        staged, stored = store(data, name)
        assert staged.content_type == content_type
        assert staged.storage_name.endswith(extension)
        assert staged.original_name == name
        if content_type == "image/jpeg":
            assert open_image(stored).format == "JPEG"

    @pytest.mark.parametrize("kind, data", [
        ("windows executable", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200),
        ("elf executable", b"\x7fELF\x02\x01\x01" + b"\x00" * 200),
        ("zip archive", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 200),
        ("gif image", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04"
                      b"\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"),
        ("html page", b"<!doctype html><html><body><script>alert(1)</script></body></html>"),
        ("svg image", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("plain text", b"just some text, not a photo"),
        ("webp image", b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 40),
    ])
    def test_other_types_named_jpg_are_refused(self, db_session, kind, data):
        with pytest.raises(UploadRejected) as info:
            inspect(data, "photo.jpg")
        assert "jenis berkas tidak diterima" in info.value.message
        assert "photo.jpg" in info.value.message
        assert db.session.scalar(select(func.count()).select_from(StagedUpload)) == 0


def office_zip(kind: str) -> bytes:
    """A minimal Office Open XML / OpenDocument file (both are zip archives)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr({"docx": "word/document.xml", "xlsx": "xl/workbook.xml",
                              "pptx": "ppt/presentation.xml"}[kind], "<x/>")
            archive.writestr("docProps/core.xml", "<dc:creator>Rudi Hartono</dc:creator>")
    return out.getvalue()


def tar_archive() -> bytes:
    import tarfile

    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        info = tarfile.TarInfo("ktp.jpg")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"abc"))
    return out.getvalue()


@pytest.mark.parametrize("name, data", [
    ("surat.docx", office_zip("docx")),
    ("tabel.xlsx", office_zip("xlsx")),
    ("slide.pptx", office_zip("pptx")),
    ("surat.odt", office_zip("odt")),
    ("surat.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),  # OLE (Word 97-2003)
    ("surat.rtf", b"{\\rtf1\\ansi Rudi Hartono}"),
    ("bukti.zip", office_zip("docx")),
    ("bukti.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 100),
    ("bukti.7z", b"7z\xbc\xaf\x27\x1c" + b"\x00" * 100),
    ("bukti.tar.gz", __import__("gzip").compress(tar_archive())),
    ("bukti.tar", tar_archive()),
])
def test_office_documents_and_archives_are_refused(db_session, name, data):
    # They cannot be cleaned (an Office file carries its author, revisions and embedded files;
    # an archive carries anything): only JPEG, PNG and PDF are accepted, whatever the name says.
    with pytest.raises(UploadRejected) as info:
        inspect(data, name)
    assert info.value.message == f"{name}: jenis berkas tidak diterima. Kirim JPEG, PNG, PDF, atau video MP4 atau WebM."
    assert db.session.scalar(select(func.count()).select_from(StagedUpload)) == 0


class TestRefused:
    def test_over_10_mb_is_refused_naming_the_limit(self):
        with pytest.raises(UploadRejected) as info:
            inspect(b"%PDF-1.4\n" + b"0" * TEN_MB, "besar.pdf")
        assert "10 MB" in info.value.message
        assert "besar.pdf" in info.value.message

    def test_exactly_10_mb_is_accepted(self):
        data = pdf_of_size(TEN_MB)
        assert len(data) == TEN_MB
        assert inspect(data, "pas.pdf").content_type == "application/pdf"

    def test_only_the_limit_plus_one_byte_is_read(self):
        stream = io.BytesIO(b"%PDF-" + b"0" * (3 * TEN_MB))
        with pytest.raises(UploadRejected):
            inspect_upload(stream, "x.pdf", TEN_MB)
        assert stream.tell() == TEN_MB + 1

    def test_empty_file_is_refused(self):
        with pytest.raises(UploadRejected, match="kosong"):
            inspect(b"", "kosong.jpg")

    @pytest.mark.parametrize("damage", ["truncated", "garbage", "header only"])
    def test_corrupt_jpeg_is_refused(self, damage):
        good = factories.jpeg_with_gps(size=(256, 256))
        data = {
            "truncated": good[: len(good) // 2],
            "garbage": good[:20] + random.Random(7).randbytes(2000),
            "header only": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        }[damage]
        with pytest.raises(UploadRejected) as info:
            inspect(data, "rusak.jpg")
        assert "rusak" in info.value.message or "jenis berkas" in info.value.message

    def test_truncated_png_is_refused(self):
        good = factories.png_with_text()
        with pytest.raises(UploadRejected, match="rusak"):
            inspect(good[: len(good) // 2], "rusak.png")

    def test_decompression_bomb_is_refused(self):
        huge = Image.new("1", (8000, 5001))  # 40 megapixels and a bit
        out = io.BytesIO()
        huge.save(out, "PNG")
        assert len(out.getvalue()) < TEN_MB
        with pytest.raises(UploadRejected, match="megapiksel"):
            inspect(out.getvalue(), "bom.png")


class TestFileNames:
    @pytest.mark.parametrize("given, shown", [
        ("foto.jpg", "foto.jpg"),
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("/var/www/app/static/x.jpg", "x.jpg"),
        ("C:\\Users\\budi\\Pictures\\foto.jpg", "foto.jpg"),
        ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        ("foto\x00.jpg", "foto.jpg"),
        ("foto\r\nSet-Cookie: x.jpg", "fotoSet-Cookie: x.jpg"),
        ("\u202egpj.exe", "gpj.exe"),   # right-to-left override is a control/format character
        ("  surat.pdf  ", "surat.pdf"),
        ("", "lampiran"),
        (None, "lampiran"),
        ("../", "lampiran"),
        ("\x07\x08", "lampiran"),
        ("Surat Keterangan Dinas – RT 03.pdf", "Surat Keterangan Dinas – RT 03.pdf"),
        ("a" * 300 + ".pdf", "a" * 200),
    ])
    def test_clean_filename(self, given, shown):
        assert clean_filename(given) == shown

    def test_the_cleaned_name_is_what_is_stored(self, db_session):
        staged, _stored = store(factories.small_pdf(), "../../x/\x00surat.pdf")
        assert staged.original_name == "surat.pdf"


class TestStorage:
    def test_stored_under_upload_folder_with_a_random_name(self, db_session):
        folder = Path(current_app.config["UPLOAD_FOLDER"]).resolve()
        static = Path(current_app.static_folder).resolve()
        first, _ = store(factories.jpeg_with_gps(), "rumah-saya.jpg")
        second, _ = store(factories.jpeg_with_gps(), "rumah-saya.jpg")
        for staged in (first, second):
            assert re.fullmatch(r"[0-9a-f]{32}\.jpg", staged.storage_name)
            assert "rumah" not in staged.storage_name
            matches = list(folder.rglob(staged.storage_name))
            assert len(matches) == 1
            path = matches[0].resolve()
            assert folder in path.parents
            assert static not in path.parents
            assert not list(static.rglob(staged.storage_name))
        assert first.storage_name != second.storage_name
        assert first.token != second.token

    def test_upload_folder_is_not_under_static(self, app):
        folder = Path(app.config["UPLOAD_FOLDER"]).resolve()
        static = Path(app.static_folder).resolve()
        assert static not in folder.parents and folder != static

    def test_no_partial_files_are_left_behind(self, db_session):
        staged, _ = store(factories.small_pdf(), "a.pdf")
        folder = Path(current_app.config["UPLOAD_FOLDER"])
        assert not list(folder.rglob(staged.storage_name + ".part"))

    def test_purge_drops_only_abandoned_staged_files(self, db_session):
        folder = current_app.config["UPLOAD_FOLDER"]
        now = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
        old, _ = store(factories.small_pdf(), "lama.pdf")
        fresh, kept = store(factories.small_pdf(), "baru.pdf")
        old.created_at = now - timedelta(days=2)
        fresh.created_at = now - timedelta(hours=2)
        db.session.flush()
        assert attachments.purge_staged(folder, now) == 1
        assert attachments.find_staged([old.token, fresh.token]) == [fresh]
        with pytest.raises(FileNotFoundError):
            attachments.read_file(folder, old.storage_name)
        assert attachments.read_file(folder, fresh.storage_name) == kept

    def test_files_no_row_names_are_purged_after_a_day(self, db_session, tmp_path):
        """A request killed (or failed) after staging its upload rolls the row back but not the
        file: such files, and cut-short ``.part`` files, go after a day; named ones stay."""
        folder = str(tmp_path)
        now = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
        staged = attachments.stage(folder, inspect(factories.small_pdf(), "menunggu.pdf"))
        attached = attachments.stage(folder, inspect(factories.small_pdf(), "terlampir.pdf"))
        db.session.flush()
        receipt = factories.file_report(staged_tokens=[attached.token])
        report = db.session.get(Report, receipt.report_id)
        assert [a.storage_name for a in report.attachments] == [attached.storage_name]
        # What a killed request leaves: a file whose row was rolled back, a write cut short.
        orphan = attachments.write_file(folder, inspect(factories.small_pdf(), "yatim.pdf"))
        fresh_orphan = attachments.write_file(folder, inspect(factories.small_pdf(), "baru.pdf"))
        part = tmp_path / "ab" / ("ab" + "0" * 30 + ".pdf.part")
        part.parent.mkdir(exist_ok=True)
        part.write_bytes(b"terpotong")
        unrelated = tmp_path / "ab" / "catatan-admin.txt"
        unrelated.parent.mkdir(exist_ok=True)
        unrelated.write_text("bukan unggahan")

        def path_of(name):
            return tmp_path / name[:2] / name

        two_days_ago = (now - timedelta(days=2)).timestamp()
        for path in (path_of(staged.storage_name), path_of(attached.storage_name),
                     path_of(orphan), part, unrelated):
            os.utime(path, (two_days_ago, two_days_ago))
        an_hour_ago = (now - timedelta(hours=1)).timestamp()
        os.utime(path_of(fresh_orphan), (an_hour_ago, an_hour_ago))

        assert attachments.purge_orphan_files(folder, now) == 2
        assert not path_of(orphan).exists() and not part.exists()
        for kept in (path_of(staged.storage_name), path_of(attached.storage_name),
                     path_of(fresh_orphan), unrelated):
            assert kept.exists(), kept
        assert attachments.purge_orphan_files(folder, now) == 0

    def test_find_staged_ignores_unknown_tokens_and_keeps_order(self, db_session):
        a, _ = store(factories.small_pdf(), "a.pdf")
        b, _ = store(factories.small_pdf(), "b.pdf")
        assert attachments.find_staged([b.token, "unknown", a.token, b.token, ""]) == [b, a]
        assert attachments.find_staged([]) == []


def test_a_truncated_image_is_refused_even_after_weasyprint_loosened_pillow(monkeypatch):
    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES = True.
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = factories.jpeg_with_gps(size=(320, 240))
    with pytest.raises(attachments.UploadRejected):
        attachments.reencode_image(whole[: len(whole) // 2], "image/jpeg")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's own setting is left as it was


class TestPdfsStoredByAnEarlierVersion:
    """Every file is cleaned once, at upload; PDFs stored before the rebuild are cleaned once
    more by ``flask attachments clean-stored``."""

    def stored_raw(self, report, data: bytes, name: str):
        """A PDF stored as an earlier version would have left it (not rebuilt)."""
        import hashlib

        from app.models import Attachment

        folder = current_app.config["UPLOAD_FOLDER"]
        storage_name = attachments.write_file(
            folder, attachments.CleanFile(name, "application/pdf", data))
        row = Attachment(report=report, storage_name=storage_name, original_name=name,
                         content_type="application/pdf", size=len(data),
                         sha256=hashlib.sha256(data).hexdigest())
        db.session.add(row)
        db.session.flush()
        return row

    def test_old_pdfs_are_rebuilt_and_their_size_and_hash_follow(self, app, db_session):
        import hashlib

        from app.models import Report

        factories.file_report()
        report = db.session.scalar(select(Report).order_by(Report.id.desc()))
        hidden = self.stored_raw(report, factories.pdf_with_hidden_content(), "lama.pdf")
        locked = self.stored_raw(report, factories.locked_pdf(), "sandi.pdf")
        folder = current_app.config["UPLOAD_FOLDER"]

        rewritten, failed = attachments.clean_stored_pdfs(folder)
        assert (rewritten, failed) == (1, [locked.storage_name])
        data = attachments.read_file(folder, hidden.storage_name)
        content = factories.pdf_content(data)
        for name, secret in factories.HIDDEN.items():
            assert secret.encode() not in content, name
        assert (hidden.size, hidden.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        # Running it again is harmless; the file that cannot be cleaned is still reported.
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["attachments", "clean-stored"])
        assert result.exit_code == 1
        assert "stored PDFs rebuilt." in result.output
        assert locked.storage_name in result.output
        assert factories.HIDDEN["artist"].encode() not in factories.pdf_content(
            attachments.read_file(folder, hidden.storage_name))
