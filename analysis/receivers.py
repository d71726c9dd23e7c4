"""The analysis app's wiring: a new or edited response gets its campaign and neighbours from a Celery task
after the commit (analysis.tasks), never in the request."""


def connect() -> None:
    """Called once from ``AnalysisConfig.ready()``."""
