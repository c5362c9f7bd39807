"""The human API documentation at /api: in the site layout, Indonesian first, with examples."""
from __future__ import annotations

from tests.factories import HTMLPage


def test_the_api_page_explains_every_group_with_curl(client):
    response = client.get("/api")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    page = HTMLPage(html)
    assert page.find("html").get("lang") == "id"
    assert page.find("a", href="/api/v1/openapi.json") is not None
    assert page.find("header", class_="site-header") is not None  # the site layout
    for anchor in ("publik", "lapor", "pelapor", "instansi", "open311", "idempotensi", "galat", "batas"):
        assert page.by_id(anchor) is not None, anchor
    examples = " ".join(e.text for e in page.find_all("pre"))
    for needle in ("curl 'http://localhost/api/v1/complaints", "X-Tracking-Code:",
                   "Authorization: Bearer", "Idempotency-Key:", "tokens create --email",
                   "/api/v1/inbox/LPR-2026-0000123/actions", "/api/v1/statistics",
                   "/api/v1/snapshots", "/open311/v2/services.json", "/open311/v2/requests.xml",
                   "--data-urlencode 'api_key=", "address_id=13.71"):
        assert needle in examples, needle
    for setting in ("RATELIMIT_INTAKE", "RATELIMIT_TRACKING", "RATELIMIT_TOKEN", "Retry-After"):
        assert setting in html
    assert "Lampiran tidak termasuk API JSON" in html


def test_the_stylesheet_is_served_from_the_site(client):
    page = HTMLPage(client.get("/api").get_data(as_text=True))
    links = [e.get("href") for e in page.find_all("link", rel="stylesheet")]
    own = [href for href in links if "api-docs" in href]
    assert own
    with client.get(own[0]) as stylesheet:
        assert stylesheet.status_code == 200 and stylesheet.mimetype == "text/css"


def test_the_api_page_follows_the_language_switch(client, csrf, fresh_g):
    token = csrf("/api")
    client.post("/bahasa", data={"csrf_token": token, "lang": "en", "next": "/api"})
    assert '<html lang="en">' in client.get("/api").get_data(as_text=True)


def test_the_english_api_page_shows_english_examples(client, csrf, fresh_g):
    """The example texts are in the page's language; the error example stays as the API sends
    it (Indonesian), with its meaning in English below."""
    token = csrf("/api")
    client.post("/bahasa", data={"csrf_token": token, "lang": "en", "next": "/api"})
    html = client.get("/api").get_data(as_text=True)
    for indonesian in ("Jalan berlubang", "Foto lokasi sudah saya kirim",
                       "Petugas kami akan memeriksa", "Sistem tiket Dinkes"):
        assert indonesian not in html, indonesian
    assert "Pothole in front of SDN 3 Padang" in html
    assert "Our officers will inspect the place on Thursday." in html
    assert "Some fields are not valid." in html


def test_the_indonesian_api_page_examples_are_valid_json(client):
    import json
    import re

    html = client.get("/api").get_data(as_text=True)
    body = re.search(r"-d '(\{\s*\"report_type\".*?\})'", html, re.S).group(1)
    assert json.loads(body.replace("&#34;", '"'))["title"] == "Jalan berlubang di depan SDN 3 Padang"
