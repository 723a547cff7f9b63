"""Entry script for the PyInstaller bundle."""

import sys

from client.app import main

sys.exit(main())
