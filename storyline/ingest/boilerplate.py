"""Which lines of a document are boilerplate: a feature scorer plus a per-source memory.

Each line gets a score from features that describe *how* it looks, not what it says
verbatim: appeal and call-to-action vocabulary (donate, subscribe, follow, share, "read
more"), links and handles, payment-form fields, navigation menus made of section words,
syndication and licensing notices, photo captions above the headline, author bios at the
bottom, repetitions of the title or of other lines, and short unpunctuated lines at the top
or bottom of the document.  Body-like lines (long, punctuated, in the middle) score
negative.  A line whose score reaches :data:`THRESHOLD` is removed; a weaker line next to a
removed one is removed too (boilerplate comes in blocks).

:class:`SourceMemory` learns lines repeated across documents of the same source (outlet or
host): a short line already seen in :data:`SourceMemory.min_docs` other documents of that
source is template text.  The memory is a module-level cache in each process (see
:data:`MEMORY`): documents read earlier in the same process teach it, worker processes each
learn on their own, and nothing is persisted, so a first document of a source keeps the
template lines a later one loses.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import OrderedDict
from functools import lru_cache

THRESHOLD = 2.5
#: a line scoring at least this is removed when it touches a removed line
NEIGHBOUR_THRESHOLD = 0.9

#: buttons and counters of comment widgets ("Reply", "Report", "12 Recommend")
_WIDGET = re.compile(
    r"^(?:(?:reply|report|flag|share|recommend|like|permalink|edit|delete|"
    r"\d+\s*(?:likes?|recommend(?:s|ations)?|replies|upvotes?|points?|votes?))(?:\s*[|·•]\s*|$))+$"
    r"|^(?:load|show|view|see) (?:more|all|\d+)(?: \w+)? (?:comments|replies)$|^(?:hide|show) replies$",
    re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_URL = re.compile(r"(?:https?://|www\.)\S+|\bt\.me/\S+|\b[\w.-]+\.(?:com|org|net|io|me|ru|co\.uk)/\S*",
                  re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\[email[\s\u00a0]*protected\]", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@\w{2,}")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")

#: calls to action and fund-raising appeals (each hit adds to the score)
_APPEALS = [re.compile(p, re.IGNORECASE) for p in (
    r"\bdonat(?:e|ion|ions|ing)\b", r"\bsubscri(?:be|ption|ber)s?\b", r"\bnewsletter\b",
    r"\b(?:your|our) support\b", r"\bsupport (?:us|our|independent|this)\b",
    r"\bsupport\b.{0,25}\b(?:journalism|reporting|newsroom|mission)\b", r"\bstand with us\b",
    r"\breaders? like you\b", r"\byour (?:gift|donation|contribution|generosity)\b",
    r"\breader[- ](?:funded|supported|powered)\b", r"\b(?:funded|powered|supported) by (?:readers|you)\b",
    r"\b(?:choose|select|enter|pick) (?:your |an |the )?(?:amount|plan|payment)\b",
    r"\b(?:one-time|monthly|annual) (?:gift|donation|contribution)\b",
    r"\bhelp (?:us|support|keep|fund)\b", r"\bkeep (?:our|us|this)\b.{0,30}\balive\b",
    r"\bbecome an? (?:member|patron|subscriber|supporter)\b", r"\bpatreon\b|\bpaypal\b",
    r"\bread (?:more|the full|full)\b", r"\bclick (?:here|to)\b", r"\bcontinue reading\b",
    r"\bfollow (?:us|on|me)\b", r"\bshare (?:this|on|via)\b", r"\blike us\b",
    r"\bleave an? (?:reply|comment)\b", r"\bcomments? (?:are )?closed\b",
    r"\bsign (?:up|in)\b|\blog ?in\b|\bregister\b",
    r"\bpayment\b|\bcredit card\b|\bcard number\b|\bbilling\b|\bpersonal info(?:rmation)?\b",
    r"\bpaid articles?\b|\bpaywall\b|\bfree (?:trial|access)\b",
    r"\ball rights reserved\b|\bcopyright\b|©", r"\bprivacy policy\b|\bterms of (?:use|service)\b",
    r"\bcookies?\b", r"\badvertisement\b|\bsponsored\b|\bpromoted\b",
    r"\b(?:related|recommended|popular|trending) (?:articles|posts|stories|content|news)\b",
    r"\byou (?:may|might) also like\b", r"\bskip to (?:main )?content\b",
    r"\bfiled under\b|\bposted in\b|^tags?:", r"\bjoin (?:us|our|the) (?:channel|community|list)\b",
    r"\b(?:telegram|whatsapp) (?:channel|group)\b", r"\bprint (?:this|article)\b",
    r"\bemail (?:this|us|address)\b", r"\bunsubscribe\b", r"\bdownload (?:our|the) app\b",
)]

#: words one of which every appeal pattern contains (a cheap test before the patterns)
_APPEAL_WORDS = frozenset(
    "donate donation donations donating subscribe subscription subscriber subscribers "
    "newsletter support help keep alive become member patron patreon paypal read click "
    "continue follow share like leave reply comment comments sign log login register payment "
    "credit card billing personal info information paid paywall free trial rights copyright "
    "privacy terms cookie cookies advertisement sponsored promoted related recommended popular "
    "trending skip filed posted tag tags join channel telegram whatsapp print email unsubscribe "
    "download stand reader readers gift contribution generosity funded powered supported choose "
    "select enter pick amount plan one-time monthly annual journalism reporting".split())

#: licensing, syndication and republication notices
_NOTICES = [re.compile(p, re.IGNORECASE) for p in (
    r"\b(?:content|article|story|material) (?:created|written|produced|provided) by\b.{0,80}"
    r"\bavailable\b",
    r"\bavailable without charge\b", r"\blicensing (?:opportunities|inquiries|requests)\b",
    r"\b(?:republished|reprinted|reposted) (?:with permission|from|courtesy)\b",
    r"\b(?:originally|first) (?:published|appeared) (?:on|in|at|by)\b",
    r"\bthis (?:article|story|post) (?:was|is) (?:republished|syndicated|reproduced)\b",
)]



def _appeal_index() -> dict[str, list[re.Pattern[str]]]:
    """Trigger word -> the appeal patterns that can only match a line containing it."""
    index: dict[str, list[re.Pattern[str]]] = {}
    for pattern in _APPEALS:
        source = pattern.pattern.lower()
        stem = re.match(r"\\b([a-z]+)", source)
        triggers = {w for w in _APPEAL_WORDS
                    if w in source or (stem and w.startswith(stem.group(1)))}
        for word in triggers or {"©"}:
            index.setdefault(word, []).append(pattern)
    return index


_APPEALS_BY_WORD = _appeal_index()
_ANY_NOTICE = re.compile("|".join(f"(?:{p.pattern})" for p in _NOTICES), re.IGNORECASE)
#: one of these occurs (lower-cased) in any text ``_ANY_NOTICE`` matches
_NOTICE_NEEDLES = ("available", "licensing", "reprinted", "reposted", "published", "appeared",
                   "syndicated", "reproduced")
#: the only characters a case-blind ASCII letter matches that ``str.lower`` does not turn
#: into that letter (İ, ı, ſ): where one occurs, a lower-cased substring test proves nothing
_FOLD_TRAPS = ("\u0130", "\u0131", "\u017f")


def _may_contain(text: str, needles: tuple[str, ...]) -> bool:
    """False only when no case-blind match of any of ``needles`` can be in ``text``."""
    if any(c in text for c in _FOLD_TRAPS):
        return True
    low = text.lower()
    return any(n in low for n in needles)
#: lines longer than this (in words) are body text: cue vocabulary is not looked for
MAX_CUE_WORDS = 90
#: appeals and calls to action are short: longer lines are not searched for them
MAX_APPEAL_WORDS = 50

#: verbs that start a call to action
_IMPERATIVES = frozenset(
    "follow share subscribe donate support read click sign join leave select keep help "
    "download watch listen get like tweet email print contact register log report "
    "continue visit buy shop enter submit send pin save".split())

#: social networks and sharing targets
_SOCIAL = re.compile(r"\b(?:facebook|twitter|telegram|whatsapp|instagram|linkedin|reddit|"
                     r"pinterest|youtube|tiktok|vk|flipboard|rss)\b", re.IGNORECASE)

#: words that make up section menus and navigation bars
SECTION_WORDS = frozenset(
    "home news world politics security business economy economics markets tech technology "
    "science health sport sports culture arts entertainment opinion opinions analysis "
    "video videos photos podcasts podcast lifestyle travel style food books media "
    "investigations investigation national local us u.s. uk europe asia africa americas "
    "middle east defense defence military energy climate environment education law justice "
    "crime breaking latest live more menu search about contact subscribe login trending "
    "features editorials columns commentary blogs blog weather finance money real estate "
    "cars autos fashion religion society regions region global international".split())

#: vocabulary of photo captions and credits
_CAPTION = re.compile(r"\b(?:photo|photograph|image|picture|file photo|getty|afp|reuters/|"
                      r"ap photo|epa|credit|courtesy|pictured|illustration|screenshot)\b",
                      re.IGNORECASE)
_CAPTION_PREFIX = re.compile(r"^\(?(?:file |top |main |header )?(?:photo|image|picture|credit|caption|"
                             r"illustration|video)s?\b\s*[:|]", re.IGNORECASE)
#: one of these occurs (lower-cased) in any text ``_SOCIAL`` matches
_SOCIAL_NEEDLES = ("facebook", "twitter", "telegram", "whatsapp", "instagram", "linkedin",
                   "reddit", "pinterest", "youtube", "tiktok", "vk", "flipboard", "rss")
_CHANNEL = re.compile(r"\bt\.me/|\btelegram\b", re.IGNORECASE)
#: one of these occurs (lower-cased) in any text ``_CAPTION`` matches
_CAPTION_NEEDLES = ("photo", "image", "picture", "getty", "afp", "reuters/", "epa", "credit",
                    "courtesy", "illustration", "screenshot")


def _caption(text: str) -> bool:
    """``_CAPTION.search(text)``, its slow case-blind search run only where it can match."""
    return _may_contain(text, _CAPTION_NEEDLES) and _CAPTION.search(text) is not None


#: page furniture: reading time, credits of a wire story, "Listen to this article"
_FURNITURE = re.compile(r"^\d+\s*min(?:ute)?s?\.?\s+read$|^listen to (?:this|the) (?:article|story)\b|"
                        r"^\(?(?:additional )?(?:reporting|writing|editing) by\b[^.]{0,120}\)?\.?$",
                        re.IGNORECASE)
_PARTICIPLE = re.compile(r"\b[a-z]{3,}ing\b")
_ROLE = re.compile(r"\b(?:director|editor|fellow|professor|correspondent|reporter|writer|author|"
                   r"analyst|journalist|columnist|contributor|researcher|scholar|founder|"
                   r"lecturer|chair|president|head|member|student|expert|specialist)\b",
                   re.IGNORECASE)
_STOPWORDS = frozenset(
    "a an the of to in on for and or but with by from at as is are was were be been it its "
    "this that these those he she they we you i his her their our your not no".split())


@dataclasses.dataclass
class LineContext:
    """What the scorer knows about the document around its lines.

    ``protected`` lines (title, byline, date) are never removed; lines from
    ``thread_start`` on are a comment thread and are not scored (short replies such as
    "Egads." are content there); ``link_share`` is the share of each line's characters
    that sat inside links in the markup (Markdown, HTML), when known.
    """

    title: str | None = None
    authors: tuple[str, ...] = ()
    protected: frozenset[int] = frozenset()
    thread_start: int | None = None
    link_share: list[float] | None = None
    title_index: int | None = None
    source_group: str | None = None
    doc_key: str = ""


@dataclasses.dataclass
class Decision:
    remove: bool
    score: float
    reason: str = ""


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """Lower-case, letters and digits only, single spaces (for comparing lines)."""
    return " ".join(w.lower() for w in words(text))


@lru_cache(maxsize=16384)
def _word_count(text: str) -> int:
    return len(words(text))


def score_lines(lines: list[str], ctx: LineContext, memory: SourceMemory | None = None) -> list[Decision]:
    """Score every line; ``lines`` are the document's lines ("" for blank lines)."""
    memory = MEMORY if memory is None else memory
    nonblank = [i for i, t in enumerate(lines) if t.strip()]
    scored_end = ctx.thread_start if ctx.thread_start is not None else len(lines)
    scored = [i for i in nonblank if i < scored_end]
    position = {i: k for k, i in enumerate(scored)}
    zone = _zones(lines, scored)
    seen_lines = _seen_before(lines, scored)
    contained = _contained_in_longer(lines, scored)
    repeated = memory.repeated(ctx.source_group, [lines[i] for i in scored], ctx.doc_key)
    decisions = [Decision(False, 0.0) for _ in lines]
    for i in nonblank[len(scored):]:
        if _WIDGET.match(lines[i].strip()):
            decisions[i] = Decision(True, THRESHOLD, "comment widget")
    for i in scored:
        feats = _features(lines[i], i, ctx, zone[i], position[i], len(scored))
        if i in seen_lines:
            feats.append(("repeated line", 6.0))
        if i in contained:
            feats.append(("pull quote (repeats a body passage)", 6.0))
        if lines[i] in repeated:
            feats.append(("repeated across documents of this source", 3.0))
        score = sum(w for _, w in feats)
        reason = max(feats, key=lambda f: f[1])[0] if feats else ""
        decisions[i] = Decision(score >= THRESHOLD and i not in ctx.protected, score, reason)
    _spread_to_neighbours(decisions, scored, ctx)
    memory.learn(ctx.source_group, [lines[i] for i in scored], ctx.doc_key)
    return decisions


def _zones(lines: list[str], scored: list[int]) -> dict[int, str]:
    """``head`` before the first body paragraph, ``tail`` after the last, else ``body``."""
    body = [i for i in scored if _is_body_paragraph(lines[i])]
    first = body[0] if body else None
    last = body[-1] if body else None
    tail_from = scored[max(0, len(scored) - max(3, len(scored) // 8))] if scored else 0
    zones = {}
    for i in scored:
        if first is None or i < first:
            zones[i] = "head"
        elif i > last or (i >= tail_from and not _is_body_paragraph(lines[i])):
            zones[i] = "tail"
        else:
            zones[i] = "body"
    return zones


def _punctuated(text: str) -> bool:
    """Ends like a sentence (looking only at the last characters: lines may be long)."""
    return bool(_SENTENCE_END.search(text[-6:]))


def _is_body_paragraph(text: str) -> bool:
    return _punctuated(text.rstrip()) and len(text.split()) >= 12


def _features(text: str, i: int, ctx: LineContext, zone: str, pos: int, n: int) -> list[tuple[str, float]]:
    stripped = text.strip()
    if len(stripped.split()) > MAX_CUE_WORDS:
        return [("body text", -3.0), ("long paragraph", -1.5)]
    toks = words(stripped)
    nwords = len(toks)
    feats: list[tuple[str, float]] = []
    edge = zone in ("head", "tail")
    punctuated = _punctuated(stripped) or stripped.endswith(":")

    url_chars = 0
    if "/" in stripped or "www." in stripped:
        url_chars += sum(len(m.group()) for m in _URL.finditer(stripped))
    if "@" in stripped or "protected]" in stripped:
        url_chars += sum(len(m.group()) for m in _EMAIL.finditer(stripped))
    link_share = max(url_chars / max(len(stripped), 1),
                     ctx.link_share[i] if ctx.link_share and i < len(ctx.link_share) else 0.0)
    if link_share > 0.8:
        feats.append(("link or address only", 3.0 + (0.5 if edge else 0.0)))
    elif link_share > 0.3:
        feats.append(("link-heavy line", 1.5))
    if _may_contain(stripped, ("t.me/", "telegram")) and _CHANNEL.search(stripped):
        feats.append(("messaging channel", 1.5))

    appeals = _count_appeals(stripped, toks) if nwords <= MAX_APPEAL_WORDS else 0
    if appeals:
        feats.append(("appeal or call to action", min(appeals, 3) * 2.0))
    if _may_contain(stripped, _NOTICE_NEEDLES) and _ANY_NOTICE.search(stripped):
        feats.append(("syndication or licensing notice", 6.0))
    if appeals and _addresses_reader(stripped):
        feats.append(("the publisher addressing the reader", 1.5))
    if toks and toks[0].lower() in _IMPERATIVES and (nwords <= 12 or appeals):
        feats.append(("imperative call to action", 1.0))
    social = len(_SOCIAL.findall(stripped)) if _may_contain(stripped, _SOCIAL_NEEDLES) else 0
    if social and nwords <= 2 * social + 4:
        feats.append(("social-network links", 2.0))

    if _FURNITURE.search(stripped):
        feats.append(("page furniture (reading time, credits)", 3.0))
    if "!" in stripped and nwords <= 12 and not _REPORTED.search(stripped):
        feats.append(("exclamation", 0.5 * min(stripped.count("!"), 2)))
    if not punctuated and nwords <= 6:
        feats.append(("short unpunctuated line", 0.75 + (0.75 if edge else 0.0)))
    if is_nav(toks):
        feats.append(("navigation menu", 2.5))

    if ctx.title and i != ctx.title_index and _same_as_title(stripped, ctx.title):
        feats.append(("repeated title", 3.5))
    caption = _caption_score(stripped, toks, zone, i, ctx, punctuated)
    if caption:
        feats.append(("photo caption or credit", caption))
    bio = _bio_score(stripped, toks, zone, pos, n, ctx)
    if bio:
        feats.append(("author bio", bio))

    if nwords >= 15 and punctuated:
        feats.append(("body text", -3.0))
    if nwords >= 40:
        feats.append(("long paragraph", -1.5))
    if zone == "body" and nwords >= 8:
        feats.append(("inside the body", -0.5))
    return feats


def _count_appeals(text: str, toks: list[str]) -> int:
    """How many appeal patterns match, testing only those whose trigger words occur."""
    lowered = {t.lower() for t in toks}
    lowered |= {part for t in lowered if "-" in t for part in t.split("-")}
    if "©" in text:
        lowered.add("©")
    patterns = {id(p): p for w in lowered & _APPEALS_BY_WORD.keys() for p in _APPEALS_BY_WORD[w]}
    return sum(1 for p in patterns.values() if p.search(text))


_WE = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_YOU = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)
_REPORTED = re.compile(r"[\"“”]|\b(?:said|says|told|according)\b", re.IGNORECASE)


def _addresses_reader(text: str) -> bool:
    """"We … your support": the publisher speaking to its reader (not a quoted source)."""
    return bool(_WE.search(text) and _YOU.search(text) and not _REPORTED.search(text))


def is_nav(toks: list[str]) -> bool:
    """Whether the words of a line make a navigation menu ("Politics Security World")."""
    if len(toks) < 3:
        return False
    lowered = [t.lower() for t in toks]
    if any(t in _STOPWORDS for t in lowered if t not in ("us",)):
        return False
    known = sum(1 for t in lowered if t in SECTION_WORDS)
    return known >= 3 and known / len(toks) >= 0.75 and all(t[0].isupper() for t in toks)


def _same_as_title(text: str, title: str) -> bool:
    a, b = normalise(text), normalise(title)
    if not a or not b:
        return False
    if a == b:
        return True
    # "Outlet - Title" or "Title | Outlet" repeats of the title
    return len(b) >= 20 and b in a and len(a) <= len(b) + 60


def _caption_score(text: str, toks: list[str], zone: str, i: int, ctx: LineContext,
                   punctuated: bool) -> float:
    if _CAPTION_PREFIX.search(text):
        return 3.0
    if zone == "body" and not (_caption(text) and not punctuated and len(toks) <= 25):
        return 0.0
    before_title = ctx.title_index is not None and i < ctx.title_index
    if zone == "head" and before_title and not punctuated and len(toks) >= 4:
        # a descriptive line above the headline: "X giving interview to Y", "(Photo: …)"
        score = 1.0
        if _PARTICIPLE.search(text) or _caption(text):
            score += 1.75
        return score
    if _caption(text) and not punctuated and 4 <= len(toks) <= 25:
        return 1.5
    return 0.0


def _bio_score(text: str, toks: list[str], zone: str, pos: int, n: int, ctx: LineContext) -> float:
    if pos < n // 2:
        return 0.0
    lowered = text.lower()
    for author in ctx.authors:
        name = author.lower()
        if not name:
            continue
        if normalise(text) == normalise(author) and zone == "tail":
            return 3.0  # the author's name alone, as the heading of a bio box
        if lowered.startswith(name) and re.match(r"\s*,?\s+(?:is|was|has|writes|covers|serves)\b",
                                                 text[len(name):]):
            return 5.0
    if zone == "tail" and re.match(r"^[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3},? (?:is|was) (?:a|an|the)\b",
                                   text) and _ROLE.search(text):
        return 4.0
    return 0.0


def _seen_before(lines: list[str], scored: list[int]) -> set[int]:
    """Lines that repeat an earlier line exactly (after normalising); long lines excepted
    only when they are paragraphs of body text (a repeated paragraph is still a copy)."""
    first: dict[str, int] = {}
    out = set()
    for i in scored:
        key = normalise(lines[i])
        if len(key) < 4:
            continue
        if key in first:
            out.add(i)
        else:
            first[key] = i
    return out


def _contained_in_longer(lines: list[str], scored: list[int], shingle: int = 5,
                         max_words: int = 60) -> set[int]:
    """Lines of 6 to ``max_words`` words found verbatim inside a longer line (pull quotes).

    Linear on average: the first word shingle of each candidate is looked for among the
    shingles of the other lines, building a shingle only where its first word is the first
    word of some candidate.
    """
    by_text: dict[str, list[int]] = {}
    for i in scored:
        by_text.setdefault(normalise(lines[i]), []).append(i)
    candidates: dict[tuple[str, ...], list[str]] = {}
    for text in by_text:
        toks = text.split()
        if 6 <= len(toks) <= max_words:
            candidates.setdefault(tuple(toks[:shingle]), []).append(text)
    if not candidates:
        return set()
    first_words = {key[0] for key in candidates}
    found: set[str] = set()
    for longer in by_text:
        toks = longer.split()
        if len(toks) <= 6:
            continue
        for k in range(len(toks) - shingle + 1):
            if toks[k] not in first_words:
                continue
            for text in candidates.get(tuple(toks[k:k + shingle]), ()):
                if text not in found and len(longer) > len(text) + 10 and text in longer:
                    found.add(text)
    return {i for text in found for i in by_text[text]}


def _spread_to_neighbours(decisions: list[Decision], scored: list[int], ctx: LineContext) -> None:
    """Remove weakly suspicious lines that touch removed lines (repeat until stable)."""
    changed = True
    while changed:
        changed = False
        for k, i in enumerate(scored):
            d = decisions[i]
            if d.remove or i in ctx.protected or d.score < NEIGHBOUR_THRESHOLD:
                continue
            neighbours = [scored[k - 1]] if k > 0 else []
            neighbours += [scored[k + 1]] if k + 1 < len(scored) else []
            if any(decisions[j].remove for j in neighbours):
                d.remove = True
                d.reason = d.reason or "next to boilerplate"
                d.reason = f"{d.reason} (next to boilerplate)"
                changed = True


@lru_cache(maxsize=16384)
def _line_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "replace"),
                                          digest_size=8).digest(), "big")


class SourceMemory:
    """Lines seen per source (outlet or host), to learn template lines across documents.

    Bounded in entries, not just in sources: at most ``max_lines`` lines per source and
    ``max_total_lines`` over all sources (least recently used sources are dropped first).
    Lines and document keys are kept as 64-bit hashes, and each line remembers at most
    ``min_docs + 1`` documents, so an entry costs ~150 bytes and the whole memory stays
    under ~20 MB however long an ingest runs.
    """

    def __init__(self, min_docs: int = 2, max_sources: int = 500, max_lines: int = 20000,
                 max_words: int = 60, max_total_lines: int = 100_000) -> None:
        self.min_docs = min_docs
        self.max_sources = max_sources
        self.max_lines = max_lines
        self.max_words = max_words
        self.max_total_lines = max_total_lines
        self._sources: OrderedDict[str, dict[int, tuple[int, ...]]] = OrderedDict()
        self._total = 0

    @staticmethod
    def _hash(text: str) -> int:
        return _line_hash(text)

    def _key(self, line: str) -> int:
        return _line_hash(normalise(line))

    def _eligible(self, line: str) -> bool:
        n = _word_count(line)
        return 0 < n <= self.max_words

    def repeated(self, source: str | None, lines: list[str], doc_key: str) -> set[str]:
        """The ``lines`` seen in at least ``min_docs`` other documents of ``source``."""
        if not source or source not in self._sources:
            return set()
        table = self._sources[source]
        self._sources.move_to_end(source)
        me = self._hash(doc_key)
        out = set()
        for line in lines:
            if not self._eligible(line):
                continue
            docs = table.get(self._key(line))
            if docs and sum(1 for d in docs if d != me) >= self.min_docs:
                out.add(line)
        return out

    def learn(self, source: str | None, lines: list[str], doc_key: str) -> None:
        if not source:
            return
        table = self._sources.setdefault(source, {})
        self._sources.move_to_end(source)
        me = self._hash(doc_key)
        for line in set(lines):
            if not self._eligible(line):
                continue
            key = self._key(line)
            docs = table.get(key)
            if docs is None:
                if len(table) >= self.max_lines:
                    continue
                table[key] = (me,)
                self._total += 1
            elif len(docs) <= self.min_docs and me not in docs:
                table[key] = docs + (me,)
        self._evict()

    def _evict(self) -> None:
        while len(self._sources) > 1 and (len(self._sources) > self.max_sources
                                          or self._total > self.max_total_lines):
            _, dropped = self._sources.popitem(last=False)
            self._total -= len(dropped)

    def __len__(self) -> int:
        """Lines remembered over all sources."""
        return self._total

    def clear(self) -> None:
        self._sources.clear()
        self._total = 0


#: the process-wide memory used by the clean stage (see the module documentation)
MEMORY = SourceMemory()
