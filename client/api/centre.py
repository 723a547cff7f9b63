"""The chef de centre's endpoints as Python calls (blocking, Qt-free): their centres' missions,
the constat de service fait recorded in bulk or corrected one by one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import TypeAdapter

from client.api.client import ImaginClient
from client.api.dec_models import ServiceDoneOut
from client.api.models import MissionType, Wire


class Convened(Wire):
    user_id: int
    name: str
    state: str  # CONVENED, NOT_PERFORMED, WITHDRAWN, CANCELLED
    state_label: str
    reason: str | None


class Service(Wire):
    date: dt.date | None
    remark: str | None
    recorded_at: dt.datetime
    recorded_by: str | None
    corrected: bool


class CentreMission(Wire):
    id: int
    type: MissionType
    type_label: str
    title: str
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time
    end_time: dt.time
    centre_id: int
    centre: str
    paper_code: str | None
    exam: str | None
    session: str
    people: list[Convened]
    service: Service | None
    missing: bool


_MISSIONS = TypeAdapter(list[CentreMission])


class CentreApi:
    def __init__(self, client: ImaginClient) -> None:
        self.client = client

    def missions(
        self, session_id: int | None = None, day: dt.date | None = None
    ) -> list[CentreMission]:
        params: dict[str, str] = {}
        if session_id is not None:
            params["session_id"] = str(session_id)
        if day is not None:
            params["day"] = day.isoformat()
        response = self.client._call("GET", "/dec/centre-missions", params=params)
        return self.client._parse_list(_MISSIONS, response)

    def record(
        self, mission_ids: Sequence[int], day: dt.date, remark: str | None
    ) -> ServiceDoneOut:
        """The constat de service fait of several missions at once, on `day`."""
        body = {
            "mission_ids": list(dict.fromkeys(mission_ids)),
            "date": day.isoformat(),
            "remark": remark,
        }
        response = self.client._call("POST", "/dec/missions/service-done", json=body)
        return self.client._parse(ServiceDoneOut, response)

    def correct(self, mission_id: int, day: dt.date, remark: str | None) -> None:
        """Records or corrects the constat of one mission."""
        body = {"date": day.isoformat(), "remark": remark}
        self.client._call("PUT", f"/dec/missions/{mission_id}/service-done", json=body)
