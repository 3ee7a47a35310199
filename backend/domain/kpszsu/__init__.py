# The Air Force writes in Ukrainian: Cyrillic letters that look like Latin ones are expected.
"""A parser of the Ukrainian Air Force's morning posts (channel kpszsu) into official reports.

Pure (no I/O), so the API (POST /api/v1/reports/parse) and the command line
(`skywatch parse-report`) read a post the same way. `parse_post` is the entry point.
"""

from backend.domain.kpszsu.post import MAX_TEXT, ParsedPost, PostError, parse_post, report_id

__all__ = ["MAX_TEXT", "ParsedPost", "PostError", "parse_post", "report_id"]
