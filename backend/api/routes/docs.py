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
# Deep links put an <a> inside each operation's <button> (axe: nested-interactive, serious):
# off, each operation still opens on click and the page is one address.
PARAMETERS = {"deepLinking": False}
# Swagger UI's own colours under WCAG AA (axe: color-contrast, serious): white on the method
# badges and version stamps, the URL, the Authorize label, the schema buttons and the code
# highlighting, each darkened (or lightened on dark) to at least 4.5:1.
CONTRAST_CSS = """<style>
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #1f69c0; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #13804a; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #c22424; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #a35c00; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #107a66; }
.swagger-ui .info .title small { background: #555b66; }
.swagger-ui .info .title small.version-stamp { background: #3b6b00; }
.swagger-ui .info .url, .swagger-ui .info a { color: #1f5fa8; }
.swagger-ui .btn.authorize { color: #13804a; border-color: #13804a; }
.swagger-ui .btn.authorize svg { fill: #13804a; }
.swagger-ui .json-schema-2020-12-expand-deep-button { color: #555555; }
.swagger-ui .highlight-code span[style*="rgb(211, 99, 99)"] { color: #ff9c9c !important; }
</style>"""


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
            swagger_ui_parameters=PARAMETERS,
        )
        body = bytes(page.body).decode()
        # FastAPI's page names no language (axe: html-has-lang); the API speaks English.
        body = body.replace("<html>", '<html lang="en">', 1).replace(
            "</head>", f"{CONTRAST_CSS}</head>", 1
        )
        # Swagger UI starts from one inline script and our one style: allowed by their hashes.
        return HTMLResponse(body, headers={HEADER: inline_policy(body, data_images=True)})

    app.add_api_route("/docs", docs, include_in_schema=False, response_class=HTMLResponse)
