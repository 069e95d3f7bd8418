"""The `iotnet` command of the package (and `python -m iotnet`): runs the
command-line tool the package ships, iotnet/bin/iotnet, on the package's
own data directory, so it behaves as the C tool does (options, output,
exit codes) wherever pip put the package."""

import os
import sys

from .library import data_dir

#: the tool, linked by setup.py from the same objects as the extension
TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "iotnet")


def main(argv=None):
    """Replace this process by the tool with `argv` (sys.argv[1:] by default)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not os.access(TOOL, os.X_OK):
        sys.stderr.write("iotnet: the command-line tool %s is missing from this installation "
                         "(reinstall the package)\n" % TOOL)
        return 3
    env = dict(os.environ, IOTNET_DATA_DIR=data_dir())
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(TOOL, ["iotnet"] + args, env)
