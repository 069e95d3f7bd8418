"""FIFOs for the tests of inputs: a named pipe that a thread writes once."""

import contextlib
import os
import threading

TIMEOUT = 30


@contextlib.contextmanager
def fifo_written(directory, data, name="input.fifo", times=1):
    """A FIFO in `directory` that a thread opens and writes `data` into
    `times` times, then closes. When the test never opened it, it is opened
    here so that the writer ends; the writer must be done on leaving."""
    path = directory / name
    os.mkfifo(path)

    def write():
        try:
            with open(path, "wb") as f:
                for _ in range(times):
                    f.write(data)
        except BrokenPipeError:
            pass  # the reader stopped early, at a limit

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        yield path
    finally:
        if writer.is_alive():
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            writer.join(TIMEOUT)
            os.close(fd)
        writer.join(TIMEOUT)
        assert not writer.is_alive(), "the FIFO's writer did not finish"
