"""All models, imported here so that Alembic and the app see every table."""
from .agency import Agency
from .api import ApiKey, ApiToken, IdempotencyRecord
from .audit import AccessLog
from .category import Category
from .data_version import DataVersion
from .event import ReportEvent
from .follower import ReportFollower
from .job_run import JobRun
from .outbox import OutboxMessage
from .region import Region
from .second_factor import RecoveryCode, SecondFactor
from .session import SignInThrottle, UserSession
from .report import (
    Attachment,
    CodeRecovery,
    Escalation,
    Rating,
    PublicReportCount,
    ReferenceCounter,
    Report,
    ReporterContact,
    StagedUpload,
    Status,
)
from .statistics import (AgencyMonthHistogram, AgencyMonthStats, DurationBucket, FigureWindow, RegionDurationBucket, RegionMonthStats,
                         Snapshot, StatsDirty, StatsDirtyRegion)
from .user import User

__all__ = [
    "ApiKey",
    "ApiToken",
    "IdempotencyRecord",
    "JobRun",
    "AccessLog",
    "Agency",
    "Escalation",
    "OutboxMessage",
    "Rating",
    "Attachment",
    "Category",
    "DataVersion",
    "CodeRecovery",
    "PublicReportCount",
    "ReferenceCounter",
    "Region",
    "RecoveryCode",
    "SecondFactor",
    "RegionDurationBucket",
    "RegionMonthStats",
    "Report",
    "ReportEvent",
    "ReportFollower",
    "ReporterContact",
    "StagedUpload",
    "Status",
    "User",
    "UserSession",
    "SignInThrottle",
    "AgencyMonthStats",
    "AgencyMonthHistogram",
    "DurationBucket",
    "FigureWindow",
    "Snapshot",
    "StatsDirty",
    "StatsDirtyRegion",
]
