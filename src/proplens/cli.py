"""The ``proplens`` command: a thin layer over `proplens.analyse` and friends."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click._termui_impl import ProgressBar

from proplens import __version__, semeval
from proplens.analysis import Analysis
from proplens.api import analyse_many, get_pipeline
from proplens.document import Document
from proplens.engines import MissingExtra
from proplens.ingest import (
    JSONL_SUFFIXES,
    MAX_BYTES,
    MAX_CHARS,
    IngestError,
    ReadOptions,
    read_paths,
)
from proplens.registry import DEFAULT_PIPELINE, PipelineError, registered
from proplens.report import RENDERERS, SUFFIX, render, write_atomic

DEFAULT_DATA = Path("../shared/data/semeval2023")
DEFAULT_DB = "sqlite:///proplens.db"

if TYPE_CHECKING:
    from proplens.store import Store


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def _pipeline_names(value: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in value.split(",") if n.strip()) if value else DEFAULT_PIPELINE


def _lang(value: str) -> str | None:
    """The language code asked for (None: detect); an unknown code is a usage error."""
    from proplens.analysers.language import language_codes

    if value == "auto":
        return None
    code = semeval.normalize_lang(value)
    if code not in language_codes():
        raise click.BadParameter(
            f"{value!r} is not an ISO 639-1 language code (en, ru, fr, de, it, pl, ...) or auto",
            param_hint="--lang",
        )
    return code


def _db_option(func: Any) -> Any:
    return click.option(
        "--db",
        default=lambda: os.environ.get("PROPLENS_DB", DEFAULT_DB),
        show_default="sqlite:///proplens.db or $PROPLENS_DB",
        help="Database URL: sqlite:///FILE or postgresql://USER:PASS@HOST/DB.",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="proplens")
def main() -> None:
    """proplens: find, span by span, how news and opinion articles try to persuade.

    \b
    Example:
      proplens analyze article.txt --format html -o report.html
    """


def _read_options(func: Any) -> Any:
    """The options every command that reads files takes."""
    options = [
        click.option(
            "--text-field", default="text", show_default=True, help="JSONL field holding the text."
        ),
        click.option(
            "--id-field", default="id", show_default=True, help="JSONL field holding the id."
        ),
        click.option(
            "--encoding",
            default="utf-8",
            show_default=True,
            help="Encoding of input files without a byte-order mark.",
        ),
        click.option(
            "--max-bytes",
            default=MAX_BYTES,
            show_default=True,
            help="Refuse input files larger than this.",
        ),
        click.option(
            "--max-chars",
            default=MAX_CHARS,
            show_default=True,
            help="Refuse documents whose text is longer than this.",
        ),
        click.option(
            "--time-limit",
            default=TIME_LIMIT,
            show_default=True,
            help="Seconds one document may take to read or to analyse before it is stopped "
            "(0: no limit).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


#: Seconds a document may take, read or analysed (the longest allowed article takes ~3 min).
TIME_LIMIT = 600.0


def _options(
    lang: str,
    text_field: str,
    id_field: str,
    encoding: str,
    max_bytes: int,
    max_chars: int,
    time_limit: float,
) -> ReadOptions:
    return ReadOptions(
        text_field,
        id_field,
        _lang(lang),
        encoding,
        max_bytes,
        max_chars,
        time_limit=time_limit or None,
        on_slow=lambda message: click.echo(message, err=True),
    )


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="json", show_default=True
)
@click.option(
    "-o",
    "--output",
    "output_name",
    type=click.Path(),  # text: Path would drop the trailing slash that asks for a folder
    help="Output file (one text input) or folder (several inputs, a folder, a JSONL file, "
    "a name ending in / or an existing folder).",
)
@click.option(
    "--lang",
    default="auto",
    show_default=True,
    help="Language code (en, ru, fr, de, it, pl, ...) or auto.",
)
@click.option(
    "--pipeline", help=f"Comma-separated analysers (default: {','.join(DEFAULT_PIPELINE)})."
)
@_read_options
def analyze(
    paths: tuple[Path, ...],
    fmt: str,
    output_name: str | None,
    lang: str,
    pipeline: str | None,
    text_field: str,
    id_field: str,
    encoding: str,
    max_bytes: int,
    max_chars: int,
    time_limit: float,
) -> None:
    """Analyse articles (.txt, .html, .jsonl, or folders of them).

    A single text or HTML input goes to standard output or to the file -o; several
    inputs, a folder or a JSONL file go to one report per document in the folder -o
    (JSON without -o: one line per document). Inputs are read and analysed one at a
    time, each reported as it is done; one that cannot be read or analysed is reported
    on stderr and the others still are. The exit code is 1 if any input failed.

    \b
    Examples:
      proplens analyze op-ed.txt
      proplens analyze page.html --format html -o report.html
      proplens analyze corpus/ --format json -o out/
      proplens analyze items.jsonl --text-field body --id-field url -o out/
    """
    names = _pipeline_names(pipeline)
    try:
        get_pipeline(names)
    except PipelineError as exc:
        raise click.UsageError(str(exc)) from None
    options = _options(lang, text_field, id_field, encoding, max_bytes, max_chars, time_limit)
    output = Path(output_name) if output_name else None
    many = _wants_folder(paths, output_name)
    if many and output is None and fmt != "json":
        raise click.UsageError("several documents: give -o FOLDER for one report per document")
    if output is not None and many and output.exists() and not output.is_dir():
        raise click.UsageError(f"{output}: several documents need a folder, not a file")
    failed: list[str] = []

    def readable() -> Iterator[Document]:
        for item in read_paths(paths, options):
            if isinstance(item, IngestError):
                _fail(str(item))  # said at once, not after the batch
                failed.append(item.source)
            else:
                yield item

    written: set[str] = set()
    analysed = 0
    for doc, analysis in analyse_many(readable(), names, time_limit=time_limit or None):
        where = doc.source or doc.id
        if isinstance(analysis, str):  # one broken document does not end the batch
            _fail(f"{where}: {analysis}")
            failed.append(where)
            continue
        try:
            _emit(analysis, fmt, output, many, written)
        except OSError as exc:
            _fail(f"{where}: cannot write the report ({exc.strerror or exc})")
            failed.append(where)
            continue
        analysed += 1
        if many:
            click.echo(f"[{analysed + len(failed)}] {_summary_line(analysis)}", err=True)
    if output is not None and analysed:
        click.echo(f"wrote {analysed} report(s) to {output}", err=True)
    if failed:
        click.echo(f"{len(failed)} input(s) failed, {analysed} analysed", err=True)
        sys.exit(1)


def _wants_folder(paths: Sequence[Path], output: str | None) -> bool:
    """Whether the reports go to a folder: several inputs, a folder or a JSONL input, an
    output named with a trailing slash, or one that is an existing folder. What was asked,
    not how many documents turned out readable."""
    return (
        len(paths) > 1
        or any(p.is_dir() or p.suffix.lower() in JSONL_SUFFIXES for p in paths)
        or (output is not None and (output.endswith(("/", os.sep)) or Path(output).is_dir()))
    )


def _summary_line(analysis: Analysis) -> str:
    counts = Counter(t.technique for t in analysis.techniques)
    top = ", ".join(f"{k} {v}" for k, v in counts.most_common(3)) or "no techniques"
    doc = analysis.document
    return f"{doc.id}: {doc.lang}, {doc.word_count} words, {len(analysis.techniques)} spans ({top})"


_UNSAFE = re.compile(r"[^\w.-]+")
#: Bytes of a report's file name before its suffix: file systems allow 255 in all.
NAME_BYTES = 160


def _file_name(doc_id: str, fmt: str, taken: set[str]) -> str:
    """A file name for the report of ``doc_id``: safe characters, at most `NAME_BYTES`
    bytes (a longer id is cut and given a hash of the whole), unique in ``taken``."""
    base = _UNSAFE.sub("_", doc_id).strip("._") or "document"
    if len(base.encode("utf-8")) > NAME_BYTES:
        digest = hashlib.sha1(doc_id.encode("utf-8", "replace")).hexdigest()[:10]
        cut = base.encode("utf-8")[: NAME_BYTES - 11].decode("utf-8", "ignore")
        base = f"{cut}-{digest}"
    name, n = base + SUFFIX[fmt], 1
    while name in taken:
        n += 1
        name = f"{base}-{n}{SUFFIX[fmt]}"
    taken.add(name)
    return name


def _emit(analysis: Analysis, fmt: str, output: Path | None, many: bool, taken: set[str]) -> None:
    if output is None:
        if many:  # JSON Lines on stdout
            click.echo(json.dumps(analysis.to_dict(), ensure_ascii=False))
        else:
            click.echo(render(analysis, fmt), nl=False)
    elif many:
        write_atomic(output / _file_name(analysis.document.id, fmt, taken), render(analysis, fmt))
    else:
        write_atomic(output, render(analysis, fmt))


@main.command()
@click.argument(
    "task", type=click.Choice(["st1", "st2", "st3", "si", "flc", "roles", "narratives", "gold"])
)
@click.argument("gold", type=click.Path(exists=True, path_type=Path), required=False)
@click.argument("pred", type=click.Path(exists=True, path_type=Path), required=False)
@click.option(
    "--articles",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="si/flc: the articles folder; gold offsets that counted each newline twice (many "
    "non-English SemEval span files) are converted per article first.",
)
@click.option(
    "--taxonomy",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="narratives: the folder of subtask2_narratives.txt and subtask2_subnarratives.txt "
    "(default: beside the gold file or one folder up).",
)
@_db_option
@click.option("--annotator", help="gold: score against this annotator's gold only.")
@click.option(
    "--stored",
    is_flag=True,
    help="gold: score the analyses stored with the documents, not the shipped models.",
)
def evaluate(
    task: str,
    gold: Path | None,
    pred: Path | None,
    articles: Path | None,
    taxonomy: Path | None,
    db: str,
    annotator: str | None,
    stored: bool,
) -> None:
    """Score predictions with the official SemEval measures.

    \b
    st1  genre, macro-F1              (ID<TAB>genre)
    st2  framing, micro-F1            (ID<TAB>frame,frame)
    st3  paragraph techniques, micro-F1 (ID<TAB>line<TAB>technique,technique)
    si   span identification F1, partial overlap, labels ignored
         (ID<TAB>technique<TAB>start<TAB>end)
    flc  the same with matching techniques, per-technique detail
    roles  SemEval-2025 entity framing: exact-match ratio of main role and fine-role set,
         main-role accuracy, fine-role micro/macro F1
         (article<TAB>mention<TAB>start<TAB>end<TAB>main role<TAB>fine role...)
    narratives  SemEval-2025 narratives: samples F1 over narratives and sub-narratives
         (article<TAB>narrative;...<TAB>sub-narrative;...)
    gold  the shipped models against the gold stored with 'corpus import-labels' (--db):
         FLC-F1 over technique spans, with SI-F1 and genre macro-F1; no files
    GOLD/PRED for si and flc may be folders of span files.
    The last line is METRIC VALUE.

    \b
    Example:
      proplens evaluate st3 gold-st3.txt pred-st3.txt
      proplens evaluate si gold-spans/ spans.txt --articles train-articles-subtask-3/
      proplens evaluate gold --db sqlite:///news.db
    """
    from proplens.eval import evaluate as run
    from proplens.eval.narratives import NarrativeFileError
    from proplens.eval.roles import RoleFileError

    if task == "gold":
        _evaluate_gold(db, annotator, stored)
        return
    if gold is None or pred is None:
        raise click.UsageError(f"{task} needs the GOLD and PRED files")

    try:
        score = run(task, gold, pred, articles, taxonomy)
    except (RoleFileError, NarrativeFileError) as exc:
        raise click.ClickException(str(exc)) from None
    except (ValueError, IndexError) as exc:
        raise click.ClickException(f"cannot read {gold} or {pred}: {exc}") from None
    click.echo(score.report())


def _evaluate_gold(db: str, annotator: str | None, stored: bool) -> None:
    from proplens.eval.gold import NoGold, score_gold

    store = _open(db, existing=True)
    try:
        score = score_gold(store, annotator, stored=stored)
    except NoGold as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(score.report())


@main.group("semeval")
def semeval_group() -> None:
    """SemEval-2023 Task 3 submission files.

    \b
    Examples:
      proplens semeval predict --subtask 3 --lang en --articles dev-articles \\
          --template dev-labels-subtask-3.template -o dev-subtask-3.txt
      proplens semeval spans --lang en --articles dev-articles -o spans.txt
    """


def _need_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise click.UsageError(f"{folder}: not a folder of articleID.txt files")


@semeval_group.command("predict")
@click.option("--subtask", type=click.Choice(["1", "2", "3"]), required=True)
@click.option(
    "--lang", required=True, help="Language of the articles (en, ru, fr, ge/de, it, po/pl)."
)
@click.option(
    "--articles",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder of articleID.txt files.",
)
@click.option(
    "--template",
    type=click.Path(exists=True, path_type=Path),
    help="Subtask 3 template (ID<TAB>line<TAB>text).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.option("--pipeline", help="Comma-separated analysers.")
def semeval_predict(
    subtask: str,
    lang: str,
    articles: Path,
    template: Path | None,
    output: Path,
    pipeline: str | None,
) -> None:
    """Write a submission file in the official format of subtask 1, 2 or 3.

    \b
    Example:
      proplens semeval predict --subtask 3 --lang en --articles dev-articles \\
          --template dev-labels-subtask-3.template -o submission.txt
    """
    _need_folder(articles)
    try:
        rows = semeval.predict(
            subtask, articles, lang, template=template, pipeline=_pipeline_names(pipeline)
        )
    except semeval.SubmissionError as exc:
        raise click.ClickException(str(exc)) from None
    write_atomic(output, "\n".join(rows) + "\n")
    click.echo(f"wrote {len(rows)} rows to {output}", err=True)


@semeval_group.command("spans")
@click.option("--lang", required=True, help="Language of the articles.")
@click.option(
    "--articles",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder of articleID.txt files.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.option("--pipeline", help="Comma-separated analysers.")
def semeval_spans(lang: str, articles: Path, output: Path, pipeline: str | None) -> None:
    """Write technique spans as ID<TAB>technique<TAB>start<TAB>end.

    \b
    Example:
      proplens semeval spans --lang en --articles dev-articles -o spans.txt
    """
    _need_folder(articles)
    try:
        rows = semeval.predict("spans", articles, lang, pipeline=_pipeline_names(pipeline))
    except semeval.SubmissionError as exc:
        raise click.ClickException(str(exc)) from None
    write_atomic(output, "\n".join(rows) + ("\n" if rows else ""))
    click.echo(f"wrote {len(rows)} spans to {output}", err=True)


@semeval_group.command("narratives")
@click.option(
    "--articles",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder of article .txt files (SemEval-2025 raw-documents).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.option("--lang", default="auto", show_default=True, help="Language of the articles.")
@click.option(
    "--pipeline", help="Comma-separated analysers (default: language,vectors,narratives)."
)
def semeval_narratives(articles: Path, output: Path, lang: str, pipeline: str | None) -> None:
    """Write SemEval-2025 subtask 2 predictions for every article in the folder:
    article<TAB>narrative;...<TAB>sub-narrative;... (score with 'evaluate narratives').

    \b
    Example:
      proplens semeval narratives --articles EN/raw-documents -o narratives.txt
    """
    from proplens.api import analyse_document

    try:
        items = semeval.narrative_documents(articles, _lang(lang))
        names = _pipeline_names(pipeline) if pipeline else semeval.NARRATIVE_PIPELINE
        docs = [d for d in items if isinstance(d, Document)]
        rows = semeval.narrative_rows(analyse_document(d, names) for d in docs)
    except semeval.SubmissionError as exc:
        raise click.ClickException(str(exc)) from None
    for bad in (d for d in items if isinstance(d, IngestError)):
        _fail(str(bad))
    if rows:
        write_atomic(output, "\n".join(rows) + "\n")
        click.echo(f"wrote {len(rows)} articles to {output}", err=True)
    if len(rows) < len(items):
        sys.exit(1)


@main.group("labelstudio")
def labelstudio_group() -> None:
    """Label Studio: the labelling configuration that matches 'corpus export --format
    label-studio'.

    \b
    The round trip:
      proplens labelstudio config -o proplens.xml
      proplens corpus export --format label-studio -o tasks.json
      (create a project with proplens.xml, import tasks.json, correct, export JSON)
      proplens corpus import-labels export.json
      proplens evaluate gold
    """


@labelstudio_group.command("config")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write it here.")
def labelstudio_config(output: Path | None) -> None:
    """Print (or write) the labelling configuration: the 23 techniques, quotes and their
    speakers, threats by severity, the genre.

    \b
    Example:
      proplens labelstudio config -o proplens.xml
    """
    from proplens.store.labelstudio import label_config

    if output is None:
        click.echo(label_config(), nl=False)
        return
    try:
        write_atomic(output, label_config())
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write ({exc.strerror or exc})") from None


@main.command("analysers")
def list_analysers() -> None:
    """List the registered analysers with what they need and produce.

    \b
    Example:
      proplens analysers
    """
    for name, spec in sorted(registered().items()):
        needs = ", ".join(spec.requires) or "-"
        uses = f"; uses {', '.join(spec.uses)}" if spec.uses else ""
        produces = ", ".join(spec.produces) or "-"
        click.echo(f"{name:12s} needs {needs}{uses}; produces {produces}")
        if spec.doc:
            click.echo(f"{'':12s} {spec.doc.splitlines()[0]}")


@main.group()
def train() -> None:
    """Train the shipped models from the SemEval-2023 data (needs the 'train' extra)."""


@train.command("techniques")
@click.option("--data", type=click.Path(path_type=Path), default=DEFAULT_DATA, show_default=True)
@click.option("--langs", default="en,ru,fr,de,it,pl", show_default=True)
@click.option(
    "--out", type=click.Path(path_type=Path), help="Model folder (default: the packaged one)."
)
@click.option("--folds", default=3, show_default=True)
@click.option("--seed", default=13, show_default=True, help="Seed of the article folds.")
@click.option("--limit", type=int, help="Use only the first N articles per language (quick runs).")
@click.option(
    "--cv-dir", type=click.Path(path_type=Path), help="Keep held-out predictions and gold here."
)
@click.option("--epochs", default=3, show_default=True, help="Passes over the word rows.")
@click.option("--seeds", default=1, show_default=True, help="Networks averaged per head.")
@click.option("--workers", default=2, show_default=True, help="Processes computing features.")
@click.option(
    "--cache",
    type=click.Path(path_type=Path),
    help="Keep the computed vectors here and reuse them on the next run on the same data.",
)
@click.option(
    "--extra-gold",
    metavar="DB",
    help="Add the gold stored with 'corpus import-labels' in this store (a database URL) "
    "to every fold's training, and print how the held-out figures change.",
)
@click.option("--annotator", help="--extra-gold: only this annotator's gold.")
def train_technique_words_cmd(
    data: Path,
    langs: str,
    out: Path | None,
    folds: int,
    seed: int,
    limit: int | None,
    cv_dir: Path | None,
    epochs: int,
    seeds: int,
    workers: int,
    cache: Path | None,
    extra_gold: str | None,
    annotator: str | None,
) -> None:
    """Train the word-level technique model, cross-validated on three line breakings.

    Held-out figures per language (paragraphs as given, one sentence a line, paragraphs
    joined in pairs) and the calibration of span scores are printed and stored in the
    model's config.json. With --extra-gold, analysts' corrections join the training of
    every fold (never the held-out side) and the change against the model in --out (or the
    shipped one) is printed figure by figure.

    \b
    Examples:
      proplens train techniques --data ../shared/data/semeval2023 --cv-dir cv/
      proplens train techniques --extra-gold sqlite:///news.db --out build/words-gold
    """
    from proplens.models.base import shipped_path
    from proplens.models.technique_words import SHIPPED_MODEL
    from proplens.training.gold import cv_changes, gold_articles
    from proplens.training.technique_words import train_technique_words

    if not data.is_dir():
        raise click.UsageError(f"{data}: SemEval-2023 data folder not found (see --data)")
    lang_list = [semeval.normalize_lang(x) for x in langs.split(",") if x.strip()]
    target = out or shipped_path(SHIPPED_MODEL)
    extra = []
    if extra_gold:
        from proplens.store import redact

        store = _open(extra_gold, existing=True)
        try:
            extra = gold_articles(store, annotator)
        finally:
            store.close()
        if not extra:
            raise click.ClickException(
                f"{redact(extra_gold)}: no gold annotations; run 'corpus import-labels' first"
            )
    before = _model_config(target) or _model_config(shipped_path(SHIPPED_MODEL))
    model = train_technique_words(
        data,
        lang_list,
        target,
        folds=folds,
        seed=seed,
        limit=limit,
        epochs=epochs,
        seeds=seeds,
        workers=workers,
        cv_dir=cv_dir,
        cache=cache,
        extra=extra,
        extra_from=_redacted(extra_gold),
        log=lambda m: click.echo(m, err=True),
    )
    if extra and before:
        same = ("folds", "seed", "limit_per_lang", "trained_on")
        if any(_without_gold(before.get(k)) != _without_gold(model.config.get(k)) for k in same):
            click.echo(
                "held-out change: not comparable (the model it would be compared with was "
                "trained with other folds, seed, limit or languages); train it once without "
                "--extra-gold into --out with the same options first",
                err=True,
            )
        else:
            click.echo("held-out change with the gold added (before -> after):")
            for line in cv_changes(before.get("cv", {}), model.config["cv"]):
                click.echo("  " + line)


def _redacted(url: str | None) -> str | None:
    from proplens.store import redact

    return redact(url) if url else None


def _model_config(folder: Path) -> dict[str, Any] | None:
    """A model folder's config.json, if it has one with held-out figures."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return config if isinstance(config, dict) and isinstance(config.get("cv"), dict) else None


def _without_gold(value: Any) -> Any:
    return (
        {k: v for k, v in value.items() if k != "extra_gold"} if isinstance(value, dict) else value
    )


@train.command("techniques-linear")
@click.option("--data", type=click.Path(path_type=Path), default=DEFAULT_DATA, show_default=True)
@click.option("--langs", default="en,ru,fr,de,it,pl", show_default=True)
@click.option(
    "--out", type=click.Path(path_type=Path), help="Model folder (default: the packaged one)."
)
@click.option("--folds", default=3, show_default=True)
@click.option(
    "--seed", default=13, show_default=True, help="Seed of the article folds (and the model's)."
)
@click.option("--limit", type=int, help="Use only the first N articles per language (quick runs).")
@click.option(
    "--cv-dir", type=click.Path(path_type=Path), help="Keep held-out predictions and gold here."
)
@click.option(
    "--no-use", is_flag=True, help="Leave out the multilingual USE paragraph and sentence heads."
)
@click.option(
    "--sentence-weight",
    default=0.5,
    show_default=True,
    help="Weight of a paragraph's best sentence in its technique scores (0: not used).",
)
def train_techniques_cmd(
    data: Path,
    langs: str,
    out: Path | None,
    folds: int,
    seed: int,
    limit: int | None,
    cv_dir: Path | None,
    no_use: bool,
    sentence_weight: float,
) -> None:
    """Train the earlier paragraph and sentence TF-IDF technique model (a baseline).

    Held-out figures per language are printed and stored in the model's config.json.

    \b
    Example:
      proplens train techniques-linear --data ../shared/data/semeval2023 --cv-dir cv/
    """
    from proplens.models.base import shipped_path
    from proplens.models.techniques import SHIPPED_MODEL
    from proplens.training.techniques import train_techniques

    if not data.is_dir():
        raise click.UsageError(f"{data}: SemEval-2023 data folder not found (see --data)")
    lang_list = [semeval.normalize_lang(x) for x in langs.split(",") if x.strip()]
    train_techniques(
        data,
        lang_list,
        out or shipped_path(SHIPPED_MODEL),
        folds=folds,
        seed=seed,
        limit=limit,
        dense=not no_use,
        sentence_weight=sentence_weight,
        cv_dir=cv_dir,
        log=lambda m: click.echo(m, err=True),
    )


@train.command("threats")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=Path("data/threats/threats.jsonl"),
    show_default=True,
)
@click.option(
    "--semeval",
    "semeval_root",
    type=click.Path(path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help="SemEval data: English sentences from it serve as real-news negatives.",
)
@click.option("--news", default=9000, show_default=True, help="How many news sentences (0: none).")
@click.option(
    "--out", type=click.Path(path_type=Path), help="Model folder (default: the packaged one)."
)
@click.option("--folds", default=5, show_default=True)
def train_threats_cmd(
    data: Path, semeval_root: Path, news: int, out: Path | None, folds: int
) -> None:
    """Train the threat detector with grouped cross-validation (severity is by rule).

    \b
    Example:
      proplens train threats --data data/threats/threats.jsonl
    """
    from proplens.training.threats import train_threats

    if not data.is_file():
        raise click.UsageError(f"{data}: threat data not found (see --data)")
    train_threats(
        data,
        out,
        semeval_root=semeval_root if news and semeval_root.is_dir() else None,
        news=news,
        folds=folds,
        log=lambda m: click.echo(m, err=True),
    )


@train.command("articles")
@click.option("--data", type=click.Path(path_type=Path), default=DEFAULT_DATA, show_default=True)
@click.option("--langs", default="en,ru,fr,de,it,pl", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="Folder for genre/ and frames/.")
@click.option("--folds", default=5, show_default=True)
@click.option("--limit", type=int, help="Use only the first N articles per language (quick runs).")
@click.option(
    "--cv-dir", type=click.Path(path_type=Path), help="Keep held-out predictions and gold here."
)
@click.option(
    "--view",
    type=click.Choice(["paragraphs", "sentences"]),
    default="sentences",
    show_default=True,
    help="Read articles by their paragraphs as given, or by sentences (the same however the "
    "lines are broken).",
)
@click.option("--workers", default=2, show_default=True, help="Processes computing vectors.")
@click.option(
    "--cache",
    type=click.Path(path_type=Path),
    help="Keep the computed vectors here and reuse them on the next run on the same data.",
)
def train_articles_cmd(
    data: Path,
    langs: str,
    out: Path | None,
    folds: int,
    limit: int | None,
    cv_dir: Path | None,
    view: str,
    workers: int,
    cache: Path | None,
) -> None:
    """Train the genre (subtask 1) and framing (subtask 2) models with cross-validation.

    Held out, every fold model also reads its articles re-broken one sentence a line, in
    paragraph pairs and on one line; the figures of each breaking are reported.

    \b
    Example:
      proplens train articles --data ../shared/data/semeval2023 --cv-dir cv/
    """
    from proplens.training.articles import train_article_models

    if not data.is_dir():
        raise click.UsageError(f"{data}: SemEval-2023 data folder not found (see --data)")
    lang_list = [semeval.normalize_lang(x) for x in langs.split(",") if x.strip()]
    train_article_models(
        data,
        lang_list,
        out,
        folds=folds,
        limit=limit,
        view=view,
        workers=workers,
        cv_dir=cv_dir,
        cache=cache,
        log=lambda m: click.echo(m, err=True),
    )


@train.command("narratives")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=Path("../shared/data/semeval2025-task10"),
    show_default=True,
    help="The SemEval-2025 Task 10 folder (language folders with subtask-2 annotations).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Folder for the two models (default: the packaged ones).",
)
@click.option("--folds", default=5, show_default=True)
@click.option("--seed", default=13, show_default=True)
@click.option("--limit", type=int, help="Use only the first N articles per language (quick runs).")
def train_narratives_cmd(
    data: Path, out: Path | None, folds: int, seed: int, limit: int | None
) -> None:
    """Train the known-narrative models (SemEval-2025 subtask 2) on every language at once.

    Held-out samples F1 per language (thresholds per fold from the other folds), with the
    floor of labelling every article Other, are printed and stored in config.json.

    \b
    Example:
      proplens train narratives --data ../shared/data/semeval2025-task10
    """
    from proplens.models.base import shipped_path
    from proplens.training.narratives import train_narratives

    if not data.is_dir():
        raise click.UsageError(f"{data}: SemEval-2025 data folder not found (see --data)")
    try:
        train_narratives(
            data, out or shipped_path("narratives").parent, folds=folds, seed=seed, limit=limit,
            log=lambda m: click.echo(m, err=True),
        )  # fmt: skip
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None


@train.command("sentiment")
@click.option("--data", type=click.Path(path_type=Path), default=DEFAULT_DATA, show_default=True)
@click.option(
    "--out", type=click.Path(path_type=Path), help="Model folder (default: the packaged one)."
)
@click.option("--folds", default=5, show_default=True)
@click.option("--limit", type=int, help="Use only the first N English articles (quick runs).")
def train_sentiment_cmd(data: Path, out: Path | None, folds: int, limit: int | None) -> None:
    """Train the sentence sentiment head the actor stance reads outside English.

    It learns VADER's score of English sentences from their multilingual vectors and is read
    zero-shot in Russian.

    \b
    Example:
      proplens train sentiment --data ../shared/data/semeval2023
    """
    from proplens.training.sentiment import train_sentiment

    if not data.is_dir():
        raise click.UsageError(f"{data}: SemEval-2023 data folder not found (see --data)")
    train_sentiment(
        data,
        out,
        folds=folds,
        limit=limit,
        log=lambda m: click.echo(m, err=True),
    )


@main.group()
def corpus() -> None:
    """A corpus store of analysed documents: add, search, stats, export, reanalyse.

    The store is SQLite by default (one file) or PostgreSQL (--db postgresql://...).

    \b
    Examples:
      proplens corpus add news/ --source planet --db sqlite:///news.db
      proplens corpus search "corrupt" --technique Name_Calling-Labeling --db sqlite:///news.db
      proplens corpus stats --by month --db sqlite:///news.db
      proplens corpus export --format csv -o news.csv --db sqlite:///news.db
      proplens corpus add --retry-failed --db sqlite:///news.db
    """


def _open(db: str, *, existing: bool = False) -> Store:
    """The store at ``db``; with ``existing``, a SQLite file that is not there is an error
    (a mistyped --db would otherwise be a new, empty store that finds nothing)."""
    from proplens.store import StoreError, open_store
    from proplens.store.connect import normalise_url

    real = normalise_url(db)
    if existing and real.startswith("sqlite:///") and not Path(real[10:]).exists():
        raise click.ClickException(
            f"database {db} does not exist; check --db or add documents with corpus add"
        )
    try:
        return open_store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


@corpus.command("add")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_db_option
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--workers", default=1, show_default=True, help="Analysis processes (or Ray actors).")
@click.option("--ray-address", help="Join an existing Ray cluster (default: start one locally).")
@click.option("--source", default="", help="Name of the source these documents come from.")
@click.option("--retry-failed", is_flag=True, help="Try again the documents that failed before.")
@click.option("--lang", default="auto", show_default=True)
@click.option("--pipeline", help="Comma-separated analysers.")
@_read_options
def corpus_add(
    paths: tuple[Path, ...],
    db: str,
    engine: str,
    workers: int,
    ray_address: str | None,
    source: str,
    retry_failed: bool,
    lang: str,
    pipeline: str | None,
    text_field: str,
    id_field: str,
    encoding: str,
    max_bytes: int,
    max_chars: int,
    time_limit: float,
) -> None:
    """Analyse documents and store them with their annotations.

    Documents already stored (same text) are skipped, so an interrupted run can simply be
    started again; each document is stored whole or not at all.

    \b
    Examples:
      proplens corpus add news/ --source dailyplanet
      proplens corpus add dump.jsonl --db postgresql://me:pw@localhost/corpus --workers 2
      proplens corpus add news/ --engine ray --workers 8 --ray-address auto
      proplens corpus add --retry-failed
    """
    from proplens.store import StoreError
    from proplens.store.batch import add_paths

    if not paths and not retry_failed:
        raise click.UsageError("give PATHS to add, or --retry-failed")
    store = _open(db)
    options = _options(lang, text_field, id_field, encoding, max_bytes, max_chars, time_limit)
    bar: list[ProgressBar[int]] = []
    started = time.monotonic()
    done = [0]

    def plan(n: int) -> None:
        click.echo(f"{n} new document(s) to analyse", err=True)
        total[0] = n
        if n > 1 and sys.stderr.isatty():
            bar.append(
                click.progressbar(
                    length=n,
                    label="analysing",
                    file=sys.stderr,
                    show_eta=True,
                    show_percent=True,
                    show_pos=True,
                    item_show_func=lambda rate: rate,
                )
            )
            bar[0].__enter__()

    total = [0]

    def step(doc: Document, outcome: Analysis | str) -> None:
        done[0] += 1
        if not bar and total[0] > 1:  # no terminal: a plain line a document, like pip's
            state = "failed" if isinstance(outcome, str) else "stored"
            click.echo(f"[{done[0]}/{total[0]}] {doc.source or doc.id}: {state}", err=True)
        if bar:
            rate = done[0] / max(time.monotonic() - started, 1e-6) * 60
            bar[0].update(1, current_item=f"{rate:.0f} docs/min")  # type: ignore[arg-type]

    try:
        report = add_paths(
            store,
            paths,
            options=options,
            source=source,
            engine=engine,
            workers=workers,
            ray_address=ray_address,
            pipeline=_pipeline_names(pipeline) if pipeline else None,
            retry_failed=retry_failed,
            on_result=step,
            on_plan=plan,
            time_limit=time_limit or None,
        )
        _assign_narratives(store)
    except (StoreError, MissingExtra) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        _fail("interrupted: finished documents are stored; run the same command to continue")
        sys.exit(130)
    finally:
        if bar:
            bar[0].__exit__(None, None, None)
        store.close()
    for where, problem in report.failed:
        _fail(f"{where}: {problem}")
    click.echo(report.summary(), err=True)
    if report.failed:
        sys.exit(1)


def _assign_narratives(store: Store) -> None:
    """New and re-analysed documents join the corpus's narratives, if it has some
    (discovery stays an explicit command, so the narratives a user has seen do not change
    under them)."""
    from proplens.store.narratives import assign

    n = assign(store)
    if n:
        click.echo(f"assigned {n} new document(s) to the corpus's narratives", err=True)


@corpus.command("search")
@click.argument("query", required=False, default="")
@_db_option
@click.option("--technique", help="Only documents with a span of this technique.")
@click.option("--speaker", help="author (the author's own voice), quoted, or a speaker's name.")
@click.option("--actor", help="Only documents naming this actor.")
@click.option("--source", help="Only documents of this source.")
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help="Published (or added) on or after."
)
@click.option(
    "--narrative", type=int, help="Only documents with a claim of this narrative (its id)."
)
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help='Print {"results": [...]}.')
def corpus_search(
    query: str,
    db: str,
    technique: str | None,
    speaker: str | None,
    actor: str | None,
    source: str | None,
    since: dt.datetime | None,
    narrative: int | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search combined with filters on the annotations.

    \b
    Examples:
      proplens corpus search "harbour bridge" --technique Loaded_Language --speaker author
      proplens corpus search --actor Olsen --since 2024-01-01 --json
      proplens corpus search --narrative 3
    """
    from proplens.store import StoreError
    from proplens.techniques import TECHNIQUES

    if technique and technique not in TECHNIQUES:
        raise click.BadParameter(
            f"{technique!r} is not a technique; one of {', '.join(TECHNIQUES)}",
            param_hint="--technique",
        )
    store = _open(db, existing=True)
    try:
        hits = store.search(
            query, technique=technique, speaker=speaker, actor=actor, source=source,
            since=since.date() if since else None, limit=limit, narrative=narrative,
        )  # fmt: skip
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"results": [h.to_dict() for h in hits]}, ensure_ascii=False))
        return
    for h in hits:
        click.echo(f"{h.id:6d}  {h.source or '-':12.12s} {h.techniques:4d} spans  {h.title[:70]}")
        click.echo(f"        {h.snippet}")
    click.echo(f"{len(hits)} result(s)", err=True)


@corpus.command("stats")
@_db_option
@click.option(
    "--by",
    type=click.Choice(["source", "month", "technique", "actor", "narrative"]),
    default="technique",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def corpus_stats(db: str, by: str, as_json: bool) -> None:
    """Corpus counts and technique rates per 1,000 words by source, month or technique.

    --by actor lists the actors most attacked (negative stance) and by which sources.
    --by narrative counts the known narratives (SemEval-2025 taxonomy) the analyses found,
    by source and by month; 'corpus narratives' lists the ones the corpus itself invents.

    \b
    Examples:
      proplens corpus stats --by source
      proplens corpus stats --by month --json
      proplens corpus stats --by narrative
    """
    from proplens.store import StoreError

    store = _open(db, existing=True)
    try:
        result = store.stats(by)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(
        f"documents: {result['documents']}  words: {result['words']}  "
        f"technique spans: {result['technique_spans']}  failures: {result['failures']}"
    )
    for row in result["rows"]:
        click.echo("  " + "  ".join(f"{k}={v}" for k, v in row.items() if not isinstance(v, dict)))


@corpus.command("export")
@_db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "label-studio"]),
    default="jsonl",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.option("--source", help="Only the documents of this source.")
@click.option(
    "--limit", type=click.IntRange(min=1), help="Only the first N documents (oldest first)."
)
def corpus_export(db: str, fmt: str, output: Path, source: str | None, limit: int | None) -> None:
    """Export every stored document: JSONL (full analyses), CSV or Parquet (one row each),
    or Label Studio tasks with proplens's findings as pre-annotations (import them into a
    project made with the config of 'proplens labelstudio config').

    \b
    Examples:
      proplens corpus export --format csv -o corpus.csv
      proplens corpus export --format label-studio --source planet --limit 50 -o tasks.json
    """
    from proplens.store.export import export

    if output.is_dir():
        raise click.UsageError(f"{output}: a folder; give the file to write")
    store = _open(db, existing=True)
    try:
        n = export(store, fmt, output, source, limit)
    except MissingExtra as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write ({exc.strerror or exc})") from None
    finally:
        store.close()
    click.echo(f"exported {n} document(s) to {output}", err=True)


@corpus.command("import-labels")
@_db_option
@click.argument("export_file", metavar="EXPORT.json", type=click.Path(path_type=Path))
@click.option(
    "--annotator",
    help="Attribute every annotation to this name (default: Label Studio's completed_by).",
)
def corpus_import_labels(db: str, export_file: Path, annotator: str | None) -> None:
    """Read a Label Studio JSON export back as gold annotations.

    Each annotation becomes a new gold version of its document, attributed to its
    annotator; proplens's own predictions are never changed, and importing the same export
    twice adds nothing. A task with a region that cannot be placed on the stored text is
    refused whole and named; the other tasks are imported.

    \b
    Example:
      proplens corpus import-labels project-1-export.json --db sqlite:///news.db
    """
    from proplens.store import StoreError
    from proplens.store.gold import add_gold
    from proplens.store.labelstudio import LabelStudioError, gold_drafts, read_export

    store = _open(db, existing=True)
    try:
        try:
            tasks = read_export(export_file)
        except LabelStudioError as exc:
            raise click.ClickException(str(exc)) from None
        report = gold_drafts(store, tasks, annotator)
        try:
            written = add_gold(store, report.drafts)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    for problem in report.problems:
        _fail(f"{export_file}: {problem}")
    new = sum(1 for w in written if w is not None)
    click.echo(
        f"imported {new} gold version(s) from {len(tasks)} task(s); "
        f"{len(written) - new} already stored, {len(report.problems)} problem(s)",
        err=True,
    )
    if report.problems:
        sys.exit(1)


@corpus.group("narratives", invoke_without_command=True)
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "parquet"]),
    help="Export the list to -o in this format.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to export to.")
@click.pass_context
def corpus_narratives(
    ctx: click.Context, db: str, as_json: bool, fmt: str | None, output: Path | None
) -> None:
    """The narratives the corpus pushes: recurring claims found across documents.

    Without a subcommand, lists the current narratives with their key phrases, how many
    documents and claims carry each, by source and by month (undated documents counted
    apart), and the techniques inside their claims.

    \b
    Examples:
      proplens corpus narratives discover --db sqlite:///news.db
      proplens corpus narratives --db sqlite:///news.db
      proplens corpus narratives show 3 --db sqlite:///news.db
      proplens corpus narratives --format csv -o narratives.csv --db sqlite:///news.db
      proplens corpus search --narrative 3 --db sqlite:///news.db
    """
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is not None:
        return
    from proplens.store.narratives import NoNarratives, narrative_table, unassigned

    if (fmt is None) != (output is None):
        raise click.UsageError("--format and -o go together")
    store = _open(db, existing=True)
    try:
        try:
            table = narrative_table(store)
        except NoNarratives as exc:
            raise click.ClickException(str(exc)) from None
        waiting = unassigned(store)
    finally:
        store.close()
    if fmt and output:
        _export_narratives(table, fmt, output)
        click.echo(f"exported {len(table)} narrative(s) to {output}", err=True)
        return
    if as_json:
        click.echo(json.dumps({"narratives": table, "unassigned": waiting}, ensure_ascii=False))
        return
    for n in table:
        sources = ", ".join(f"{k or '-'} {v}" for k, v in list(n["by_source"].items())[:4])
        techniques = ", ".join(f"{k} {v}" for k, v in list(n["techniques"].items())[:3])
        click.echo(f"{n['id']:>5}  {n['label']}")
        click.echo(
            f"       {n['documents']} documents, {n['claims']} claims; sources: {sources}; "
            f"techniques: {techniques or '-'}"
        )
        months = n["by_month"]
        if months:
            click.echo("       months: " + ", ".join(f"{k} {v}" for k, v in months.items()))
        for e in n["examples"][:2]:
            click.echo(f"       - {' '.join(e['text'].split())[:140]}")
    if waiting:
        click.echo(
            f"{waiting} document(s) not yet assigned: run 'corpus narratives update'", err=True
        )


def _export_narratives(table: list[dict[str, Any]], fmt: str, output: Path) -> None:
    from proplens.store.export import write_records

    flat = [
        {**{k: v for k, v in n.items() if k not in ("phrases", "examples")},
         "phrases": "; ".join(n["phrases"]),
         "examples": " | ".join(" ".join(e["text"].split()) for e in n["examples"])}
        for n in table
    ]  # fmt: skip
    try:
        if fmt == "json":
            write_atomic(output, json.dumps(table, ensure_ascii=False, indent=1) + "\n")
        else:
            rows = [
                {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
                 for k, v in r.items()}
                for r in flat
            ]  # fmt: skip
            write_records(rows, fmt, output)
    except MissingExtra as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write ({exc.strerror or exc})") from None


def _engine_options(func: Any) -> Any:
    func = click.option("--workers", default=1, show_default=True, help="Processes (Ray: tasks).")(
        func
    )
    return click.option(
        "--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True
    )(func)


def _narrative_db(ctx: click.Context, db: str | None) -> str:
    """The subcommand's --db, else the one given before it (corpus narratives --db X ...)."""
    return db or (ctx.obj or {}).get("db") or os.environ.get("PROPLENS_DB", DEFAULT_DB)


@corpus_narratives.command("discover")
@click.option("--db", help="Database URL (default: as for corpus narratives).")
@click.option("--min-size", default=8, show_default=True, help="Least claims in a narrative.")
@click.option(
    "--min-documents", default=3, show_default=True, help="Least documents a narrative spans."
)
@click.option(
    "--sample", default=20_000, show_default=True, help="Most claims read by the clustering."
)
@click.option("--seed", default=13, show_default=True)
@_engine_options
@click.pass_context
def corpus_narratives_discover(
    ctx: click.Context,
    db: str | None,
    min_size: int,
    min_documents: int,
    sample: int,
    seed: int,
    engine: str,
    workers: int,
) -> None:
    """Cluster the claims of the whole corpus into a new set of narratives.

    The earlier set stays stored as an older run; documents added later are assigned to
    the new one. Needs the 'narratives' extra (scikit-learn).

    \b
    Example:
      proplens corpus narratives discover --min-size 5 --db sqlite:///news.db
    """
    from proplens.store.narratives import NoNarratives, discover

    store = _open(_narrative_db(ctx, db), existing=True)
    try:
        run = discover(
            store, min_size=min_size, min_documents=min_documents, sample=sample, seed=seed,
            engine=engine, workers=workers, log=lambda m: click.echo(m, err=True),
        )  # fmt: skip
    except (NoNarratives, MissingExtra) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"narratives: run {run}", err=True)


@corpus_narratives.command("update")
@click.option("--db", help="Database URL (default: as for corpus narratives).")
@_engine_options
@click.pass_context
def corpus_narratives_update(ctx: click.Context, db: str | None, engine: str, workers: int) -> None:
    """Assign the documents added since the last discovery to the existing narratives.

    \b
    Example:
      proplens corpus narratives update --db sqlite:///news.db
    """
    from proplens.store.narratives import assign, current_run

    store = _open(_narrative_db(ctx, db), existing=True)
    try:
        if current_run(store) is None:
            raise click.ClickException("no narratives yet; run 'corpus narratives discover' first")
        try:
            n = assign(store, engine=engine, workers=workers)
        except MissingExtra as exc:
            raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"assigned {n} document(s)", err=True)


@corpus_narratives.command("show")
@click.argument("narrative", type=int)
@click.option("--db", help="Database URL (default: as for corpus narratives).")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def corpus_narratives_show(
    ctx: click.Context, narrative: int, db: str | None, limit: int, as_json: bool
) -> None:
    """The claims of one narrative, most typical first, with their documents.

    \b
    Example:
      proplens corpus narratives show 3 --db sqlite:///news.db
    """
    from proplens.store.narratives import claims_in

    store = _open(_narrative_db(ctx, db), existing=True)
    try:
        claims = claims_in(store, narrative, limit)
    finally:
        store.close()
    if not claims:
        raise click.ClickException(f"narrative {narrative} has no claims (see corpus narratives)")
    if as_json:
        click.echo(json.dumps({"claims": claims}, ensure_ascii=False))
        return
    for c in claims:
        where = (
            f"{c['doc_id']} [{c['start']}:{c['end']}] {c['source'] or '-'} {c['published'] or ''}"
        )
        click.echo(f"{c['similarity']:.2f}  {where.strip()}")
        click.echo(f"      {' '.join(c['text'].split())[:200]}")


@corpus.command("reanalyse")
@_db_option
@click.option("--workers", default=1, show_default=True)
@click.option("--pipeline", help="Comma-separated analysers.")
def corpus_reanalyse(db: str, workers: int, pipeline: str | None) -> None:
    """Re-analyse the documents stored by an older model version.

    \b
    Example:
      proplens corpus reanalyse --workers 2
    """
    from proplens.store.batch import reanalyse

    store = _open(db, existing=True)
    try:
        n = reanalyse(
            store, pipeline=_pipeline_names(pipeline) if pipeline else None, workers=workers
        )
        _assign_narratives(store)
    finally:
        store.close()
    click.echo(f"re-analysed {n} document(s)", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@_db_option
@click.option("--token", envvar="PROPLENS_TOKEN", help="Require this token (or $PROPLENS_TOKEN).")
@click.option("--max-body-mb", default=10.0, show_default=True, help="Larger requests get 413.")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds allowed per analysis.")
@click.option("--max-concurrent", default=2, show_default=True, help="Analyses running at once.")
@click.option(
    "--max-chars",
    default=150_000,
    show_default=True,
    help="Longest text analysed; keep it to what --timeout serves (see benchmarks/RESULTS.md).",
)
def serve(
    host: str,
    port: int,
    db: str,
    token: str | None,
    max_body_mb: float,
    timeout: float,
    max_concurrent: int,
    max_chars: int,
) -> None:
    """Serve the web UI and the REST API (OpenAPI docs at /docs).

    Bound to anything but loopback, the server refuses to start without --token; then every
    request needs it (header "Authorization: Bearer TOKEN", or ?token=TOKEN once in a browser).

    \b
    Examples:
      proplens serve --db sqlite:///corpus.db
      PROPLENS_TOKEN=s3cret proplens serve --host 0.0.0.0 --port 8080
    """
    import uvicorn

    from proplens.web.app import LOOPBACK_NAMES, RedactToken, Settings, create_app, is_loopback

    if not is_loopback(host) and not token:
        raise click.UsageError(
            f"refusing to serve on {host} without a token: pass --token or set PROPLENS_TOKEN"
        )
    settings = Settings(
        db_url=db,
        token=token,
        max_body_bytes=int(max_body_mb * 1024 * 1024),
        analysis_timeout_s=timeout,
        max_concurrent=max_concurrent,
        max_chars=max_chars,
        # without a token, loopback is the only boundary: a page on another site must not
        # reach it by pointing its own name at 127.0.0.1 (DNS rebinding)
        allowed_hosts=(*LOOPBACK_NAMES, host) if not token else None,
        start_workers=True,
    )
    click.echo(f"loading models in {max_concurrent} analysis worker(s)...", err=True)
    logging.getLogger("uvicorn.access").addFilter(RedactToken())
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


if __name__ == "__main__":
    main()
