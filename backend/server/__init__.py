"""What `skywatch serve` runs under uvicorn below ASGI: the guarded HTTP protocol and its limits."""
