"""Domain exceptions raised by services and turned into messages by views."""


class DomainError(Exception):
    """A rule of the domain refused the operation; ``message`` is user-facing (translatable)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    pass


class TransitionRefused(DomainError):
    pass
