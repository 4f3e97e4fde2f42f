"""``python -m sapxep.scenarios`` runs the sapxep CLI."""

import sys

from sapxep.scenarios.cli import main

sys.exit(main())
