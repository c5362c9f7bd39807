"""The version of everything the public pages show (the page cache's key: app/page_cache.py).

One row. ``counter`` goes up by one in the same transaction as any change of public content
(a rollup refresh, a report published or its public text, redaction or steps changed, a
snapshot, the agency directory); ``services/data_version.py`` bumps it at commit. ``epoch`` is
random per database, so that a restored or re-created database never meets the cache entries
of another with the same counter.
"""
from __future__ import annotations

import secrets

from sqlalchemy import BigInteger, String, event, insert
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

ROW_ID = 1


def new_epoch() -> str:
    return secrets.token_hex(8)


class DataVersion(db.Model):
    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    epoch: Mapped[str] = mapped_column(String(32))
    counter: Mapped[int] = mapped_column(BigInteger, default=0)


@event.listens_for(DataVersion.__table__, "after_create")
def _first_row(table, connection, **_kw):
    """A table made by ``create_all`` (tests of old revisions) starts with its row, as the
    migration's does."""
    connection.execute(insert(table).values(id=ROW_ID, epoch=new_epoch(), counter=0))
