"""The fail-open Redis cache with Redis really unreachable: every public method of Django's cache API,
sync and async, answers as an empty cache would, and nothing raises a Redis error to the caller.

"Unreachable" is a port on 127.0.0.1 that this test holds bound without listening, so every connection
is refused at once; the shared Redis server is never touched.
"""

import asyncio
import inspect
import logging
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from portal.cache import FailOpenRedisCache

# Methods that never reach Redis (key making, timeouts, closing a client that holds no connection).
NO_REDIS = {
    "key_func",
    "make_key",
    "validate_key",
    "make_and_validate_key",
    "get_backend_timeout",
    "close",
    "aclose",
}

# What each method answers with Redis down: Django's answer for an empty cache (ValueError for a counter
# that is not there). A method that a later Django adds fails this test until it is given its answer here.
EMPTY_ANSWERS = {
    "add": True,
    "get": "fallback",
    "get_or_set": "fallback",
    "set": None,
    "touch": False,
    "delete": False,
    "has_key": False,
    "get_many": {},
    "set_many": ["k"],  # the keys that were not stored
    "aset_many": [],  # BaseCache's: sets key by key and reports no failures on any backend
    "delete_many": None,
    "incr": ValueError,
    "decr": ValueError,
    "incr_version": ValueError,
    "decr_version": ValueError,
    "clear": False,
}

UNDECIDED = object()
ARGUMENTS = {"key": "k", "value": 1, "default": "fallback", "keys": ["k"], "data": {"k": 1}, "delta": 1}


@pytest.fixture
def unreachable_cache():
    with socket.socket() as bound_not_listening:
        bound_not_listening.bind(("127.0.0.1", 0))
        port = bound_not_listening.getsockname()[1]
        options = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}
        yield FailOpenRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": options})


def public_methods(cache) -> list[str]:
    return sorted(
        name
        for name in dir(cache)
        if not name.startswith("_") and callable(getattr(cache, name)) and name not in NO_REDIS
    )


def expected_answer(name: str):
    """``aget`` answers as ``get`` does, unless it has an entry of its own."""
    if name in EMPTY_ANSWERS:
        return EMPTY_ANSWERS[name]
    return EMPTY_ANSWERS.get(name.removeprefix("a"), UNDECIDED)


def call(cache, name: str):
    method = getattr(cache, name)
    arguments = {p: ARGUMENTS[p] for p in inspect.signature(method).parameters if p in ARGUMENTS}
    if inspect.iscoroutinefunction(method):
        # In a thread of its own: this one may already run an event loop (Playwright's, after the browser
        # tests in the same process), where asyncio.run() and async_to_sync() refuse.
        with ThreadPoolExecutor(max_workers=1) as thread:
            return thread.submit(asyncio.run, method(**arguments)).result()
    return method(**arguments)


def test_every_method_answers_as_an_empty_cache_while_redis_is_unreachable(unreachable_cache, caplog):
    methods = public_methods(unreachable_cache)
    assert "decr" in methods and "adelete_many" in methods  # BaseCache's own and the async ones are here
    undecided = [name for name in methods if expected_answer(name) is UNDECIDED]
    assert undecided == [], "give these cache methods their empty-cache answer in EMPTY_ANSWERS"

    for name in methods:
        expected = expected_answer(name)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="portal.cache"):
            if expected is ValueError:
                with pytest.raises(ValueError, match="not found"):
                    call(unreachable_cache, name)
            else:
                assert call(unreachable_cache, name) == expected, name
        assert "Redis cache unreachable" in caplog.text, name

    assert "k" not in unreachable_cache
