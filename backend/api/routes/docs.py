"""The OpenAPI page at /docs, served from a local Swagger UI: nothing comes from a CDN.

Swagger UI 5 (it reads OpenAPI 3.1, which FastAPI writes; 4.x cannot) comes as package files
from fastapi-swagger, a package that follows Swagger UI's releases. Only its files are used:
the page is FastAPI's own, with this service's CSP.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from backend.api.middleware.csp import HEADER, inline_policy

ASSETS = "/static/swagger-ui"
SWAGGER_UI_FILES = str(files("fastapi_swagger.resources"))


def install_docs(app: FastAPI) -> None:
    """Mount Swagger UI's files and the /docs page that uses them."""
    app.mount(ASSETS, StaticFiles(directory=SWAGGER_UI_FILES), name="swagger-ui")

    async def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
        # Swagger UI starts from one inline script: allowed by its hash, like any inline page.
        page.headers[HEADER] = inline_policy(bytes(page.body).decode(), data_images=True)
        return page

    app.add_api_route("/docs", docs, include_in_schema=False, response_class=HTMLResponse)
