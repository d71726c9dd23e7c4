"""A response's post counts once: the one-time submission token of the form page, claimed by the response it
files, and the files a failed submission had stored already, removed again."""

import functools
import logging
import re
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, ParamSpec, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError
from django.db.models.fields.files import FieldFile

from portal.text import normalise_text

from .models import Response

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

_P = ParamSpec("_P")
_R = TypeVar("_R")


class AlreadySubmitted(Exception):
    """The form was posted before: its one-time submission token is claimed by ``response``.

    ``same`` is True when this post says what the first one did (a double click on "Send", the
    browser's resubmit): the caller shows the first post's receipt. False when the text differs (the
    form sent again from the browser's history after changes): nothing of it is filed, and the caller
    shows the form again with a fresh token, so that nothing the user typed is lost."""

    def __init__(self, response: Response, *, same: bool):
        super().__init__(f"Submission token already claimed by response {response.pk}")
        self.response = response
        self.same = same


# secrets.token_urlsafe(24): 32 characters of the URL-safe base64 alphabet (RFC 4648 §5), 192 random bits.
SUBMISSION_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def new_submission_token() -> str:
    """A one-time token for one response form page: 32 URL-safe characters, unguessable (192 bits
    from ``secrets``). It is claimed by the response it files (per author, hearings.models.Response)."""
    return secrets.token_urlsafe(24)


# Files written to storage by the service running now, so they can be removed if it does not commit.
_stored_files: ContextVar[list[FieldFile] | None] = ContextVar("stored_files", default=None)


def discard_stored_files_on_failure(service: Callable[_P, _R]) -> Callable[_P, _R]:
    """Put outside ``@transaction.atomic``: if the transaction fails (a bad input found late, or the
    database connection lost mid-way), the files the service already wrote are deleted again, so no
    attachment outlives its rolled-back row."""

    @functools.wraps(service)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        stored: list[FieldFile] = []
        token = _stored_files.set(stored)
        try:
            return service(*args, **kwargs)
        except BaseException:
            for field_file in stored:
                try:
                    if field_file.name:
                        field_file.storage.delete(field_file.name)
                except OSError:
                    logger.exception("Could not remove %s after a failed transaction", field_file.name)
            raise
        finally:
            _stored_files.reset(token)

    return wrapper


def stored(field_file: FieldFile) -> None:
    """Note a file the running service (inside ``discard_stored_files_on_failure``) wrote to storage."""
    if (files := _stored_files.get()) is not None:
        files.append(field_file)


def claimed_by(*, author: "User | AnonymousUser", submission_token: str) -> Response | None:
    if not submission_token or isinstance(author, AnonymousUser) or author.pk is None:
        return None
    return Response.objects.filter(author=author, submission_token=submission_token).first()


def says_the_same(response: Response, text: str) -> bool:
    """Whether ``text``, as a post carried it, is the text ``response`` stored: cleaned as the response's
    text is (several lines, stripped), else a text with line breaks would never be "the same"."""
    stored: str = response.text
    return normalise_text(text or "").strip() == stored


def first_post_wins(service: Callable[_P, Response]) -> Callable[_P, Response]:
    """Put outside the transaction of ``submit_response``: two posts of one form at the very same time
    both pass the claim check, and the unique constraint on (author, token) stops the second at commit;
    it is answered as if it had waited for the first (``AlreadySubmitted``). A token that
    ``new_submission_token()`` did not make is a ``ValueError`` before anything is read."""

    @functools.wraps(service)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> Response:
        token = str(kwargs.get("submission_token", ""))
        if token and not SUBMISSION_TOKEN.fullmatch(token):
            raise ValueError(
                "A submission token is 32 URL-safe characters (hearings.submission.new_submission_token)"
            )
        try:
            return service(*args, **kwargs)
        except IntegrityError:
            earlier = claimed_by(
                author=cast("User | AnonymousUser", kwargs["author"]), submission_token=token
            )
            if earlier is None:
                raise
            raise AlreadySubmitted(earlier, same=says_the_same(earlier, str(kwargs["text"]))) from None

    return wrapper
