"""The life of a Python object that owns one C object."""

import contextlib
import os
import threading
import weakref

from ._ffi import ffi
from .errors import ClosedError


#: the live owners by id() (a Network has no hash)
_owners = weakref.WeakValueDictionary()


def new_lock(owner):
    """The re-entrant lock an owner uses its C object under; made anew in
    the child of a fork()."""
    _owners[id(owner)] = owner
    return threading.RLock()


def _fresh_locks_after_fork():
    """A lock that another thread held when the process forked would stay
    held in the child for ever (that thread does not exist there), and the
    child's first use of the object would hang: every owner gets a free
    lock. The C library's own locks are taken care of by the library."""
    for owner in list(_owners.values()):
        owner._lock = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_fresh_locks_after_fork)


class Owned:
    """Owns one C object: used under a re-entrant lock, freed by the garbage
    collector or at once by close() (or leaving a `with` block). Using it
    after that raises ClosedError, never crashes.

    copy.copy() and copy.deepcopy() give an independent object with its own
    C object (_copied()), or raise TypeError: sharing the pointer would let
    one copy's close() free what the other still uses. Pickling raises
    TypeError unless a subclass says how to rebuild the object."""

    #: what the object is called in ClosedError's message
    _what = "object"
    #: what to do instead of copying or pickling, for TypeError's message
    _instead = ""

    def _own(self, raw, free):
        self._lock = new_lock(self)
        self._ptr = ffi.gc(raw, free)

    @contextlib.contextmanager
    def _use(self):
        """Hold the object for one operation: the pointer, or ClosedError."""
        with self._lock:
            if self._ptr is None:
                raise ClosedError("the %s is closed" % self._what)
            yield self._ptr

    def _copied(self):
        """A new object with a C object of its own and the same content."""
        raise TypeError("a %s cannot be copied%s" % (self._what, self._instead))

    def __copy__(self):
        return self._copied()

    def __deepcopy__(self, memo):
        return self._copied()

    def __reduce_ex__(self, protocol):
        raise TypeError("a %s cannot be pickled%s" % (self._what, self._instead))

    def _forget(self):
        """What a subclass drops besides the pointer when it is closed."""

    def close(self):
        """Free the C object now. Closing twice is harmless."""
        with self._lock:
            if self._ptr is not None:
                ptr, self._ptr = self._ptr, None
                self._forget()
                ffi.release(ptr)

    @property
    def closed(self):
        return self._ptr is None

    def __enter__(self):
        with self._use():
            return self

    def __exit__(self, *exc):
        self.close()
        return False
