"""`copy_database`: a consistent copy of a SQLite file that another process keeps writing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from backend.cli.backup import copy_database

# Five steps of the old copy (1,024 pages of 4 KiB each): a writer that never
# pauses restarted it at every step, for ever (a server under steady writes, as in CI).
ROWS = 50_000
PAYLOAD = "x" * 400
# Long enough for any loaded machine to copy 20 MB; the old copy often never finished.
FINISH_WITHIN_S = 90
# The server's writes come from another process: SQLite restarts a stepwise copy for those.
WRITER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
print("writing", flush=True)
while True:
    # Two rows a commit: a copy holding one and not the other would be torn.
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO t (payload) VALUES (?)", [("pair",)] * 2)
        conn.execute("COMMIT")
    except sqlite3.OperationalError:  # busy for a moment: the writer goes on, as a server's
        if conn.in_transaction:
            conn.execute("ROLLBACK")
"""


def _database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        conn.executemany("INSERT INTO t (payload) VALUES (?)", [(PAYLOAD,)] * ROWS)
    conn.close()


def _pairs(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        pairs = conn.execute("SELECT count(*) FROM t WHERE payload = 'pair'").fetchone()[0]
        total = conn.execute("SELECT count(*) FROM t").fetchone()[0]
    conn.close()
    return int(pairs), int(total)


def test_a_copy_finishes_and_is_one_commit_while_another_process_writes(
    tmp_path: Path,
) -> None:
    source, target = tmp_path / "live.db", tmp_path / "copy.db"
    _database(source)
    copier = threading.Thread(target=copy_database, args=(source, target), daemon=True)
    command = [sys.executable, "-c", WRITER, str(source)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as writer:
        try:
            assert writer.stdout is not None
            assert writer.stdout.readline().strip() == "writing"
            time.sleep(0.2)  # commits under way before the copy starts
            copier.start()
            copier.join(FINISH_WITHIN_S)
            finished = not copier.is_alive()
        finally:
            writer.kill()
    assert finished, "the copy never finished while the source was being written"
    pairs, total = _pairs(target)
    assert pairs > 0  # the writer had committed before the copy began
    assert pairs % 2 == 0
    assert total == ROWS + pairs
    assert pairs <= _pairs(source)[0]
    assert not (tmp_path / ".copy.db.partial").exists()
