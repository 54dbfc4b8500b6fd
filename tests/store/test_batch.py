"""Batch analysis in worker processes gives what one process gives, without the artifacts."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

from proplens.analysis import Analysis
from proplens.api import analyse_document, analyse_many
from proplens.document import Document
from proplens.engines import _init_worker

TEXTS = [
    "Harbour bridge\nThese reckless bureaucrats have betrayed every family in the valley. "
    "Can we really trust anything the committee tells us?\n",
    "Dam report\nEngineers inspected the dam on Friday. Residents will meet on Monday.\n",
]
PIPELINE = ("language", "vectors", "parse", "quotes", "techniques")


def _blas_threads() -> set[int]:
    from threadpoolctl import threadpool_info

    return {int(pool["num_threads"]) for pool in threadpool_info()}


def test_workers_match_one_process_and_leave_artifacts_behind() -> None:
    docs = [Document.from_text(t, id=f"d{i}", lang="en") for i, t in enumerate(TEXTS)]
    results = list(analyse_many(docs, PIPELINE, workers=2))
    assert [doc.id for doc, _ in results] == ["d0", "d1"]
    for doc, result in results:
        assert isinstance(result, Analysis)
        assert result.artifacts == {}
        alone = analyse_document(doc, PIPELINE)
        assert "parse" in alone.artifacts
        assert result.to_dict()["techniques"] == alone.to_dict()["techniques"]
        assert result.to_dict()["paragraphs"] == alone.to_dict()["paragraphs"]


def test_a_worker_runs_one_blas_thread() -> None:
    with ProcessPoolExecutor(1, initializer=_init_worker, initargs=(("language",),)) as pool:
        assert pool.submit(_blas_threads).result() == {1}
