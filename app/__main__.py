"""`python -m app` and the `livestream-companion` command."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
