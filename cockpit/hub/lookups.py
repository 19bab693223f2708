"""Answers looked up on demand: a brain's chain, an enterprise search or profile, a batch.

Each lookup asks the API (on the hub's thread pool) and keeps the answer in the offline
cache; when the API cannot answer, the cached answer is returned with the reason, so a
profile looked up yesterday still shows at a booth with no network, marked with its age.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from cockpit.api.client import ApiError, HttpError
from cockpit.api.drill import ChainLinkView, ClusterView, DistrictView
from cockpit.api.schema import Batch, Chain, EnterpriseList, EnterpriseProfile
from cockpit.api.twin import Twin
from cockpit.cache.worker import CacheWorker
from cockpit.hub.hub import Hub, now_ms

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Answer(Generic[M]):
    """What a lookup gives: the model (None: nothing to show), when it was fetched, and
    the problem if it came from the cache or not at all ("" when fresh from the API).
    ``missing`` is True when the API said there is no such thing (404)."""

    value: M | None
    fetched_ms: int | None
    error: str = ""
    missing: bool = False

    @property
    def cached(self) -> bool:
        return self.value is not None and bool(self.error)


class Lookups:
    def __init__(self, hub: Hub, cache: CacheWorker | None) -> None:
        self.hub = hub
        self.cache = cache

    async def chain(self, brain: str) -> Answer[Chain]:
        return await self._get("chain", brain, Chain, "chain", brain)

    async def enterprise(self, code: str) -> Answer[EnterpriseProfile]:
        return await self._get("enterprise", code, EnterpriseProfile, "enterprise", code)

    async def twin(self, code: str) -> Answer[Twin]:
        return await self._get("twin", code, Twin, "twin", code)

    async def batch(self, batch_no: str) -> Answer[Batch]:
        return await self._get("batch", batch_no, Batch, "batch", batch_no)

    async def district(self, district: str) -> Answer[DistrictView]:
        return await self._get("district", district, DistrictView, "district", district)

    async def district_cluster(self, district: str, brain: str) -> Answer[ClusterView]:
        return await self._get("district_cluster", f"{district}/{brain}", ClusterView, "district_cluster",
                               district, brain)

    async def chain_link(self, brain: str, link: str) -> Answer[ChainLinkView]:
        return await self._get("chain_link", f"{brain}/{link}", ChainLinkView, "chain_link", brain, link)

    async def search(self, q: str, brain: str | None = None, limit: int = 50) -> Answer[EnterpriseList]:
        key = f"{brain or ''}|{q}|{limit}"
        return await self._get("search", key, EnterpriseList, "enterprises", q, brain, limit)

    async def _get(self, kind: str, key: str, model: type[M], method: str, *args: object) -> Answer[M]:
        try:
            value: M = await self.hub.fetch(method, *args)
        except HttpError as exc:
            if exc.status == 404:  # the API says there is no such thing
                return Answer(None, None, str(exc), missing=True)
            return await self._cached(kind, key, model, str(exc))
        except ApiError as exc:
            return await self._cached(kind, key, model, str(exc))
        fetched = now_ms()
        if self.cache is not None:
            await self.cache.save_document(kind, key, value.model_dump_json(), fetched)
        return Answer(value, fetched)

    async def _cached(self, kind: str, key: str, model: type[M], error: str) -> Answer[M]:
        log.info("%s %s not fetched (%s): looking in the cache", kind, key[:40], error)
        if self.cache is None:
            return Answer(None, None, error)
        doc = await self.cache.load_document(kind, key)
        if doc is None:
            return Answer(None, None, error)
        text, fetched = doc
        try:
            return Answer(model.model_validate_json(text), fetched, error)
        except ValidationError:
            log.warning("cached %s %s no longer fits the contract: ignored", kind, key[:40])
            return Answer(None, None, error)
