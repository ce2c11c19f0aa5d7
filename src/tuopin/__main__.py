import sys

from tuopin.cli import main

sys.exit(main())
