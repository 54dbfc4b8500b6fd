"""Search and statistics queries; the few dialect differences are kept here."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.engine import Connection

STATS_BY = ("source", "month", "technique", "actor", "narrative")
_TERM = re.compile(r"\w+", re.UNICODE)


def fts5_query(query: str) -> str:
    """User text to a safe FTS5 query: every word quoted, all required."""
    return " ".join(f'"{w}"' for w in _TERM.findall(query)) or '""'


def search_statement(
    dialect: str,
    query: str | None,
    technique: str | None,
    speaker: str | None,
    actor: str | None,
    source: str | None,
    since: dt.date | None,
    limit: int,
    offset: int,
    narrative: int | None = None,
) -> tuple[TextClause, dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    join, order = "", "d.id DESC"
    if query and query.strip():
        if dialect == "sqlite":
            join = "JOIN documents_fts f ON f.rowid = d.id"
            where.append("documents_fts MATCH :q")
            params["q"] = fts5_query(query)
            order = "f.rank, d.id DESC"
        else:
            where.append("d.tsv @@ websearch_to_tsquery('simple', :q)")
            params["q"] = query
            order = "ts_rank(d.tsv, websearch_to_tsquery('simple', :q)) DESC, d.id DESC"
    span_conditions = []
    if technique:
        span_conditions.append("s.technique = :technique")
        params["technique"] = technique
    if speaker == "author":
        span_conditions.append("s.speaker = 'author'")
    elif speaker == "quoted":
        span_conditions.append("s.speaker <> 'author'")
    elif speaker:
        span_conditions.append("s.speaker = :speaker")
        params["speaker"] = speaker
    if span_conditions:
        where.append(
            "EXISTS (SELECT 1 FROM technique_spans s WHERE s.document_id = d.id AND "
            + " AND ".join(span_conditions)
            + ")"
        )
    if actor:
        where.append(
            "EXISTS (SELECT 1 FROM actors a "
            "WHERE a.document_id = d.id AND lower(a.name) LIKE :actor)"
        )
        params["actor"] = f"%{actor.lower()}%"
    if narrative is not None:
        where.append(
            "EXISTS (SELECT 1 FROM narrative_claims nc "
            "WHERE nc.document_id = d.id AND nc.narrative_id = :narrative)"
        )
        params["narrative"] = narrative
    if source:
        where.append("d.source = :source")
        params["source"] = source
    if since:
        where.append("COALESCE(d.published, d.added_at) >= :since")
        params["since"] = dt.datetime.combine(since, dt.time())
    sql = (
        "SELECT d.id, d.doc_id, d.source, d.title, d.lang, d.published, d.text, "
        "(SELECT count(*) FROM technique_spans c WHERE c.document_id = d.id) AS n_spans "
        f"FROM documents d {join} "
        + (f"WHERE {' AND '.join(where)} " if where else "")
        + f"ORDER BY {order} LIMIT :limit OFFSET :offset"
    )
    return text(sql), params


def month_of(dialect: str) -> str:
    """The publication month: a document without a date is left out of the months (and
    counted apart), not placed at the month it was stored."""
    if dialect == "sqlite":
        return "strftime('%Y-%m', d.published)"
    return "to_char(d.published, 'YYYY-MM')"


def _rows(conn: Connection, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def _rate(spans: float, words: float) -> float:
    return round(1000.0 * spans / words, 3) if words else 0.0


def stats(conn: Connection, by: str) -> dict[str, Any]:
    """Corpus counts plus one breakdown: technique rates per 1,000 words, or attacked actors."""
    if by not in STATS_BY:
        raise ValueError(f"--by must be one of {', '.join(STATS_BY)}")
    totals = _rows(
        conn,
        "SELECT count(*) AS documents, COALESCE(sum(words), 0) AS words, "
        "(SELECT count(*) FROM technique_spans) AS spans, "
        "(SELECT count(*) FROM failures) AS failures FROM documents",
    )[0]
    out: dict[str, Any] = {
        "documents": int(totals["documents"]),
        "words": int(totals["words"]),
        "technique_spans": int(totals["spans"]),
        "failures": int(totals["failures"]),
        "by": by,
    }
    words = int(totals["words"])
    if by == "technique":
        rows = _rows(
            conn,
            "SELECT technique, count(*) AS spans, "
            "sum(CASE WHEN speaker = 'author' THEN 1 ELSE 0 END) AS author_spans, "
            "count(DISTINCT document_id) AS documents "
            "FROM technique_spans GROUP BY technique ORDER BY spans DESC, technique",
        )
        out["rows"] = [
            {
                "technique": r["technique"],
                "spans": int(r["spans"]),
                "author_spans": int(r["author_spans"]),
                "quoted_spans": int(r["spans"]) - int(r["author_spans"]),
                "documents": int(r["documents"]),
                "per_1000_words": _rate(r["spans"], words),
            }
            for r in rows
        ]
    elif by in ("source", "month"):
        key = "d.source" if by == "source" else month_of(conn.dialect.name)
        dated = "WHERE d.published IS NOT NULL " if by == "month" else ""
        docs = _rows(
            conn,
            f"SELECT {key} AS k, count(*) AS documents, sum(d.words) AS words "
            f"FROM documents d {dated}GROUP BY {key} ORDER BY {key}",
        )
        per_tech = _rows(
            conn,
            f"SELECT {key} AS k, s.technique AS technique, count(*) AS spans "
            f"FROM technique_spans s JOIN documents d ON d.id = s.document_id {dated}"
            f"GROUP BY {key}, s.technique",
        )
        if by == "month":
            out["undated_documents"] = out["documents"] - sum(int(d["documents"]) for d in docs)
        out["rows"] = []
        for d in docs:
            techs = {r["technique"]: int(r["spans"]) for r in per_tech if r["k"] == d["k"]}
            out["rows"].append(
                {
                    by: d["k"],
                    "documents": int(d["documents"]),
                    "words": int(d["words"] or 0),
                    "spans": sum(techs.values()),
                    "per_1000_words": _rate(sum(techs.values()), d["words"] or 0),
                    "techniques_per_1000_words": {
                        t: _rate(n, d["words"] or 0) for t, n in sorted(techs.items())
                    },
                }
            )
    elif by == "narrative":
        out["rows"] = _known_narratives(conn)
    else:
        rows = _rows(
            conn,
            "SELECT a.name AS name, a.type AS type, count(DISTINCT a.document_id) AS documents, "
            "avg(a.stance) AS stance, "
            "sum(CASE WHEN a.stance < 0 THEN 1 ELSE 0 END) AS negative_documents "
            "FROM actors a GROUP BY a.name, a.type "
            "ORDER BY negative_documents DESC, documents DESC, a.name LIMIT 50",
        )
        attackers = _rows(
            conn,
            "SELECT a.name AS name, d.source AS source, count(*) AS documents "
            "FROM actors a JOIN documents d ON d.id = a.document_id WHERE a.stance < 0 "
            "GROUP BY a.name, d.source ORDER BY documents DESC",
        )
        targets = _rows(
            conn,
            "SELECT s.target AS target, s.speaker AS speaker, count(*) AS spans "
            "FROM technique_spans s WHERE s.target IS NOT NULL "
            "GROUP BY s.target, s.speaker ORDER BY spans DESC LIMIT 100",
        )
        out["rows"] = [
            {
                "actor": r["name"],
                "type": r["type"],
                "documents": int(r["documents"]),
                "negative_documents": int(r["negative_documents"] or 0),
                "mean_stance": None if r["stance"] is None else round(float(r["stance"]), 3),
                "attacked_by_source": {
                    x["source"]: int(x["documents"]) for x in attackers if x["name"] == r["name"]
                },
            }
            for r in rows
        ]
        out["attack_spans"] = [
            {"target": t["target"], "speaker": t["speaker"], "spans": int(t["spans"])}
            for t in targets
        ]
    return out


def _narrative_rows_sql(dialect: str) -> str:
    """One row per (document, known narrative) from the stored analyses' JSON."""
    if dialect == "sqlite":
        return (
            "SELECT d.id AS id, json_extract(n.value, '$.label') AS narrative, d.source AS source, "
            f"{month_of(dialect)} AS month FROM documents d, "
            "json_each(d.analysis, '$.narratives') n"
        )
    return (
        "SELECT d.id AS id, n->>'label' AS narrative, d.source AS source, "
        f"{month_of(dialect)} AS month FROM documents d, "
        "json_array_elements(COALESCE(d.analysis::json->'narratives', '[]'::json)) n"
    )


def _known_narratives(conn: Connection) -> list[dict[str, Any]]:
    """The known narratives (SemEval-2025 taxonomy) of the stored analyses: documents in
    all, by source and by publication month (undated apart), most pushed first."""
    rows = _rows(conn, _narrative_rows_sql(conn.dialect.name))
    table: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = table.setdefault(
            r["narrative"], {"narrative": r["narrative"], "documents": 0, "by_source": {},
                             "by_month": {}}
        )  # fmt: skip
        entry["documents"] += 1
        src, month = r["source"] or "", r["month"] or "undated"
        entry["by_source"][src] = entry["by_source"].get(src, 0) + 1
        entry["by_month"][month] = entry["by_month"].get(month, 0) + 1
    for entry in table.values():
        entry["by_month"] = dict(sorted(entry["by_month"].items()))
    return sorted(table.values(), key=lambda e: (-e["documents"], e["narrative"]))
