"""GET /api/v1/complaints page by page: a cursor (keyset) from each page to the next, the same
order as the board's list (a common word's matches newest first, unranked), numbered pages only
for the first few, and a wrong cursor refused. Runs on SQLite and, with
TEST_DATABASE_URL=postgresql://…, on PostgreSQL."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event

from app.extensions import db
from app.services import board
from tests.api.conftest import conforms, error_of, file

API = "/api/v1"
LIST = f"{API}/complaints"
EXTRA = 41  # with the seeded four: 45 public reports, three pages (20, 20, 5)


@pytest.fixture
def many(seeded):
    for n in range(EXTRA):
        # Filed at the same moment as the seeded ones: the order's ties fall to the id.
        file(seeded, f"extra{n}", public_title=f"Sampah menumpuk nomor {n}")
    return seeded


def public_references(seeded) -> set[str]:
    return {report.reference for name, report in seeded.reports.items()
            if name not in ("confidential", "unverified")}


def path_of(url: str) -> str:
    """A ``next``/``previous`` URL as the test client takes it."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def walk(client, start: str) -> list[dict]:
    """Every page from ``start``, following ``next`` until it is null."""
    pages = [conforms(client.get(start), LIST)]
    while pages[-1]["next"]:
        assert len(pages) < 20, "the walk does not end"
        pages.append(conforms(client.get(path_of(pages[-1]["next"])), LIST))
    return pages


def references(pages: list[dict]) -> list[str]:
    return [item["reference"] for page in pages for item in page["items"]]


def test_following_next_reads_every_public_report_exactly_once(client, many):
    pages = walk(client, LIST)
    listed = references(pages)
    assert [len(p["items"]) for p in pages] == [20, 20, 5]
    assert [p["page"] for p in pages] == [1, 2, 3]
    assert len(listed) == len(set(listed)) == 45
    assert set(listed) == public_references(many)
    assert all(p["order"] == "newest" and p["total"] == 45 and p["pages"] == 3
               and not p["total_is_capped"] for p in pages)
    # Newest first: one submission moment, so the newest id first.
    ids = {report.reference: report.id for report in many.reports.values()}
    assert [ids[r] for r in listed] == sorted((ids[r] for r in listed), reverse=True)
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    assert pages[-1]["next_cursor"] is None
    # The cursor is what the URL carries; the filters stay in it, no page number.
    query = parse_qs(urlsplit(pages[0]["next"]).query)
    assert query == {"cursor": [pages[0]["next_cursor"]]}


def test_a_report_published_during_the_walk_repeats_no_row(client, many):
    """With OFFSET a newer report would push the last row of page 1 onto page 2 as well."""
    first = conforms(client.get(LIST), LIST)
    file(many, "meanwhile", public_title="Terbit selagi dibaca")
    pages = [first, *walk(client, path_of(first["next"]))]
    listed = references(pages)
    assert len(listed) == len(set(listed)) == 45
    assert many.ref("meanwhile") not in listed  # newer than where the walk is: on page 1 now
    assert conforms(client.get(LIST), LIST)["items"][0]["reference"] == many.ref("meanwhile")


def test_previous_goes_back_to_the_same_pages(client, many):
    pages = walk(client, LIST)
    back = conforms(client.get(path_of(pages[2]["previous"])), LIST)
    assert back["page"] == 2 and back["items"] == pages[1]["items"]
    first = conforms(client.get(path_of(back["previous"])), LIST)
    assert first["page"] == 1 and first["items"] == pages[0]["items"]
    assert first["previous"] is None


def test_the_link_header_names_the_next_and_previous_pages(client, many):
    first = client.get(LIST)
    body = first.get_json()
    assert first.headers["Link"] == f'<{body["next"]}>; rel="next"'
    middle = client.get(path_of(body["next"]))
    links = middle.headers["Link"]
    assert f'<{middle.get_json()["next"]}>; rel="next"' in links
    assert f'<{middle.get_json()["previous"]}>; rel="prev"' in links
    assert body["next"].startswith("http://localhost/api/v1/complaints?")


def test_a_single_page_has_no_link_header(client, seeded):
    response = client.get(LIST)
    assert response.get_json()["next"] is None and "Link" not in response.headers


def test_filters_travel_in_the_cursor_urls(client, many):
    pages = walk(client, f"{LIST}?agency=dinkes-kota-padang&from=2026-11-01&q=")
    assert [len(p["items"]) for p in pages] == [20, 20, 4]  # Lebak's report is not Dinkes's
    query = parse_qs(urlsplit(pages[0]["next"]).query)
    assert query["agency"] == ["dinkes-kota-padang"] and query["from"] == ["2026-11-01"]
    assert "page" not in query


def skipped_rows(statement: str, parameters) -> list[int]:
    """The value of every OFFSET in ``statement``. SQLite's compiler writes ``LIMIT ? OFFSET ?``
    with 0 bound after every LIMIT (it has no LIMIT without an OFFSET), so the values tell a
    page that skips rows from one that does not; PostgreSQL writes OFFSET only when asked."""
    if isinstance(parameters, dict):  # psycopg: %(name)s
        return [int(parameters[name]) for name in re.findall(r"OFFSET %\((\w+)\)s", statement)]
    return [int(parameters[statement.count("?", 0, match.end()) - 1])  # sqlite3: ?
            for match in re.finditer(r"OFFSET \?", statement)]


def listing_sql(client, path: str) -> tuple[dict, list[str], list[int]]:
    """The answer to ``path``, the SQL statements that read reports for it, and the OFFSETs
    they bound."""
    statements, offsets = [], []

    def capture(_conn, _cursor, statement, parameters, *_rest):
        if "FROM reports" in statement:
            statements.append(" ".join(statement.upper().split()))
            offsets.extend(skipped_rows(statement, parameters))

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        body = conforms(client.get(path), LIST)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    if engine.dialect.name == "postgresql" and not any(offsets):
        assert not any("OFFSET" in s for s in statements), statements  # not even OFFSET 0
    return body, statements, offsets


def test_a_deep_page_reads_by_keyset_without_offset_or_count(client, many, monkeypatch):
    pages = walk(client, LIST)
    deep, statements, offsets = listing_sql(client, path_of(pages[1]["next"]))
    assert deep["items"] == pages[2]["items"]
    assert statements and not any(offsets), statements  # no row read only to be skipped
    assert not any("COUNT(" in s for s in statements)  # the first page's count travels along
    assert any("REPORTS.SUBMITTED_AT <" in s for s in statements)  # where the last page ended
    # A common word's deep page: a bound on the id, no OFFSET either.
    monkeypatch.setattr(board, "RANK_AT_MOST", 30)
    searched = walk(client, f"{LIST}?q=sampah")
    deep, statements, offsets = listing_sql(client, path_of(searched[1]["next"]))
    assert deep["items"] == searched[2]["items"] and deep["order"] == "latest"
    assert statements and not any(offsets), statements
    assert not any("COUNT(" in s for s in statements)
    # A numbered page skips its rows (which is why only the first few have numbers).
    _body, _statements, offsets = listing_sql(client, f"{LIST}?page=2")
    assert board.PAGE_SIZE in offsets
    _body, _statements, offsets = listing_sql(client, f"{LIST}?q=sampah&page=3")
    assert 2 * board.PAGE_SIZE in offsets


def test_a_numbered_page_is_the_same_page_as_the_cursors(client, many):
    pages = walk(client, LIST)
    second = conforms(client.get(f"{LIST}?page=2"), LIST)
    assert second["page"] == 2 and second["items"] == pages[1]["items"]
    # From a numbered page the cursors lead on.
    assert conforms(client.get(path_of(second["next"])), LIST)["items"] == pages[2]["items"]
    assert conforms(client.get(path_of(second["previous"])), LIST)["items"] == pages[0]["items"]
    # Past the last page: the last.
    assert conforms(client.get(f"{LIST}?page={board.NUMBERED_PAGES}"), LIST)["page"] == 3


def test_numbered_pages_stop_at_the_documented_number(client, seeded):
    error = error_of(client.get(f"{LIST}?page={board.NUMBERED_PAGES + 1}"), 400)
    assert error["fields"] == {"page": f"Paling besar {board.NUMBERED_PAGES}."}


def test_page_and_cursor_together_are_refused(client, many):
    cursor = client.get(LIST).get_json()["next_cursor"]
    error = error_of(client.get(f"{LIST}?cursor={cursor}&page=2"), 400)
    assert set(error["fields"]) == {"page"}


@pytest.mark.parametrize("cursor", [
    "garbage",  # not base64 JSON
    "WyJuZXdlc3QiLDEsMSwxLDFd",  # a list of the wrong shape
    "WyJuZXdlc3QiLDEsIjIwMjYtMTEtMDJUMDI6MDA6MDAiLDEsMiwzLDBd",  # a time without a zone
])
def test_a_cursor_that_is_not_one_is_a_clear_400(client, seeded, cursor):
    response = client.get(f"{LIST}?cursor={cursor}")
    error = error_of(response, 400)
    conforms(response, LIST)
    assert set(error["fields"]) == {"cursor"}
    assert error["fields"]["cursor"].startswith("Cursor tidak valid atau bukan milik daftar ini")


@pytest.mark.parametrize("cursor", ["", "a%20b", "x" * 201, "ab=="])
def test_a_cursor_of_the_wrong_form_is_refused_by_the_document(client, seeded, cursor):
    error = error_of(client.get(f"{LIST}?cursor={cursor}"), 400)
    assert set(error["fields"]) == {"cursor"}


@pytest.mark.parametrize("other", ["q=sampah", "agency=dinkes-kota-padang", "region=13.71",
                                   "from=2026-11-01"])
def test_a_cursor_of_another_list_is_refused(client, many, other):
    """Another search (another order) or other filters: the walk would not read its list once."""
    newest = client.get(LIST).get_json()["next_cursor"]
    error = error_of(client.get(f"{LIST}?{other}&cursor={newest}"), 400)
    assert set(error["fields"]) == {"cursor"}
    # The filters in another order are the same list.
    start = client.get(f"{LIST}?agency=dinkes-kota-padang&region=13.71").get_json()["next_cursor"]
    assert client.get(f"{LIST}?region=13.71&cursor={start}&agency=dinkes-kota-padang").status_code == 200


def test_the_cursor_error_follows_the_language_switch(client, seeded, csrf, fresh_g):
    token = csrf("/api")
    client.post("/bahasa", data={"csrf_token": token, "lang": "en", "next": "/api"})
    error = error_of(client.get(f"{LIST}?cursor=garbage"), 400)
    assert error["fields"]["cursor"].startswith("The cursor is not valid or not one of this list")


# --- a text search: the board's order ----------------------------------------------------------

def test_a_rare_word_is_ranked(client, many):
    body = conforms(client.get(f"{LIST}?q=sampah"), LIST)
    assert body["order"] == "relevance" and body["total"] == 41


def test_a_common_word_lists_newest_filed_first_unranked_page_by_page(client, many, monkeypatch):
    monkeypatch.setattr(board, "RANK_AT_MOST", 30)
    pages = walk(client, f"{LIST}?q=sampah")
    assert all(p["order"] == "latest" for p in pages)
    assert [len(p["items"]) for p in pages] == [20, 20, 1]
    listed = references(pages)
    expected = sorted((many.reports[f"extra{n}"] for n in range(EXTRA)),
                      key=lambda report: report.id, reverse=True)
    assert listed == [report.reference for report in expected]
    assert parse_qs(urlsplit(pages[0]["next"]).query)["q"] == ["sampah"]


def test_a_word_with_a_filter_is_ranked_until_it_has_too_many_matches(client, many, monkeypatch):
    body = conforms(client.get(f"{LIST}?q=sampah&agency=dinkes-kota-padang"), LIST)
    assert body["order"] == "relevance"
    monkeypatch.setattr(board, "RANK_AT_MOST", 30)
    body = conforms(client.get(f"{LIST}?q=sampah&agency=dinkes-kota-padang"), LIST)
    assert body["order"] == "latest"


def test_the_api_lists_what_the_board_lists(client, many, monkeypatch):
    monkeypatch.setattr(board, "RANK_AT_MOST", 30)
    for query, flt in (("", board.ReportFilter()), ("?q=sampah", board.ReportFilter(q="sampah")),
                       ("?q=laporan", board.ReportFilter(q="laporan"))):
        body = conforms(client.get(LIST + query), LIST)
        listed = board.public_report_list(flt)
        assert [i["reference"] for i in body["items"]] == [r.reference for r in listed.items]
        assert body["next_cursor"] == listed.next_cursor


# --- the page cache keeps each cursor's page apart ----------------------------------------------

@pytest.fixture
def cached_reader(app, db_session):
    from app import create_app

    made = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "PAGE_CACHE_TYPE": "simple"})
    yield made.test_client()
    with made.app_context():
        db.engine.dispose()


def test_each_cursor_is_its_own_stored_page_with_its_link(cached_reader, many, fresh_g):
    first = cached_reader.get(LIST)
    assert first.headers["X-Page-Cache"] == "miss" and first.headers["Cache-Control"].startswith("public")
    second_path = path_of(first.get_json()["next"])
    second = cached_reader.get(second_path)
    assert second.headers["X-Page-Cache"] == "miss"
    again = cached_reader.get(second_path)
    assert again.headers["X-Page-Cache"] == "hit"
    assert again.get_data() == second.get_data() and again.headers["Link"] == second.headers["Link"]
    assert again.get_json()["items"] != first.get_json()["items"]
    # A report published since: the stored pages are not served again.
    file(many, "later", public_title="Terbit kemudian")
    assert cached_reader.get(LIST).headers["X-Page-Cache"] == "miss"
