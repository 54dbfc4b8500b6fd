"""The web UI and REST API: one FastAPI app, server-rendered pages, bundled JavaScript.

Article text is hostile: pages are Jinja2 templates with autoescaping, span data goes
out as escaped JSON, and every response carries a Content-Security-Policy that allows
only the app's own scripts and styles. Request bodies are capped, analyses are bounded
in number and time, and a server bound beyond loopback requires a token.
"""

from __future__ import annotations

import csv
import datetime as dt
import hmac
import io
import ipaddress
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from http import HTTPStatus
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Form, HTTPException, Query, Request, UploadFile
from fastapi import Path as FastAPIPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field, WithJsonSchema, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from proplens import __version__
from proplens.analysers.language import language_codes
from proplens.analysis import Analysis
from proplens.api import get_pipeline
from proplens.document import Document
from proplens.ingest import (
    JSONL_SUFFIXES,
    IngestError,
    ReadOptions,
    read_bytes,
    size_problem,
)
from proplens.ingest.errors import normalise_newlines, storable
from proplens.report.html import (
    article_html,
    colour,
    panels_html,
    script_json,
    spans_json,
    technique_css,
)
from proplens.store import SearchHit, Store, StoreError, open_store
from proplens.techniques import TECHNIQUES, catalogue
from proplens.web.workers import AnalysisFailed, AnalysisTimeout, WorkerPool

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
#: Vega writes style attributes into the SVG it draws; the dashboard shows no article text,
#: and scripts stay 'self'-only there too.
DASHBOARD_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
#: Pages whose bundled libraries (Vega, Swagger UI) set style attributes.
INLINE_STYLE_PAGES = frozenset({"/dashboard", "/docs"})
TOKEN_COOKIE = "proplens_token"
WEB_MAX_CHARS = 150_000
#: Documents on one page of /documents, and most rows in a CSV export of a search.
PAGE_SIZE = 50
EXPORT_LIMIT = 200
#: Largest row id (PostgreSQL INTEGER); larger ids cannot exist.
MAX_ID = 2**31 - 1


class ErrorBody(BaseModel):
    detail: str


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        400: "Malformed request body",
        401: "Token required (server started with --token)",
        404: "No such document",
        413: "Request body over the size limit",
        503: "Too many analyses in progress, or no corpus store",
        504: "Analysis took longer than the time limit",
    }
    return {c: {"model": ErrorBody, "description": text[c]} for c in (400, 401, *codes)}


@dataclass(frozen=True)
class Settings:
    db_url: str | None = None
    token: str | None = None
    max_body_bytes: int = 10 * 1024 * 1024
    analysis_timeout_s: float = 30.0
    max_concurrent: int = 2
    #: Longest text analysed: a longer one gets 413 at once. What the default time limit
    #: serves on 2 cores with room to spare (200,000 characters took 16-23 s; see
    #: benchmarks/RESULTS.md): a limit the time limit cannot serve only makes 504s.
    max_chars: int = WEB_MAX_CHARS
    #: Host header values served (any port); None: any. `proplens serve` on loopback
    #: without a token allows only loopback names, against DNS rebinding.
    allowed_hosts: tuple[str, ...] | None = None
    #: Start the analysis workers with the app rather than on the first analysis.
    start_workers: bool = False


def _clean(value: str) -> str:
    """Lone surrogates and NULs (valid JSON escapes, not storable text) become U+FFFD, and
    line ends become LF, so that a text pasted in a browser (CRLF) and posted through the
    API is one document with one key."""
    return normalise_newlines(storable(value))


#: A date, a timestamp, or empty (no date).
PUBLISHED_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "format": "date-time"},
        {"type": "string", "maxLength": 0},
    ]
}


class _Cleaned(BaseModel):
    @field_validator("*", mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        """Runs before pydantic's own check, which refuses lone surrogates outright."""
        return _clean(value) if isinstance(value, str) else value


class AnalyzeRequest(_Cleaned):
    text: str = Field(
        min_length=1,
        pattern=r"\S",
        description="The article; line 1 is taken as the title. Not only white space.",
    )
    lang: (
        Annotated[str, WithJsonSchema({"type": "string", "enum": sorted(language_codes())})] | None
    ) = Field(default=None, description="ISO 639-1 code; detected when absent.")

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        value = _clean(value)
        if not value.strip():
            raise ValueError("text is empty (only white space)")
        return value

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        code = _clean(value).strip().lower()
        if code not in language_codes():
            raise ValueError("not an ISO 639-1 language code proplens knows")
        return code


class DocumentRequest(AnalyzeRequest):
    id: str | None = Field(
        default=None, max_length=1000, description="Your identifier for the document."
    )
    source: str = Field(
        default="", max_length=1000, description="Name of the source (newspaper, site, feed)."
    )
    published: Annotated[str, WithJsonSchema(PUBLISHED_SCHEMA)] | None = Field(
        default=None, description="ISO 8601 publication date (a full timestamp also serves)."
    )

    @field_validator("id", "source")
    @classmethod
    def _plain(cls, value: str | None) -> str | None:
        return None if value is None else _clean(value)

    @field_validator("published")
    @classmethod
    def _published(cls, value: str | None) -> str | None:
        from proplens.store.batch import parse_date

        if value is None or not value.strip():
            return None
        if parse_date(_clean(value)) is None:
            raise ValueError("not an ISO 8601 date (YYYY-MM-DD or a full timestamp)")
        return _clean(value)


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """The validation errors without the input that caused them: an error reply must not
    echo a 5 MB body, nor the lone surrogate that the JSON encoder cannot write."""
    out = []
    for error in exc.errors():
        message = str(error.get("msg", "invalid value"))
        out.append(
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "msg": storable(message)[:300],
                "type": str(error.get("type", "value_error")),
            }
        )
    return out


@dataclass(frozen=True)
class PageFilters:
    """The search filters of the documents page and of its CSV export (query parameters;
    empty means no filter)."""

    q: str = ""
    technique: str = ""
    speaker: str = ""
    actor: str = ""
    source: str = ""
    since: str = ""
    narrative: str = ""

    def query(self) -> dict[str, str]:
        """The filters that are set, for links to other pages of the same search."""
        return {k: v for k, v in asdict(self).items() if v}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="proplens",
        version=__version__,
        description="Persuasion techniques, span by span. Analyses follow proplens/analysis@1.",
        docs_url=None,  # served below from bundled Swagger UI: no CDN, no inline script
        redoc_url=None,
    )
    web = files("proplens.web")
    templates = Jinja2Templates(directory=str(web.joinpath("templates")))
    templates.env.globals.update(version=__version__, catalogue=catalogue(), techniques=TECHNIQUES)
    # analyses run in worker processes, so that one past the time limit can be stopped
    pool = WorkerPool(settings.max_concurrent, settings.analysis_timeout_s)
    app.router.on_shutdown.append(pool.close)
    if settings.start_workers:
        app.router.on_startup.append(pool.start)
    state: dict[str, Store] = {}

    def store() -> Store:
        if settings.db_url is None:
            raise HTTPException(503, "this server has no corpus store (start it with --db)")
        if "store" not in state:
            try:
                state["store"] = open_store(settings.db_url)
            except StoreError as exc:
                raise HTTPException(503, str(exc)) from None
        return state["store"]

    def error_reply(request: Request, status: int, message: str) -> Response:
        """The one shape of every error: JSON ``{"detail": ...}`` for the API (and any
        client that asks for JSON), a page for a browser."""
        wants_page = not request.url.path.startswith("/api") and "text/html" in (
            request.headers.get("accept", "")
        )
        headers = {"WWW-Authenticate": 'Bearer realm="proplens"'} if status == 401 else None
        if wants_page:
            title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
            context = {"status": status, "title": title, "message": message}
            return templates.TemplateResponse(
                request, "error.html", context, status_code=status, headers=headers
            )
        return JSONResponse({"detail": message}, status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status, message = exc.status_code, str(exc.detail)
        if status == 400 and "exceeded maximum size" in message:
            # Starlette's cap on a form's text field
            status, message = 413, "pasted text over 1 MB: upload it as a .txt file instead"
        response = error_reply(request, status, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = validation_errors(exc)
        if not request.url.path.startswith("/api"):
            message = "; ".join(f"{'.'.join(e['loc'][1:])}: {e['msg']}" for e in errors)
            return error_reply(request, 422, message or "invalid request")
        return JSONResponse({"detail": errors}, status_code=422)

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        early = await _refusal(request)
        response = early if early is not None else await call_next(request)
        if response.status_code == 405:
            response.headers["Allow"] = ", ".join(_allowed_methods(app, request.url.path))
        dashboard = request.url.path in INLINE_STYLE_PAGES
        response.headers["Content-Security-Policy"] = DASHBOARD_CSP if dashboard else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if early is None and settings.token and request.query_params.get("token") == settings.token:
            response.set_cookie(TOKEN_COOKIE, settings.token, httponly=True, samesite="strict")
        return response

    async def _refusal(request: Request) -> Response | None:
        """The reply to a request refused before any route sees it, or None."""
        if settings.allowed_hosts is not None and not _host_allowed(
            request.headers.get("host", ""), settings.allowed_hosts
        ):
            # a loopback server read through DNS rebinding sees a foreign Host header
            return error_reply(request, 421, "unexpected Host header")
        if request.method not in ("GET", "HEAD", "OPTIONS") and _cross_site(request):
            return error_reply(request, 403, "cross-site requests are refused")
        if settings.token and not _authorised(request, settings.token):
            return error_reply(request, 401, "a valid token is required")
        length = request.headers.get("content-length")
        too_large = f"request body over the {settings.max_body_bytes:,}-byte limit"
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            await _drain(request, DRAIN_FACTOR * settings.max_body_bytes)
            return error_reply(request, 413, too_large)
        if request.method in ("POST", "PUT") and not length:
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > settings.max_body_bytes:
                    return error_reply(request, 413, too_large)
            request._body = body
        return None

    def too_long(text: str) -> str | None:
        if len(text) > settings.max_chars:
            return f"text is {len(text):,} characters, over the {settings.max_chars:,} limit"
        return size_problem(Document.from_text(text), settings.max_chars)

    async def run_analysis(text: str, lang: str | None, doc_id: str = "pasted") -> Analysis:
        if (problem := too_long(text)) is not None:
            raise HTTPException(413, problem)
        try:
            return await pool.analyse(text, lang or None, doc_id)
        except TimeoutError:
            raise HTTPException(503, "too many analyses in progress; try again shortly") from None
        except AnalysisTimeout:
            raise HTTPException(
                504, f"analysis took over {settings.analysis_timeout_s:g} s and was stopped"
            ) from None
        except AnalysisFailed as exc:
            raise HTTPException(500, f"analysis failed ({exc})") from None

    @app.get("/static/techniques.css", include_in_schema=False)
    def techniques_css() -> Response:
        return Response(technique_css(), media_type="text/css")

    @app.get("/static/report.js", include_in_schema=False)
    def report_js() -> Response:
        """The same click-for-details script the standalone HTML report inlines."""
        script = files("proplens.report").joinpath("report.js").read_text("utf-8")
        return Response(script, media_type="text/javascript")

    @app.get("/static/report.css", include_in_schema=False)
    def report_css() -> Response:
        """The standalone report's styles, shared by the pages that show an article."""
        return Response(
            files("proplens.report").joinpath("report.css").read_text("utf-8"),
            media_type="text/css",
        )

    # -- API ------------------------------------------------------------------------------
    @app.post(
        "/api/analyze",
        tags=["analysis"],
        summary="Analyse a text",
        responses=_errors(413, 503, 504),
    )
    async def api_analyze(body: AnalyzeRequest) -> dict[str, Any]:
        """Return the `proplens/analysis@1` JSON of ``text``."""
        return (await run_analysis(body.text, body.lang)).to_dict()

    @app.post(
        "/api/documents",
        tags=["corpus"],
        summary="Analyse and store a document",
        status_code=201,
        responses={200: {"description": "Already stored (same text)"}, **_errors(413, 503, 504)},
    )
    async def api_add(body: DocumentRequest) -> JSONResponse:
        sha256 = Document.from_text(body.text).sha256
        known = await run_in_threadpool(store().id_of, sha256)
        if known is not None:  # said before the analysis, not after it
            return JSONResponse({"id": known, "added": False, "sha256": sha256}, status_code=200)
        analysis = await run_analysis(body.text, body.lang, body.id or "document")
        from proplens.store.batch import parse_date

        try:
            row_id = await run_in_threadpool(
                store().add, analysis, body.source, parse_date(body.published)
            )
        except StoreError as exc:
            raise HTTPException(503, str(exc)) from None
        added = row_id is not None
        if row_id is None:
            row_id = await run_in_threadpool(store().id_of, analysis.document.sha256)
        return JSONResponse(
            {"id": row_id, "added": added, "sha256": analysis.document.sha256},
            status_code=201 if added else 200,
        )

    @app.get(
        "/api/documents",
        tags=["corpus"],
        summary="Search stored documents",
        responses=_errors(503),
    )
    def api_search(
        q: str = "",
        technique: str | None = None,
        speaker: str | None = None,
        actor: str | None = None,
        source: str | None = None,
        since: Annotated[
            str | None,
            Query(
                pattern=r"^\d{4}-\d{2}-\d{2}$",
                description="YYYY-MM-DD",
                json_schema_extra={"format": "date"},
            ),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
        offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
        narrative: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    ) -> dict[str, Any]:
        """Full-text search with the same filters as ``proplens corpus search``."""
        hits = store().search(
            q, technique=technique, speaker=speaker, actor=actor, source=source,
            since=_date(since), limit=limit, offset=offset, narrative=narrative,
        )  # fmt: skip
        return {"results": [h.to_dict() for h in hits]}

    @app.get(
        "/api/documents/{doc_id}",
        tags=["corpus"],
        summary="One stored document",
        responses=_errors(404, 503),
    )
    def api_document(doc_id: Annotated[int, FastAPIPath(ge=1, le=MAX_ID)]) -> dict[str, Any]:
        row = store().get(doc_id)
        if row is None:
            raise HTTPException(404, "no such document")
        return row

    @app.get("/api/stats", tags=["corpus"], summary="Corpus statistics", responses=_errors(503))
    def api_stats(
        by: Literal["source", "month", "technique", "actor", "narrative"] = "technique",
    ) -> dict[str, Any]:
        """As ``proplens corpus stats --json``: counts and rates broken down ``by``."""
        return store().stats(by)

    def current_narratives() -> list[dict[str, Any]]:
        """The store's current narratives; none before the first discovery."""
        from proplens.store.narratives import NoNarratives, narrative_table

        try:
            return narrative_table(store())
        except NoNarratives:
            return []

    @app.get(
        "/api/narratives",
        tags=["corpus"],
        summary="The corpus's narratives",
        responses=_errors(503),
    )
    def api_narratives() -> dict[str, Any]:
        """As ``proplens corpus narratives --json``: the current narratives, with documents
        by source and month (undated apart) and techniques; empty before any discovery."""
        from proplens.store.narratives import unassigned

        return {"narratives": current_narratives(), "unassigned": unassigned(store())}

    @app.get(
        "/api/narratives/{narrative_id}/claims",
        tags=["corpus"],
        summary="The claims of one narrative",
        responses=_errors(404, 503),
    )
    def api_narrative_claims(
        narrative_id: Annotated[int, FastAPIPath(ge=1, le=MAX_ID)],
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> dict[str, Any]:
        """The narrative's claims, most typical first, with their documents' ids."""
        from proplens.store.narratives import claims_in

        claims = claims_in(store(), narrative_id, limit)
        if not claims:
            raise HTTPException(404, "no such narrative")
        return {"claims": claims}

    # -- pages ----------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_analyse(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "analyse.html", {"result": None})

    @app.post("/", response_class=HTMLResponse, include_in_schema=False)
    async def page_analyse_post(
        request: Request,
        text: Annotated[str, Form()] = "",
        lang: Annotated[str, Form()] = "",
        file: UploadFile | None = None,
    ) -> HTMLResponse:
        error = None
        text, lang = _clean(text), _clean(lang).strip().lower()
        if lang and lang not in language_codes():
            error = "unknown language code"
        if file is not None and file.filename:
            raw = await file.read()
            error, text = _uploaded_text(raw, Path(file.filename).name)
        if not error and not text.strip():
            error = "paste a text or choose a .txt or .html file"
        error = error or too_long(text)
        if error:
            return templates.TemplateResponse(
                request, "analyse.html", {"result": None, "error": error}, status_code=422
            )
        analysis = await run_analysis(text, lang or None)
        return templates.TemplateResponse(request, "analyse.html", _view(analysis, text=text))

    def search_hits(filters: PageFilters, limit: int, offset: int = 0) -> list[SearchHit]:
        return store().search(
            filters.q, technique=filters.technique or None,
            speaker=filters.speaker or None, actor=filters.actor or None,
            source=filters.source or None, since=_date(filters.since or None),
            limit=limit, offset=offset, narrative=_narrative(filters.narrative or None),
        )  # fmt: skip

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def page_documents(
        request: Request,
        filters: Annotated[PageFilters, Depends()],
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    ) -> HTMLResponse:
        # one more than a page: whether there is a next page, without counting them all
        hits = search_hits(filters, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
        query = filters.query()
        context = {
            "hits": hits[:PAGE_SIZE],
            "filters": filters,
            "page": page,
            "first": (page - 1) * PAGE_SIZE + 1,
            "previous": urlencode({**query, "page": page - 1}) if page > 1 else None,
            "next": urlencode({**query, "page": page + 1}) if len(hits) > PAGE_SIZE else None,
            "export": urlencode(query),
        }
        return templates.TemplateResponse(request, "documents.html", context)

    @app.get("/documents.csv", include_in_schema=False)
    def documents_csv(filters: Annotated[PageFilters, Depends()]) -> Response:
        """The search's documents as CSV (at most EXPORT_LIMIT), one row each."""
        rows = [h.to_dict() for h in search_hits(filters, EXPORT_LIMIT)]
        fields = ["id", "doc_id", "source", "title", "lang", "published", "techniques", "snippet"]
        return _csv_response(rows, fields, "proplens-search.csv")

    @app.get("/documents/{doc_id}.csv", include_in_schema=False)
    def document_csv(doc_id: Annotated[int, FastAPIPath(ge=1, le=MAX_ID)]) -> Response:
        """A stored document's technique spans as CSV."""
        row = store().get(doc_id)
        if row is None:
            raise HTTPException(404, "no such document")
        spans = row["analysis"].get("techniques", [])
        fields = ["start", "end", "technique", "score", "shown", "speaker", "target", "text"]
        return _csv_response(spans, fields, f"proplens-document-{doc_id}.csv")

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_document(
        request: Request, doc_id: Annotated[int, FastAPIPath(ge=1, le=MAX_ID)]
    ) -> HTMLResponse:
        row = store().get(doc_id)
        if row is None:
            raise HTTPException(404, "no such document")
        analysis = Analysis.from_dict(row["analysis"], row["text"])
        return templates.TemplateResponse(request, "document.html", {**_view(analysis), "row": row})

    @app.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
    def page_dashboard(request: Request) -> HTMLResponse:
        stats = store().stats("technique")
        undated = store().stats("month")["undated_documents"]
        colours = script_json({t: colour(t) for t in TECHNIQUES})  # as on the article pages
        context = {"stats": stats, "undated": undated, "colours": colours}
        return templates.TemplateResponse(request, "dashboard.html", context)

    @app.get("/narratives", response_class=HTMLResponse, include_in_schema=False)
    def page_narratives(request: Request) -> HTMLResponse:
        table = current_narratives()
        undated = sum(n["by_month"].get("undated", 0) for n in table)
        context = {"narratives": table, "undated": undated}
        return templates.TemplateResponse(request, "narratives.html", context)

    @app.get("/narratives/{narrative_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_narrative(
        request: Request, narrative_id: Annotated[int, FastAPIPath(ge=1, le=MAX_ID)]
    ) -> HTMLResponse:
        from proplens.store.narratives import claims_in

        found = [n for n in current_narratives() if n["id"] == narrative_id]
        if not found:
            raise HTTPException(404, "no such narrative")
        claims = claims_in(store(), narrative_id, 200)
        context = {"n": found[0], "claims": claims}
        return templates.TemplateResponse(request, "narrative.html", context)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def page_docs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "docs.html", {})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        get_pipeline()
        return {"status": "ok", "version": __version__}

    @app.get("/login", include_in_schema=False)
    def login() -> RedirectResponse:
        return RedirectResponse("/")

    app.mount("/static", StaticFiles(directory=str(web.joinpath("static"))), name="static")
    return app


def _date(value: str | None) -> dt.date | None:
    from fastapi.exceptions import RequestValidationError

    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        error = {"loc": ("query", "since"), "msg": f"not a date: {value!r}", "type": "value_error"}
        raise RequestValidationError([error]) from None


def _narrative(value: str | None) -> int | None:
    from fastapi.exceptions import RequestValidationError

    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        error = {"loc": ("query", "narrative"), "msg": f"not a narrative id: {value!r}",
                 "type": "value_error"}  # fmt: skip
        raise RequestValidationError([error])
    return int(value)


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method any route serves at ``path`` (Starlette's 405 names only one route's)."""
    from starlette.routing import Route

    methods: set[str] = set()
    for route in app.routes:
        if isinstance(route, Route) and route.path_regex.match(path) and route.methods:
            methods |= route.methods
    return sorted(methods)


#: A body over the limit is read up to this many times the limit before the 413, so that
#: clients that send it all first (Python's urllib) see the reply, not a reset connection.
DRAIN_FACTOR = 4
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")


async def _drain(request: Request, most: int) -> None:
    read = 0
    try:
        async for chunk in request.stream():
            read += len(chunk)
            if read > most:
                return
    except Exception:  # the client went away: nothing more to read
        return


def _host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    name = host.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[: name.find("]") + 1]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    return name in allowed


def _cross_site(request: Request) -> bool:
    """A state-changing request sent by another site's page (or another port's: a local
    app on localhost:3000 is "same-site" to localhost:8000, not "same-origin"). Browsers say
    so in Sec-Fetch-Site; older ones only by an Origin naming another host. ("Origin: null"
    is what this server's own no-referrer policy makes a browser send: not a sign.)"""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return False
    netloc = origin.split("://", 1)[-1].rstrip("/").lower()
    return netloc != request.headers.get("host", "").lower()


_TOKEN_IN_QUERY = re.compile(r"([?&]token=)[^&\s\"]*")


class RedactToken(logging.Filter):
    """Access-log lines with ``?token=...`` written as ``?token=***``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_IN_QUERY.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args
            )
        return True


def _authorised(request: Request, token: str) -> bool:
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    given = given or request.query_params.get("token", "") or request.cookies.get(TOKEN_COOKIE, "")
    return hmac.compare_digest(given.encode(), token.encode())


def _csv_response(rows: list[dict[str, Any]], fields: list[str], name: str) -> Response:
    """CSV for a spreadsheet: cells that a spreadsheet would run as a formula are quoted
    with a leading apostrophe (article text is attacker-controlled)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in fields})
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _view(analysis: Analysis, **extra: Any) -> dict[str, Any]:
    return {
        "result": analysis,
        "article": article_html(analysis),
        "panels": panels_html(analysis),
        "spans_json": spans_json(analysis),
        **extra,
    }


def _uploaded_text(raw: bytes, name: str) -> tuple[str | None, str]:
    """(error, text) of an uploaded file, read by ingest's reader for its name; one
    document per upload."""
    if Path(name).suffix.lower() in JSONL_SUFFIXES:
        return "upload one .txt or .html file (a .jsonl file holds many documents)", ""
    items = list(read_bytes(raw, name, ReadOptions(max_chars=10**9)))
    if len(items) != 1:
        return f"{name}: no document in this file", ""
    item = items[0]
    if isinstance(item, IngestError):
        return str(item), ""
    return None, item.text
