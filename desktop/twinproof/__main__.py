"""``python -m twinproof`` is the ``twinproof`` command."""

import sys

from twinproof.cli import main

sys.exit(main())
