"""The baseline: a trivial FastAPI endpoint, served exactly like the IMAG'IN server."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/api/v1/trivial")
def trivial() -> dict[str, str]:
    return {"status": "ok"}
