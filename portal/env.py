"""The one reader of the environment.

Every setting that may differ between a demo, a developer's machine, CI and production is read
here, through django-environ, and nowhere else. Defaults are safe and make the portal run with no
servers at all: an embedded SQLite database and Celery tasks run in-process.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
