"""Django's Redis cache, failing open: a cache that cannot be reached must not stop a citizen.

The cache holds rate-limit counters (allauth's and the response form's) and the rendered response
lists of the hearing pages (``hearings.response_cache``), neither of which is the only copy of
anything. When Redis is down, Django's ``RedisCache`` raises on every call, and a sign-in, a response
or a page would end in an error page although PostgreSQL, which holds what matters, is up. Here every
call that fails is logged and answered as an empty cache that keeps nothing would answer it (see
``empty_cache_answer``): nothing is counted, so nobody is limited, and every list is rendered afresh,
until Redis is back. Short socket timeouts keep a request from waiting long on a Redis that does not
answer.

Every public method that ``RedisCache`` itself defines (the ones that talk to Redis) is wrapped, so a
method a later Django adds there fails open too (answering None until ``empty_cache_answer`` learns
it). The methods of ``BaseCache`` that ``RedisCache`` inherits (``get_or_set``, ``decr``,
``incr_version``, ``__contains__``, the async ``a*`` methods...) reach Redis only through those.
"""

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def empty_cache_answer(method: str, arguments: dict[str, Any]) -> Any:
    """What a cache that keeps nothing answers to ``method`` called with ``arguments`` (by parameter name).

    It is Django's cache API contract (docs/topics/cache "The low-level cache API") for a missing key:
    ``get`` gives the default, ``incr`` raises ValueError (callers such as django-ratelimit and
    ``BaseCache.decr``/``incr_version`` expect that of a key that has expired; django-ratelimit notes
    that memcached clients raise it when their server is unavailable, too). ``add`` answers True (stored, as if new): allauth takes its
    lock, a rate-limit counter starts from one. ``set_many`` lists every key as not stored. Methods that
    answer nothing (``set``, ``delete_many``) or that this function does not know get None.
    """
    match method:
        case "get":
            return arguments["default"]
        case "add":
            return True
        case "incr":
            raise ValueError(f"Key {arguments['key']!r} not found: the cache is unreachable")
        case "get_many":
            return {}
        case "set_many":
            return list(arguments["data"])
        case "touch" | "delete" | "has_key" | "clear":
            return False
        case _:
            return None


def _failed(method: str) -> None:
    logger.warning(
        "Redis cache unreachable (%s); rate limits are not counted and pages not cached meanwhile", method
    )


def _failing_open(name: str, method: Callable) -> Callable:
    """``method`` of RedisCache, answering ``empty_cache_answer(name, ...)`` when Redis is unreachable."""
    signature = inspect.signature(method)

    def answer(self, args, kwargs):
        _failed(name)
        call = signature.bind(self, *args, **kwargs)
        call.apply_defaults()
        return empty_cache_answer(name, call.arguments)

    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def failing_open_async(self, *args, **kwargs):
            try:
                return await method(self, *args, **kwargs)
            except UNREACHABLE:
                return answer(self, args, kwargs)

        return failing_open_async

    @functools.wraps(method)
    def failing_open(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE:
            return answer(self, args, kwargs)

    return failing_open


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache whose every call answers as an empty cache while Redis cannot be reached."""


for _name, _method in vars(RedisCache).items():
    if not _name.startswith("_") and inspect.isfunction(_method):
        setattr(FailOpenRedisCache, _name, _failing_open(_name, _method))
