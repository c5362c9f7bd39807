"""/api/v1 endpoints. Each: parse, call one service, serialise. Shapes are in openapi.py."""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select

from ...extensions import db
from ...models import Agency
from . import bp
from .errors import ApiError


def agency_json(agency: Agency) -> dict:
    return {"slug": agency.slug, "name": agency.name, "short_name": agency.short_name,
            "level": agency.level, "parent": agency.parent.slug if agency.parent else None,
            "region": agency.region_code}


def page_args(default_size: int = 50, max_size: int = 200) -> tuple[int, int]:
    """``page`` and ``per_page`` from the query string, validated."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", default_size))
    except ValueError as exc:
        raise ApiError(400, "page dan per_page harus bilangan bulat.") from exc
    if page < 1 or not 1 <= per_page <= max_size:
        raise ApiError(400, f"page ≥ 1 dan 1 ≤ per_page ≤ {max_size}.")
    return page, per_page


@bp.get("/agencies")
def agencies():
    """Every active agency, paginated; ``level`` and ``q`` filter."""
    page, per_page = page_args()
    query = select(Agency).where(Agency.is_active.is_(True))
    if request.args.get("level"):
        query = query.where(Agency.level == request.args["level"])
    if request.args.get("q"):
        query = query.where(Agency.name.ilike(f"%{request.args['q'].replace('%', '')}%"))
    total = db.session.scalar(select(db.func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(Agency.slug).limit(per_page).offset((page - 1) * per_page))
    return jsonify({"page": page, "per_page": per_page, "total": total,
                    "items": [agency_json(a) for a in rows]})
