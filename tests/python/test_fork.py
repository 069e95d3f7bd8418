"""A process that forks while another of its threads is inside the library:
the children use the objects they inherited (the network, the shared
bundled catalogs) and finish, none hangs on a lock held by a thread that
does not exist in the child."""

import os
import subprocess
import sys
import textwrap

import pytest

import iotnet

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork() is POSIX only"),
    pytest.mark.skipif(not iotnet.catalog.has_engine(),
                       reason="the catalog and evaluation engine is not in this build"),
]

# Forks 20 children while a thread analyzes in a loop; each child analyzes
# and exits 0. Prints how many finished in time and with which exit codes.
FORK_WHILE_ANALYZING = textwrap.dedent("""
    import os, sys, threading, time
    import iotnet

    net = iotnet.load(sys.argv[1])
    expected = len(net.analyze())
    stop = threading.Event()

    def analyze_until_stopped():
        while not stop.is_set():
            net.analyze()

    worker = threading.Thread(target=analyze_until_stopped)
    worker.start()
    children = []
    for _ in range(20):
        time.sleep(0.005)
        pid = os.fork()
        if pid == 0:
            try:
                os._exit(0 if len(net.analyze()) == expected else 1)
            except BaseException:
                os._exit(2)
        children.append(pid)
    codes, deadline = [], time.monotonic() + 30
    while children and time.monotonic() < deadline:
        for pid in list(children):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                codes.append(os.waitstatus_to_exitcode(status))
                children.remove(pid)
        time.sleep(0.02)
    for pid in children:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    stop.set()
    worker.join()
    print("finished %d, hung %d, exit codes %s" % (len(codes), len(children), sorted(set(codes))))
""")


def test_children_forked_during_analyze_finish(home_model):
    done = subprocess.run([sys.executable, "-c", FORK_WHILE_ANALYZING, str(home_model)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "finished 20, hung 0, exit codes [0]\n"
