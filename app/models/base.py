"""Shared column helpers."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Timezone-aware now in UTC; every stored time is UTC."""
    return datetime.now(timezone.utc)
