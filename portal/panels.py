"""Page panels that apps above provide for a page of an app below, which imports none of them.

A page owns a ``Panels``; an app above registers a provider in its ``AppConfig.ready``:
``provider(request, **objects) -> dict`` adds to the page's context what its templates need (the hearing
panel of a strategy page, the follow box of a hearing page)."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Provider = Callable[..., dict[str, Any]]


class Panels:
    def __init__(self) -> None:
        self._providers: list[Provider] = []

    def register(self, provider: Provider) -> None:
        """Add ``provider`` once (registering it again changes nothing)."""
        if provider not in self._providers:
            self._providers.append(provider)

    def context(self, request: HttpRequest, **objects: Any) -> dict[str, Any]:
        """Every provider's context for this page, merged in registration order."""
        context: dict[str, Any] = {}
        for provider in self._providers:
            context.update(provider(request, **objects))
        return context
