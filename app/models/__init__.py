"""All models, imported here so that Alembic and the app see every table."""
from .agency import Agency
from .category import Category
from .event import ReportEvent
from .region import Region
from .report import (
    Attachment,
    ReferenceCounter,
    Report,
    ReporterContact,
    StagedUpload,
    Status,
)
from .user import User

__all__ = [
    "Agency",
    "Attachment",
    "Category",
    "ReferenceCounter",
    "Region",
    "Report",
    "ReportEvent",
    "ReporterContact",
    "StagedUpload",
    "Status",
    "User",
]
