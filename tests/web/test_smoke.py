def test_home_renders_in_indonesian(client):
    page = client.get("/").get_data(as_text=True)
    assert "Buat laporan" in page
    assert 'lang="id"' in page
