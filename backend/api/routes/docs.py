"""The OpenAPI page at /docs, served from a local Swagger UI: nothing comes from a CDN."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from backend.api.middleware.csp import HEADER, inline_policy

ASSETS = "/static/swagger-ui"


def install_docs(app: FastAPI) -> None:
    """Mount Swagger UI's files and the /docs page that uses them."""
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    async def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
        # Swagger UI starts from one inline script: allowed by its hash, like any inline page.
        page.headers[HEADER] = inline_policy(bytes(page.body).decode())
        return page

    app.add_api_route("/docs", docs, include_in_schema=False, response_class=HTMLResponse)
