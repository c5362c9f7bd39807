"""Which store the page cache uses (app/page_cache.py, docs/performance.md "Caching")."""
from types import SimpleNamespace

import pytest

from app.page_cache import _cache_config


def _app(**config):
    return SimpleNamespace(config=config, instance_path="/srv/terang/instance")


@pytest.mark.parametrize("config, expected", [
    ({}, "SimpleCache"),
    ({"PAGE_CACHE_REDIS_URL": "redis://127.0.0.1:6379/0"}, "RedisCache"),
    ({"PAGE_CACHE_TYPE": "simple", "PAGE_CACHE_REDIS_URL": "redis://x"}, "SimpleCache"),
    ({"PAGE_CACHE_TYPE": "filesystem"}, "FileSystemCache"),
    ({"PAGE_CACHE_TYPE": "none"}, "NullCache"),
])
def test_the_store_follows_the_configuration(config, expected):
    assert _cache_config(_app(**config))["CACHE_TYPE"] == expected


def test_redis_gets_short_timeouts_and_the_filesystem_a_directory():
    redis = _cache_config(_app(PAGE_CACHE_REDIS_URL="redis://127.0.0.1:6379/0"))
    assert redis["CACHE_REDIS_URL"] == "redis://127.0.0.1:6379/0"
    assert redis["CACHE_OPTIONS"]["socket_timeout"] <= 1
    files = _cache_config(_app(PAGE_CACHE_TYPE="filesystem"))
    assert files["CACHE_DIR"] == "/srv/terang/instance/page-cache"


def test_only_a_shared_store_gets_a_local_copy_in_front_of_it():
    from app.page_cache import _local_tier

    def tier(**config):
        app = _app(**config)
        return _local_tier(app, _cache_config(app))

    assert tier() is None  # SimpleCache is local already
    assert tier(PAGE_CACHE_TYPE="filesystem") is None
    assert tier(PAGE_CACHE_REDIS_URL="redis://127.0.0.1:6379/0", PAGE_CACHE_LOCAL_ITEMS=0) is None
    local = tier(PAGE_CACHE_REDIS_URL="redis://127.0.0.1:6379/0", PAGE_CACHE_LOCAL_ITEMS=3)
    for n in range(10):  # it stays small: SimpleCache prunes once it passes its threshold
        local.set(str(n), n)
    assert sum(local.get(str(n)) is not None for n in range(10)) <= 3 + 1
