import sys

from scheduler.runner import main

sys.exit(main())
