"""When each scheduled job last ran: the service status line and page (``/status``) say from
it whether the statistics and the mail queue are keeping up (app/services/service_status.py)."""
from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class JobRun(db.Model):
    __tablename__ = "job_runs"

    # stats_refresh, outbox_deliver, lifecycle_tick: the cron jobs of docs/deploy.md.
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    runs: Mapped[int] = mapped_column(Integer, default=0)
