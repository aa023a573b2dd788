"""``python -m harness`` runs the ``dbharness`` command line."""

import sys

from harness.cli import main

sys.exit(main())
