"""What a process loads when it starts (web, worker, manage.py): the apps and the URLconf, not the heavy
libraries that one kind of work needs. WeasyPrint (0.7 s), fontTools (0.15 s), openpyxl (0.1 s, and
10 MiB each), datasketch with SciPy (0.5 s) and scikit-learn (1 s) are imported by the code that uses them,
when it first runs."""

import subprocess
import sys

from tests.helpers import REPO_ROOT

SCRIPT = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.base"
import django
django.setup()
from django.urls import reverse
reverse("home")
print(" ".join(sorted(m for m in ("weasyprint", "fontTools", "openpyxl", "sklearn", "datasketch", "scipy") if m in sys.modules)))
"""


def test_starting_the_portal_imports_no_renderer_or_spreadsheet_library():
    loaded = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []
