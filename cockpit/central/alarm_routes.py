"""The alarm loop's routes on the reference server (see :mod:`cockpit.api.alarms`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from cockpit.api.alarms import AlarmAction, AlarmList, AlarmRecord
from cockpit.api.schema import API_PREFIX, ErrorBody
from cockpit.central.alarms import AlarmConflict, AlarmStore
from cockpit.central.bodies import read_model

MAX_ACTION_BYTES = 64 * 1024
JSON = "application/json"


def add_alarm_routes(app: FastAPI, store: AlarmStore, publish: Callable[[str, dict[str, Any]], None], *,
                     error: Callable[[int, str, str], Exception], known_brain: Callable[[str], None],
                     errors: dict[int | str, dict[str, Any]]) -> None:
    """Add ``POST /alerts/{id}/ack|assign|close`` and ``GET /alarms``; each change is published
    on the state store's bus (topic ``alarms``: the alert id, its state and the version), so
    the streams that ask for it (``?changes=alarms``) send it as ``event: change``.

    ``error(status, code, detail)`` makes the server's ErrorBody exception; ``known_brain``
    raises its 404 for an unknown brain."""

    def changed(rec: AlarmRecord) -> None:
        publish("alarms", {"alert_id": rec.alert_id, "brain": rec.brain, "state": rec.state,
                           "version": rec.version})

    store.listeners.append(changed)
    app.state.alarms = store

    action_errors = {**errors, 409: {"model": ErrorBody, "description": "The alarm's state does not allow it"},
                     413: {"model": ErrorBody, "description": "Body larger than 64 KB"}}

    async def act(alert_id: str, action: str, request: Request) -> Response:
        if not 0 < len(alert_id) <= 128:
            raise error(400, "bad_request", "alert_id: 1 to 128 characters")
        parsed = await read_model(request, AlarmAction, MAX_ACTION_BYTES, "action body larger than 64 KB", error)
        known_brain(parsed.brain)
        try:
            rec = store.apply(alert_id, action, parsed)
        except AlarmConflict as exc:
            raise error(409, "conflict", str(exc)) from None
        except ValueError as exc:
            raise error(400, "bad_request", str(exc)) from None
        return Response(rec.model_dump_json(), media_type=JSON)

    descriptions = {
        "ack": "确认: new → acknowledged (who and when are kept). `note` optional.",
        "assign": "派单: acknowledged/assigned → assigned to `department`, with `note`.",
        "close": "办结: acknowledged/assigned → closed, `note` is the result.",
    }
    for name, text in descriptions.items():
        async def route(alert_id: str, request: Request, _name: str = name) -> Response:
            return await act(alert_id, _name, request)

        app.post(
            f"{API_PREFIX}/alerts/{{alert_id}}/{name}",
            response_model=AlarmRecord, responses=action_errors, tags=["alarms"],
            summary=f"Alarm loop: {name}",
            description=text + " Body: `AlarmAction` (JSON). The same `request_id` again changes nothing "
                               "and answers the record as it is. Answers the `AlarmRecord`.",
            openapi_extra={"requestBody": {"required": True,
                                           "content": {JSON: {"schema": {"$ref": "#/components/schemas/AlarmAction"}}}}},
            name=f"alarm_{name}",
        )(route)

    @app.get(f"{API_PREFIX}/alarms", response_model=AlarmList, responses=errors, tags=["alarms"],
             summary="Alarm handling records changed after a version (the journal)",
             description="Every record whose `version` is above `since_version` (default 0: all), oldest "
                         "change first, with the store's current `version` to ask from next time.")
    def get_alarms(since_version: int = Query(0, ge=0)) -> Response:
        version, recs = store.changed_since(since_version)
        return Response(AlarmList(version=version, alarms=recs).model_dump_json(), media_type=JSON)
