import sys

from patientinfo.cli import main

sys.exit(main())
