"""Very short documents: the sentence head reads the training mean of its context."""

from helpers import sentence_vectors_of
from proplens.document import Document
from proplens.models import base
from proplens.models.encoders import embed
from proplens.models.techniques import sentence_context


def test_the_shipped_model_reads_one_line_documents_with_the_neutral_context() -> None:
    model = base.shipped("techniques-linear")
    assert model.sentence_neutral is not None and model.sentence_dense is not None
    short = int(model.config["short_document_sentences"])
    assert short > 1
    doc = Document.from_text("Good news for the harbour.", lang="en")
    texts = [doc.span_text(s) for s in doc.sentences]
    vectors = embed(texts, ["en"])
    own = sentence_context(texts, vectors, [0])
    head_own = model.sentence_dense.predict_proba(own)
    probs = model.sentence_probs(doc, sentence_vectors_of(doc))
    # with its own vector as "article mean" the head is far more certain than with the
    # neutral context; the shipped model reads the latter
    assert head_own.max() > 0.9
    tfidf = model.sentence.predict_proba(texts, ["en"])
    assert (2 * probs - tfidf).max() < head_own.max() - 0.1
