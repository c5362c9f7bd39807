"""All models, imported here so that Alembic and the app see every table."""
from .agency import Agency
from .api import ApiKey, ApiToken, IdempotencyRecord
from .audit import AccessLog
from .category import Category
from .event import ReportEvent
from .outbox import OutboxMessage
from .region import Region
from .report import (
    Attachment,
    Escalation,
    Rating,
    ReferenceCounter,
    Report,
    ReporterContact,
    StagedUpload,
    Status,
)
from .statistics import (AgencyMonthStats, DurationBucket, RegionDurationBucket, RegionMonthStats,
                         Snapshot, StatsDirty, StatsDirtyRegion)
from .user import User

__all__ = [
    "ApiKey",
    "ApiToken",
    "IdempotencyRecord",
    "AccessLog",
    "Agency",
    "Escalation",
    "OutboxMessage",
    "Rating",
    "Attachment",
    "Category",
    "ReferenceCounter",
    "Region",
    "RegionDurationBucket",
    "RegionMonthStats",
    "Report",
    "ReportEvent",
    "ReporterContact",
    "StagedUpload",
    "Status",
    "User",
    "AgencyMonthStats",
    "DurationBucket",
    "Snapshot",
    "StatsDirty",
    "StatsDirtyRegion",
]
