"""Domain exceptions raised by services and turned into messages by views."""


class DomainError(Exception):
    """A rule of the domain refused the operation; ``message`` is user-facing (translatable).

    Services pass a lazy string (``lazy_gettext``), translated when it is read. Callers use
    ``str(exc.message)`` in the request: that gives the user's language, plain text that
    templates escape (a lazy string counts as safe markup) and that JSON can encode.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    pass


class TransitionRefused(DomainError):
    pass
