"""python -m iotnet: the iotnet command (see cli.py)."""

import sys

from .cli import main

sys.exit(main())
