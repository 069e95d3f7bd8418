"""Exceptions, and check(): the one place where C return codes become them.

Every failing libiotnet call records a one-line message, and where known the
input file, line and data path; the exception carries them as attributes and
str(exc) is the message.
"""

from ._ffi import ffi, lib, text

__all__ = [
    "IotnetError", "ValidationError", "ParseError", "NotFoundError", "AlreadyExistsError",
    "KindError", "AttributeTypeError", "InUseError", "ClosedError", "InvalidArgumentError",
    "FileError", "OutOfMemoryError", "check",
]


class IotnetError(Exception):
    """A libiotnet call failed.

    Attributes: code (the negative IOTNET_E* code), message (one line), file
    and line (the input that was wrong, when known; line is None when
    unknown) and path (the data path, e.g.
    /iotnet-topology:topology/node[id='cam'], when known).
    """

    def __init__(self, message, code=None, file=None, line=None, path=None):
        super().__init__(message)
        self.message = message
        self.code = lib.IOTNET_ERROR if code is None else code
        self.file = file
        self.line = line
        self.path = path

    def __str__(self):
        # KeyError and OSError would otherwise quote or reformat the message.
        return self.message

    def __reduce__(self):
        return (type(self), (self.message, self.code, self.file, self.line, self.path))


class ValidationError(IotnetError):
    """Input is well-formed but breaks the schema or the model's rules."""


class ParseError(ValidationError):
    """Input is not well-formed JSON or XML."""


class NotFoundError(IotnetError, KeyError):
    """No element with that id (or attribute with that key)."""


class AlreadyExistsError(IotnetError):
    """An element with that id exists already."""


class KindError(IotnetError):
    """Unknown kind, or a kind of the wrong family (zone kind for a node...)."""


class AttributeTypeError(IotnetError, TypeError):
    """An attribute value of another type than its column holds."""


class InUseError(IotnetError):
    """The element is still referenced (by a node, link, rule, conduit or NAT)."""


class InvalidArgumentError(IotnetError, ValueError):
    """The library refused an argument value (bad name, range, address...)."""


class FileError(IotnetError, OSError):
    """A file could not be read or written."""


class OutOfMemoryError(IotnetError, MemoryError):
    """The library ran out of memory."""


class ClosedError(IotnetError, ValueError):
    """The network was closed; it (and its views) can no longer be used."""

    def __init__(self, message="the network is closed", code=None, file=None, line=None,
                 path=None):
        super().__init__(message, lib.IOTNET_EINVAL if code is None else code, file, line, path)


_BY_CODE = {
    lib.IOTNET_ENOMEM: OutOfMemoryError,
    lib.IOTNET_EINVAL: InvalidArgumentError,
    lib.IOTNET_ENOTFOUND: NotFoundError,
    lib.IOTNET_EEXISTS: AlreadyExistsError,
    lib.IOTNET_EINUSE: InUseError,
    lib.IOTNET_EKIND: KindError,
    lib.IOTNET_ETYPE: AttributeTypeError,
    lib.IOTNET_EPARSE: ParseError,
    lib.IOTNET_EVALIDATION: ValidationError,
    lib.IOTNET_EIO: FileError,
}


def error_from_code(code):
    """The exception for a failed call's return code, filled from the
    thread's last error when that error is the one the call recorded."""
    last = lib.iotnet_error_last()
    if last != ffi.NULL and last.code == code:
        message = text(last.message) or text(lib.iotnet_strerror(code))
        file, line, path = text(last.file), (last.line or None), text(last.path)
    else:
        message, file, line, path = text(lib.iotnet_strerror(code)), None, None, None
    return _BY_CODE.get(code, IotnetError)(message, code, file, line, path)


def check(code):
    """Return a non-negative result; raise the matching exception for a
    negative IOTNET_E* code."""
    if code < 0:
        raise error_from_code(code)
    return code
