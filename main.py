"""Entry point for running from a checkout and for PyInstaller: ``python main.py [options]``."""

import sys

from cockpit.app import main

if __name__ == "__main__":
    sys.exit(main())
