"""The Airflow plugin of akhbar's pages: a FastAPI app on the API server under /akhbar
(plugins/akhbar_ui) and entries in the UI's navigation that show its pages."""
from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from akhbar_ui.app import URL_PREFIX, create_app

ICON = "akhbar/static/icon.svg"


class AkhbarUIPlugin(AirflowPlugin):
    name = "akhbar_ui"
    fastapi_apps = [{"app": create_app(), "url_prefix": URL_PREFIX, "name": "akhbar pages"}]
    # href without a leading slash: the UI resolves it against its own base URL, and shows
    # the page in its frame at /plugin/<url_route>.
    external_views = [
        {"name": "Diplomatic events", "href": "akhbar/overview", "url_route": "akhbar-events",
         "destination": "nav", "category": "browse", "icon": ICON},
        {"name": "Dyad timeline", "href": "akhbar/dyad", "url_route": "akhbar-dyad",
         "destination": "nav", "category": "browse", "icon": ICON},
        {"name": "Feed health", "href": "akhbar/feeds", "url_route": "akhbar-feeds",
         "destination": "nav", "category": "browse", "icon": ICON},
    ]
