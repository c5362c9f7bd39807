"""Officer accounts."""
from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..models import User
from ..models.user import ROLES, ROLES_WITH_AGENCY
from . import agencies
from .errors import DomainError


def create_user(*, email: str, name: str, role: str, password: str,
                agency_slug: str | None = None) -> User:
    """Create an officer account; agency roles need an agency, the others must not have one."""
    email = email.strip().lower()
    if role not in ROLES:
        raise DomainError(f"Unknown role {role!r}.", field="role")
    if db.session.scalar(select(User).where(func.lower(User.email) == email)) is not None:
        raise DomainError(f"A user with e-mail {email} already exists.", field="email")
    agency = agencies.get_by_slug(agency_slug)
    if role in ROLES_WITH_AGENCY and agency is None:
        raise DomainError(f"Role {role} needs --agency with a known agency slug.", field="agency")
    if role not in ROLES_WITH_AGENCY and agency_slug:
        raise DomainError(f"Role {role} is not tied to an agency; leave out --agency.", field="agency")
    if len(password) < 10:
        raise DomainError("Password must have at least 10 characters.", field="password")
    user = User(email=email, name=name.strip(), role=role, agency=agency)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same cost either way)."""
    email = (email or "").strip().lower()
    user = None
    if "\x00" not in email:  # no address has one (and PostgreSQL refuses NUL in a query)
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        # Hash anyway so that a wrong e-mail takes as long as a wrong password.
        User(email="", name="", role="officer").set_password(password or "x")
        return None
    if not user.is_active or not user.check_password(password or ""):
        return None
    return user
