"""``python -m scenarios`` runs the sapxep CLI."""

import sys

from scenarios.cli import main

sys.exit(main())
