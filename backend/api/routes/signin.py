"""The sign-in page: one self-contained HTML form, no script, nothing fetched."""

from __future__ import annotations

import html

from starlette.responses import HTMLResponse

from backend.api.middleware.csp import HEADER, inline_policy

SIGN_IN = "/signin"
SIGN_OUT = "/signout"

_STYLE = """
body { background: #0d1117; color: #e6edf3; font-family: system-ui, sans-serif;
       display: flex; justify-content: center; margin-top: 12vh; }
form { background: #161b22; border-radius: 8px; padding: 24px 28px; width: 22rem; }
h1 { font-size: 1.4rem; margin: 0 0 16px; }
label { display: block; color: #8b949e; margin-bottom: 6px; }
input[type=password] { width: 100%; box-sizing: border-box; padding: 8px; font-size: 1rem;
       background: #0d1117; color: #e6edf3; border: 1px solid #30363d; border-radius: 6px; }
button { margin-top: 14px; padding: 8px 18px; font-size: 1rem; border: 0; border-radius: 6px;
       background: #238636; color: #fff; cursor: pointer; }
.error { color: #ff7b72; margin: 0 0 12px; }
"""


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this service, never another site."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(ord(char) < 0x20 or char == "\\" for char in target)
        or target.startswith((SIGN_IN, SIGN_OUT))
    ):
        return "/"
    return target


def sign_in_page(next_path: str, *, error: str | None = None, status: int = 200) -> HTMLResponse:
    """The form; `error` says why the last attempt failed (never echoing the token)."""
    problem = f'<p class="error" id="signin-error">{html.escape(error)}</p>' if error else ""
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Skywatch: sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{_STYLE}</style></head>
<body><form method="post" action="{SIGN_IN}" id="signin-form">
<h1>Skywatch</h1>{problem}
<label for="token">Access token</label>
<input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="{html.escape(safe_next(next_path))}">
<button type="submit" id="signin-submit">Sign in</button>
</form></body></html>
"""
    return HTMLResponse(
        page,
        status_code=status,
        headers={HEADER: inline_policy(page), "Cache-Control": "no-store"},
    )
