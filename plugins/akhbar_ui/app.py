"""The FastAPI app the plugin mounts on the Airflow API server (under /akhbar).

Pages (HTML, drawn on the server, charts as inline SVG) and their data as JSON:

    /akhbar/overview        /akhbar/api/overview     events per day, country pairs, agreements, money
    /akhbar/dyad            /akhbar/api/dyad         one pair's events in time order
    /akhbar/article/{id}    /akhbar/api/article/{id} cleaned paragraphs, repeats, marked facts
    /akhbar/feeds           /akhbar/api/feeds        feed health, latest runs, quarantine

Every route but the static files needs a signed-in Airflow user (the UI's JWT cookie or a
bearer token, checked by Airflow's own `get_user`); a page then sends the browser to the
login page, the JSON routes answer 401.
"""
from __future__ import annotations

import contextlib
import json
import logging
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg2
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from akhbar_ui import charts, highlight, queries
from akhbar_ui.queries import BadParameter, NotFound
from akhbar_ui.warehouse import Warehouse, WarehouseUnavailable

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
URL_PREFIX = "/akhbar"


class LoginRequired(Exception):
    def __init__(self, status: int, detail: str):
        self.status, self.detail = status, detail


async def signed_in_user(request: Request):
    """The Airflow user of the request (cookie or bearer token), as the API server's own
    routes check it."""
    from airflow.api_fastapi.core_api.security import bearer_scheme, get_user

    try:
        credentials = await bearer_scheme(request)
        return await get_user(request, None, credentials)
    except HTTPException as exc:
        raise LoginRequired(exc.status_code, str(exc.detail)) from None


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(type(value).__name__)


def as_json(data) -> Response:
    return Response(json.dumps(data, default=_json_default, ensure_ascii=False),
                    media_type="application/json")


def _num(value) -> str:
    if value is None:
        return "–"
    value = float(value)
    for unit, size in (("bn", 1e9), ("m", 1e6), ("k", 1e3)):
        if abs(value) >= size:
            return f"{value / size:.3g}\u00a0{unit}"
    return f"{value:g}"


def _bytes(value) -> str:
    value = float(value or 0)
    for unit, size in (("MB", 1e6), ("kB", 1e3)):
        if value >= size:
            return f"{value / size:.1f} {unit}"
    return f"{value:.0f} B"


def _when(value) -> str:
    if value is None:
        return "never"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC") if value.tzinfo else value.isoformat(" ", "minutes")
    return str(value)


def create_app(warehouse_url: str | None = None, *, require_login: bool = True) -> FastAPI:
    """`warehouse_url`: None reads it (warehouse.warehouse_url) at the first request.
    `require_login=False` is for tests of the data alone."""
    wh = Warehouse(warehouse_url)
    countries = queries.Countries(wh)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        wh.close()

    app = FastAPI(title="akhbar: diplomatic events and feed health", docs_url=None, redoc_url=None,
                  openapi_url=None, lifespan=lifespan)
    app.state.warehouse = wh
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    env.filters.update(num=_num, bytes=_bytes, when=_when)
    env.globals.update(colour=charts.category_colour, quad_names=charts.QUAD_NAMES)
    deps = [Depends(signed_in_user)] if require_login else []

    def base(request: Request) -> str:
        """This app's path as the browser sees it (behind Airflow's base URL, if any)."""
        return request.scope.get("root_path", "").rstrip("/")

    def airflow_base(request: Request) -> str:
        root = base(request)
        return root[: -len(URL_PREFIX)] if root.endswith(URL_PREFIX) else ""

    def wants_html(request: Request) -> bool:
        return "/api/" not in request.url.path

    def page(request: Request, template: str, **context) -> HTMLResponse:
        names = countries.names()
        html = env.get_template(template).render(
            base=base(request), airflow=airflow_base(request), names=names,
            qs=lambda **kw: urlencode({k: v for k, v in kw.items() if v not in (None, "")}),
            **context)
        return HTMLResponse(html)

    def error(request: Request, status: int, message: str):
        if wants_html(request):
            html = env.get_template("error.html").render(
                base=base(request), airflow=airflow_base(request), names={}, nav=None,
                status=status, message=message)
            return HTMLResponse(html, status_code=status)
        return JSONResponse({"detail": message}, status_code=status)

    @app.exception_handler(BadParameter)
    async def bad_parameter(request: Request, exc: BadParameter):
        return error(request, 400, str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return error(request, 404, str(exc))

    @app.exception_handler(WarehouseUnavailable)
    async def unavailable(request: Request, exc: WarehouseUnavailable):
        return error(request, 503, str(exc))

    @app.exception_handler(psycopg2.errors.QueryCanceled)
    async def too_slow(request: Request, exc):
        return error(request, 503, "the warehouse took too long to answer (statement timeout); narrow the period")

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        if wants_html(request):
            next_url = str(request.url)
            try:
                from airflow.api_fastapi.app import get_auth_manager

                login = get_auth_manager().get_url_login(next_url=next_url)
            except Exception:
                login = f"{airflow_base(request)}/auth/login?next={quote(next_url)}"
            return RedirectResponse(login, status_code=303)
        return JSONResponse({"detail": f"sign in to Airflow first ({exc.detail})"}, status_code=exc.status)

    # --- JSON ------------------------------------------------------------------------

    @app.get("/api/overview", dependencies=deps)
    def api_overview(start: str | None = None, end: str | None = None, country: str | None = None,
                     category: str | None = None, limit: str | None = None):
        data = queries.overview(wh, countries, start=start, end=end, country=country,
                                category=category, limit=limit)
        data["countries"] = _names_of(data, countries.names())
        return as_json(data)

    @app.get("/api/dyad", dependencies=deps)
    def api_dyad(a: str | None = None, b: str | None = None, start: str | None = None,
                 end: str | None = None, category: str | None = None, limit: str | None = None):
        return as_json(queries.dyad(wh, countries, a=a, b=b, start=start, end=end, category=category,
                                    limit=limit))

    @app.get("/api/article/{article_id}", dependencies=deps)
    def api_article(article_id: str):
        return as_json(queries.article(wh, article_id))

    @app.get("/api/feeds", dependencies=deps)
    def api_feeds(limit: str | None = None):
        return as_json(queries.feed_health(wh, limit=limit))

    @app.get("/api/countries", dependencies=deps)
    def api_countries():
        return as_json(countries.names())

    # --- pages -----------------------------------------------------------------------

    @app.get("/", dependencies=deps)
    def home(request: Request):
        return RedirectResponse(f"{base(request)}/overview", status_code=303)

    @app.get("/overview", dependencies=deps, response_class=HTMLResponse)
    def overview_page(request: Request, start: str | None = None, end: str | None = None,
                      country: str | None = None, category: str | None = None, limit: str | None = None):
        data = queries.overview(wh, countries, start=start, end=end, country=country,
                                category=category, limit=limit)
        names = countries.names()
        p = data["period"]
        root = base(request)
        dyad_link = lambda a, b: f"{root}/dyad?" + urlencode({"a": a, "b": b})  # noqa: E731
        sectors = [(r["sector"], float(r["agreements"] or 0),
                    f'{r["sector"]}: {r["agreements"]} agreements in {r["stories"]} stories')
                   for r in data["sectors"]]
        return page(request, "overview.html", data=data, nav="overview",
                    stacked=Markup(charts.stacked_days(data["daily"], p["start"], p["end"])),
                    legend=Markup(charts.legend(sorted({r["category"] for r in data["daily"]}))),
                    network=Markup(charts.network(data["pairs"], names, dyad_link)),
                    sector_bars=Markup(charts.hbars(sectors, "agreements per sector")),
                    categories=queries.CATEGORIES)

    @app.get("/dyad", dependencies=deps, response_class=HTMLResponse)
    def dyad_page(request: Request, a: str | None = None, b: str | None = None, start: str | None = None,
                  end: str | None = None, category: str | None = None, limit: str | None = None):
        pairs = queries.top_pairs(wh)
        if not a and not b:
            if not pairs:
                return page(request, "dyad.html", data=None, pairs=pairs, nav="dyad",
                            categories=queries.CATEGORIES)
            a, b = pairs[0]["a"], pairs[0]["b"]
        data = queries.dyad(wh, countries, a=a, b=b, start=start, end=end, category=category, limit=limit)
        return page(request, "dyad.html", data=data, pairs=pairs, nav="dyad", categories=queries.CATEGORIES)

    @app.get("/article/{article_id}", dependencies=deps, response_class=HTMLResponse)
    def article_page(request: Request, article_id: str):
        data = queries.article(wh, article_id)
        marks = dict(countries={c["country_code"] for c in data["countries"]},
                     persons=[p["name"] for p in data["persons"]],
                     amounts=[a["text"] for a in data["amounts"]],
                     evidence=[(e["evidence"], e["category"]) for e in data["events"]])
        for p in data["paragraphs"]:
            p["html"] = Markup(highlight.marked(p["text"], highlight.spans(p["text"], **marks)))
            p["repeat"] = p["duplicate_of_article"] is not None
        return page(request, "article.html", data=data, nav="article")

    @app.get("/feeds", dependencies=deps, response_class=HTMLResponse)
    def feeds_page(request: Request, limit: str | None = None):
        data = queries.feed_health(wh, limit=limit)
        for f in data["feeds"]:
            f["spark"] = Markup(charts.sparkline(f["days"]))
        return page(request, "feeds.html", data=data, nav="feeds", quote=quote)

    return app


def _names_of(data: dict, names: dict) -> dict:
    codes = set(data.get("event_countries", []))
    for r in data.get("pairs", []):
        codes |= {r["a"], r["b"]}
    for r in data.get("money", []):
        codes |= {r["country_a"], r["country_b"]}
    return {c: names[c] for c in sorted(codes) if c in names}
