"""/api: how to use the API, with curl examples built on this server's own address."""
from __future__ import annotations

from flask import current_app, render_template, request

from ...services import board, sla, workflow
from . import bp


@bp.get("/api")
def index():
    return render_template(
        "api/index.html", base=request.url_root.rstrip("/"),
        limits={"intake": current_app.config["RATELIMIT_INTAKE"],
                "tracking": current_app.config["RATELIMIT_TRACKING"],
                "token": current_app.config["RATELIMIT_TOKEN"]},
        limits_enabled=current_app.config.get("RATELIMIT_ENABLED", True),
        archive_reasons=workflow.ARCHIVE_REASONS, resolution_classes=sla.RESOLUTION_CLASSES,
        # GET /api/v1/complaints: pages, numbered pages, ranking (the numbers the text states).
        listing={"per_page": board.PAGE_SIZE, "numbered_pages": board.NUMBERED_PAGES,
                 "numbered_reports": board.NUMBERED_PAGES * board.PAGE_SIZE,
                 "rank_at_most": board.RANK_AT_MOST, "count_cap": board.COUNT_CAP})
