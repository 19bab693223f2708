"""Request bodies of the reference server's POST endpoints: read with a size limit, checked
against their model. ``error(status, code, detail)`` makes the server's ErrorBody exception."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

ErrorFactory = Callable[[int, str, str], Exception]
M = TypeVar("M", bound=BaseModel)


async def bounded_body(request: Request, max_bytes: int, too_large: str, error: ErrorFactory) -> bytes:
    """The whole body, refused with 413 ``too_large`` as soon as it passes ``max_bytes``."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise error(413, "too_large", too_large)
    return bytes(body)


def first_problem(exc: ValidationError) -> str:
    """Where and what the first problem of a body that does not fit its model is."""
    errs = exc.errors()
    return f"{'.'.join(str(p) for p in errs[0]['loc'])}: {errs[0]['msg']}" if errs else str(exc)


async def read_model(request: Request, model: type[M], max_bytes: int, too_large: str, error: ErrorFactory) -> M:
    """The body as ``model``: 413 past ``max_bytes``, 400 naming the first problem."""
    raw = await bounded_body(request, max_bytes, too_large, error)
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise error(400, "bad_request", f"{model.__name__}: {first_problem(exc)}"[:300]) from None
