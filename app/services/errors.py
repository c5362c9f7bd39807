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


class FieldErrors(DomainError):
    """Several fields refused at once, so a form can show every error in one round.

    ``errors`` maps each field to its message, in the order of the form; ``field`` and
    ``message`` are the first of them, so a caller that handles one error still works.
    """

    def __init__(self, errors: dict[str, str]):
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_field)
        self.errors = dict(errors)


def field_errors(exc: DomainError) -> dict[str, str]:
    """Every (field, message) of ``exc``: several for :class:`FieldErrors`, else one."""
    if isinstance(exc, FieldErrors):
        return dict(exc.errors)
    return {exc.field: exc.message} if exc.field else {}


class NotFound(DomainError):
    pass


class TransitionRefused(DomainError):
    pass
