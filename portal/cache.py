"""Django's Redis cache, failing open: a cache that cannot be reached must not stop a citizen.

The cache holds rate-limit counters (allauth's and the response form's) and the rendered response
lists of the hearing pages (``hearings.response_cache``), neither of which is the only copy of
anything. When Redis is down, Django's ``RedisCache`` raises on every call, and a sign-in, a response
or a page would end in an error page although PostgreSQL, which holds what matters, is up. Here every
call that fails is logged and answered as if the cache were empty: nothing is counted, so nobody is
limited, and every list is rendered afresh, until Redis is back. Short socket timeouts keep a request
from waiting long on a Redis that does not answer.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class FailOpenRedisCache(RedisCache):
    def _failed(self, operation: str) -> None:
        logger.warning(
            "Redis cache unreachable (%s); rate limits are not counted and pages not cached meanwhile",
            operation,
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE:
            self._failed("add")
            return True  # as if it were new: allauth takes its lock, a counter starts from one

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE:
            self._failed("get")
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except UNREACHABLE:
            self._failed("set")
            return None

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE:
            self._failed("get_many")
            return {}

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE:
            self._failed("set_many")
            return list(data)  # the keys that were not set

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE:
            self._failed("delete")
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            self._failed("incr")
            raise ValueError("cache unreachable") from error  # what a missing key raises
