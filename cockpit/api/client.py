"""Blocking HTTP client for the central API (wire contract v1).

Runs on worker threads (the hub awaits it through an executor), never on the UI thread.
One ``requests.Session`` per worker thread, connect and read timeouts, bounded retries
with exponential backoff and jitter for idempotent GETs, conditional GETs with ETag, and
every payload validated against :mod:`cockpit.api.schema`. Errors come out as one of
three exception types so the caller can say what is wrong:

* :class:`Unreachable` — no answer (refused, DNS, timeout, connection cut mid-body);
* :class:`HttpError` — the server answered with an error status;
* :class:`ContractError` — the server answered 2xx with something that is not the contract.

The token is sent in the ``Authorization`` header and never logged or put in a message.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import quote, urlsplit

import requests
from pydantic import BaseModel, ValidationError
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import ReadTimeoutError

from cockpit.api import tolerant, uscc
from cockpit.api.drill import ChainLinkView, ClusterView, DistrictView
from cockpit.api.schema import (
    API_PREFIX,
    Batch,
    Catalog,
    Chain,
    DisplayHeartbeat,
    DisplayList,
    EnterpriseList,
    EnterpriseProfile,
    SeriesResponse,
    Snapshot,
)
from cockpit.api.tolerant import Problem
from cockpit.api.twin import Twin

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

MAX_BODY_BYTES = 32 * 1024 * 1024  # a larger answer is not the contract; refuse it
FUTURE_TOLERANCE_MS = 5 * 60 * 1000  # clocks may differ a little, not by hours
WITHHELD = "****"  # what is left of a server text that contained the token


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def scrub(text: str, token: str | None) -> str:
    """A server text without the token: a text that contains it (whatever its length) is
    withheld whole, ``Bearer <anything>`` is masked. Used on every text an answer brings
    before it is shown, logged, reported or cached."""
    if token and token in text:
        return WITHHELD
    return _BEARER_RE.sub(f"Bearer {WITHHELD}", text)


_BEARER_RE = re.compile(r"(?i)\bbearer\s+\S+")


class ApiError(Exception):
    """Base of everything the client raises; ``str()`` is a user-facing reason."""


class Unreachable(ApiError):
    """The server could not be reached or did not answer in time."""


class HttpError(ApiError):
    """The server answered with an error status."""

    def __init__(self, status: int, message: str, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status}: {message}" if message else f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class ContractError(ApiError):
    """The server answered, but the payload does not fit wire contract v1."""


@dataclass(frozen=True)
class ClientConfig:
    base_url: str
    token: str | None = None
    connect_timeout_s: float = 3.0
    read_timeout_s: float = 10.0
    # one attempt from request to last byte; a body trickling in slower is cut here.
    # None: connect_timeout_s + read_timeout_s
    total_timeout_s: float | None = None
    retries: int = 2  # extra attempts for idempotent GETs on connection errors / 502 / 503 / 504
    backoff_s: float = 0.25
    max_backoff_s: float = 4.0


def validate_base_url(url: str) -> str:
    """Return ``url`` without a trailing slash, or raise ValueError saying what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"API address must look like http://host:port, got {url!r}")
    return url.rstrip("/")


class ApiClient:
    """Thread-safe client: each worker thread gets its own ``requests.Session``."""

    RETRY_STATUSES = frozenset({502, 503, 504})

    def __init__(self, config: ClientConfig, clock: Callable[[], int] = now_ms) -> None:
        self.config = ClientConfig(**{**config.__dict__, "base_url": validate_base_url(config.base_url)})
        self.clock = clock  # epoch ms: answers with times in its future are refused
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()  # close(): answers being read end, nothing is retried
        self.sleep: Callable[[float], None] = time.sleep  # the wait between retries (tests record it)

    # ---- public API ---------------------------------------------------------------

    def catalog(self) -> Catalog:
        # its ts is not shown: a platform clock hours ahead is flagged where times are shown
        return self._parse(self._request("/brains"), Catalog)

    def snapshot(self, brain_id: str, etag: str | None = None) -> tuple[Snapshot | None, str | None]:
        """Current snapshot of a brain; ``(None, etag)`` when unchanged since ``etag`` (304)."""
        snap, new_etag, _ = self.snapshot_parts(brain_id, etag)
        return snap, new_etag

    def snapshot_parts(self, brain_id: str, etag: str | None = None
                       ) -> tuple[Snapshot | None, str | None, list[Problem]]:
        """As :meth:`snapshot`, read tolerantly: the parts that break the contract are left
        out or blanked and listed (:mod:`cockpit.api.tolerant`)."""
        headers = {"If-None-Match": etag} if etag else {}
        resp = self._request(f"/brains/{brain_id}/snapshot", headers=headers)
        new_etag = resp.headers.get("ETag")
        if resp.status_code == 304:
            return None, etag, []
        self._check_json(resp)
        try:
            snap, problems = tolerant.read(Snapshot, resp.content)
        except ValidationError as exc:
            raise ContractError(f"Snapshot does not fit the contract: {_summarize(exc)}") from None
        except ValueError:
            raise ContractError("Snapshot does not fit the contract: (body): not JSON") from None
        if snap.brain != brain_id:
            raise ContractError(f"snapshot for {brain_id!r} names brain {snap.brain!r}")
        return snap, new_etag, problems

    def series(
        self, metrics: Iterable[str], since_ms: int, until_ms: int, step_s: int
    ) -> SeriesResponse:
        params: list[tuple[str, str | int]] = [("metric", m) for m in metrics]
        params += [("since", since_ms), ("until", until_ms), ("step", step_s)]
        return self._get_model("/series", SeriesResponse, params=params)

    def chain(self, brain_id: str) -> Chain:
        """The brain's industry chain (HttpError 404 for a brain without one)."""
        chain = self._get_model(f"/brains/{quote(brain_id, safe='')}/chain", Chain)
        if chain.brain != brain_id:
            raise ContractError(f"chain for {brain_id!r} names brain {chain.brain!r}")
        return chain

    def enterprises(self, q: str = "", brain: str | None = None, limit: int = 50) -> EnterpriseList:
        """Enterprises whose name contains ``q`` or whose credit code starts with it."""
        params: list[tuple[str, str | int]] = [("q", q), ("limit", limit)]
        if brain is not None:
            params.append(("brain", brain))
        found = self._get_model("/enterprises", EnterpriseList, params=params)
        if brain is not None and any(e.brain != brain for e in found.items):
            raise ContractError(f"enterprise search for brain {brain!r} returned enterprises of other brains")
        return found

    def enterprise(self, code: str) -> EnterpriseProfile:
        """The enterprise-code profile of ``code`` (HttpError 400 for a malformed code, 404 unknown)."""
        prof = self._get_model(f"/enterprises/{quote(code.strip(), safe='')}", EnterpriseProfile)
        want = uscc.normalise(code)
        if prof.code != want:
            raise ContractError(f"profile for {want!r} names enterprise {prof.code!r}")
        return prof

    def twin(self, code: str) -> Twin:
        """The digital twin of the enterprise's plant (HttpError 404 for one without a twin)."""
        tw = self._get_model(f"/enterprises/{quote(code.strip(), safe='')}/twin", Twin)
        want = uscc.normalise(code)
        if tw.code != want:
            raise ContractError(f"twin for {want!r} names enterprise {tw.code!r}")
        return tw

    def batch(self, batch_no: str) -> Batch:
        """A rice-wine batch with its vintage verdict (HttpError 400 malformed, 404 unknown)."""
        b = self._get_model(f"/batches/{quote(batch_no.strip(), safe='')}", Batch)
        if b.batch_no != batch_no.strip().upper():
            raise ContractError(f"batch {batch_no!r} answered as {b.batch_no!r}")
        return b

    def district(self, district: str, limit: int = 100) -> DistrictView:
        """A district drilled into: figures, figures per brain, enterprises, alerts (HttpError 404 unknown)."""
        view = self._get_model(f"/districts/{quote(district, safe='')}", DistrictView, params=[("limit", limit)])
        if view.id != district:
            raise ContractError(f"district {district!r} answered as {view.id!r}")
        return view

    def district_cluster(self, district: str, brain: str) -> ClusterView:
        """One industry brain's enterprises in a district (HttpError 404 unknown district or brain)."""
        view = self._get_model(f"/districts/{quote(district, safe='')}/clusters/{quote(brain, safe='')}", ClusterView)
        if (view.district, view.brain) != (district, brain):
            raise ContractError(f"cluster {district!r}/{brain!r} answered as {view.district!r}/{view.brain!r}")
        return view

    def chain_link(self, brain: str, link: str) -> ChainLinkView:
        """A link of the brain's chain with its enterprises and gap reason (HttpError 404 unknown)."""
        view = self._get_model(f"/brains/{quote(brain, safe='')}/chain/{quote(link, safe='')}", ChainLinkView)
        if (view.brain, view.link.id) != (brain, link):
            raise ContractError(f"chain link {brain!r}/{link!r} answered as {view.brain!r}/{view.link.id!r}")
        return view

    def post_heartbeat(self, hb: DisplayHeartbeat) -> None:
        """Report this display to the fleet list (any 2xx is taken; the answer's body is not used).

        Sent once, never retried (the next heartbeat is the retry); the same connect, read
        and whole-answer timeouts as a GET. Raises :class:`Unreachable` or :class:`HttpError`.
        """
        path = f"/displays/{quote(hb.display_id, safe='')}/heartbeat"
        self._post(path, hb.model_dump_json().encode("utf-8"))

    def displays(self) -> DisplayList:
        """The displays that reported to the API, each with its state (ok, stale, down)."""
        # the fleet's own clock times (heartbeats, possibly from displays with wrong clocks):
        # listed as they are, the screen shows their ages
        return self._parse(self._request("/displays"), DisplayList)

    def close(self) -> None:
        """Close the sessions. A request in flight ends at its next read (at most the read
        timeout later) without a retry: an app quitting against a server that trickles its
        answers does not wait out every deadline and retry."""
        self._closed.set()
        with self._lock:
            for s in self._sessions:
                s.close()
            self._sessions.clear()

    # ---- internals ----------------------------------------------------------------

    def _session(self) -> requests.Session:
        s: requests.Session | None = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            s.headers["Accept"] = "application/json"
            s.headers["User-Agent"] = "industry-brain-cockpit/0.1"
            if self.config.token:
                s.headers["Authorization"] = f"Bearer {self.config.token}"
            self._local.session = s
            with self._lock:
                self._sessions.append(s)
        return s

    def _get_model(self, path: str, model: type[M], params: list | None = None) -> M:
        obj = self._parse(self._request(path, params=params), model)
        future = tolerant.future_problems(obj, self.clock(), FUTURE_TOLERANCE_MS)
        if future:  # e.g. local time sent as epoch ms: drawn hours off if taken
            raise ContractError(f"{model.__name__} does not fit the contract: {future[0]}: time in the future")
        return obj

    def _request(self, path: str, headers: dict | None = None, params: list | None = None) -> requests.Response:
        url = f"{self.config.base_url}{API_PREFIX}{path}"
        cfg = self.config
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                resp = self._session().get(
                    url,
                    headers=headers,
                    params=params,
                    timeout=(cfg.connect_timeout_s, cfg.read_timeout_s),
                    stream=True,
                )
                resp._content = self._read_body(resp, started)  # bounded in size and time
            except requests.RequestException as exc:
                if attempt < cfg.retries and not self._closed.is_set():
                    attempt += 1
                    self._sleep(attempt)
                    continue
                raise Unreachable(_describe(exc)) from None
            if resp.status_code in self.RETRY_STATUSES and attempt < cfg.retries and not self._closed.is_set():
                attempt += 1
                self._sleep(attempt, _retry_after(resp))
                continue
            if resp.status_code >= 400:
                raise HttpError(resp.status_code, scrub(_error_message(resp), cfg.token), _retry_after(resp))
            return resp

    def _post(self, path: str, body: bytes) -> requests.Response:
        """POST a JSON body once: no retries (a POST is not idempotent), bounded like a GET."""
        url = f"{self.config.base_url}{API_PREFIX}{path}"
        cfg = self.config
        started = time.monotonic()
        try:
            resp = self._session().post(
                url,
                data=body,
                headers={"Content-Type": "application/json"},
                timeout=(cfg.connect_timeout_s, cfg.read_timeout_s),
                stream=True,
            )
            resp._content = self._read_body(resp, started)
        except requests.RequestException as exc:
            raise Unreachable(_describe(exc)) from None
        if resp.status_code >= 400:
            raise HttpError(resp.status_code, scrub(_error_message(resp), cfg.token), _retry_after(resp))
        return resp

    def _read_body(self, resp: requests.Response, started: float) -> bytes:
        """The whole body, refused past MAX_BODY_BYTES or past the attempt's deadline.

        ``read1`` returns what has arrived, so the deadline is checked even while a body
        trickles in a few bytes at a time (``iter_content`` would wait for full chunks).
        """
        cfg = self.config
        total = cfg.total_timeout_s or (cfg.connect_timeout_s + cfg.read_timeout_s)
        deadline = started + total
        chunks: list[bytes] = []
        size = 0
        try:
            while chunk := resp.raw.read1(64 * 1024, decode_content=True):
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise ContractError(f"answer larger than {MAX_BODY_BYTES // 2**20} MB refused")
                if time.monotonic() > deadline:
                    raise requests.Timeout(f"answer took longer than {total:g} s")
                if self._closed.is_set():
                    raise requests.ConnectionError("the client was closed")
                chunks.append(chunk)
        except ReadTimeoutError:
            raise requests.ReadTimeout("Read timed out") from None
        except Urllib3Error as exc:  # cut off, wrong length, bad encoding
            raise requests.exceptions.ChunkedEncodingError(str(exc)) from None
        finally:
            resp.close()
        expected = resp.headers.get("Content-Length")
        wire = resp.raw.tell()  # bytes as sent (before any content decoding)
        # a 304 (and 204, 1xx) has no body; its Content-Length may name the full
        # representation's size (RFC 9110 §8.6), so it says nothing about a cut
        if resp.status_code in (204, 304) or resp.status_code < 200:
            expected = None
        if expected is not None and expected.isdigit() and int(expected) != wire:
            # the connection ended before the announced length: a cut answer, not a payload
            raise requests.exceptions.ChunkedEncodingError(f"answer cut off after {wire} of {expected} bytes")
        return b"".join(chunks)

    def _sleep(self, attempt: int, retry_after: float | None = None) -> None:
        # runs on a worker thread, never on the UI thread
        cfg = self.config
        delay = min(cfg.max_backoff_s, cfg.backoff_s * 2 ** (attempt - 1))
        delay = random.uniform(delay / 2, delay)
        if retry_after is not None:
            delay = min(cfg.max_backoff_s, max(delay, retry_after))
        self.sleep(delay)

    @staticmethod
    def _check_json(resp: requests.Response) -> None:
        ctype = resp.headers.get("Content-Type", "")
        if "json" not in ctype:
            raise ContractError(f"{resp.url.split('?')[0]}: expected JSON, got {ctype[:60] or 'no content type'}")

    @staticmethod
    def _parse(resp: requests.Response, model: type[M]) -> M:
        ApiClient._check_json(resp)
        try:
            return model.model_validate_json(resp.content)
        except ValidationError as exc:
            raise ContractError(f"{model.__name__} does not fit the contract: {_summarize(exc)}") from None


def _describe(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.ConnectTimeout):
        return "connection timed out"
    text = str(exc)
    if isinstance(exc, requests.ReadTimeout) or "Read timed out" in text:
        # requests reports a timeout while streaming the body as a ConnectionError
        return "server did not answer in time"
    if isinstance(exc, requests.Timeout):
        return text or "server did not answer in time"
    if isinstance(exc, requests.ConnectionError):
        if "Connection refused" in text:
            return "connection refused"
        if "Name or service not known" in text or "NameResolutionError" in text:
            return "host name not found"
        return "connection failed"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "answer cut off"
    return type(exc).__name__


def _summarize(exc: ValidationError, limit: int = 3) -> str:
    parts = []
    for err in exc.errors()[:limit]:
        loc = ".".join(str(p) for p in err["loc"]) or "(body)"
        parts.append(f"{loc}: {err['msg']}")
    more = exc.error_count() - limit
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def _error_message(resp: requests.Response) -> str:
    try:
        body = json.loads(resp.content)
    except ValueError:
        return resp.reason or ""
    if isinstance(body, dict):
        msg = body.get("detail") or body.get("error") or ""
        return str(msg)[:300]
    return ""


def _retry_after(resp: requests.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
