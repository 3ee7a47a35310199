"""Ingest baseline: a bare FastAPI endpoint that only validates the posted event (EventIn).

Run as `python -m bench.ingest_baseline --port P`. POST /api/v1/events takes one EventIn as
FastAPI's body parameter and answers 201 with a tiny JSON body: no token, no store, no commit.
It is what a single-event POST costs at the least in this stack (uvicorn with httptools, one
worker, uvloop), so bench/ingest.py measures the product's single-event rate against it.
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI

from backend.domain.schemas import EventIn

app = FastAPI()


@app.post("/api/v1/events", status_code=201)
async def post(event: EventIn) -> dict[str, int]:
    """Validated by FastAPI; nothing stored."""
    return {"accepted": 1}


@app.get("/api/v1/healthz")
async def healthz() -> dict[str, str]:
    """Lets the benchmark wait for this server exactly as it waits for the product."""
    return {"status": "ok"}


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8800)
    args = parser.parse_args()
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        workers=1,
        http="httptools",
        loop="uvloop",
        access_log=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
