"""Wire shapes of supporting documents."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class DocumentFileOut(BaseModel):
    """A file attached to a required document. `statement_id` None: a document of the
    person's financial file (from their profile), counted for each of their statements."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    statement_id: int | None
    label: str
    name: str
    media_type: str
    size: int
    pages: int
    created_at: dt.datetime
