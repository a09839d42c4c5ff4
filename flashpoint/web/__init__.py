"""The HTTP API and the dashboard: `create_app(store_url, token=...)`, `serve(...)` and `demo(...)`.

See docs/api.md for the endpoints and the dashboard's pages.
"""

from __future__ import annotations

from .app import create_app
from .serve import demo, prepare_demo, serve

__all__ = ["create_app", "demo", "prepare_demo", "serve"]
