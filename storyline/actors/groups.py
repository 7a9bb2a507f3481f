"""Pass 6 of :mod:`.resolve`: demonyms used as nouns ("the Russians") and organisations
spaCy found that the knowledge base does not know (document-local actors)."""

from __future__ import annotations


from .full_names import _is_author, _is_role_word, _title_words
from .kb import KnowledgeBase
from .names import is_acronym, keys, slug
from .reading import Cand, Reader
from .role_phrases import _token_indices
from .roles import analyse



# --- 6. demonyms and unknown organisations -----------------------------------------------------


def _demonym_groups(reader: Reader) -> None:
    """ "The Russians", "Syrians": the country as a collective actor."""
    kb = reader.kb
    doc = reader.doc
    for i in _token_indices(doc, "TAG", ("NNPS", "NNS", "NNP")):
        tok = doc[i]
        if not tok.text[:1].isupper():
            continue
        start, end = tok.idx, tok.idx + len(tok.text)
        if not reader.free(start, end):
            continue
        demonym = kb.demonym(tok.text)
        if demonym is None or demonym[1] != "people":
            continue
        entry = kb.country_entry(demonym[0])
        if entry is None:
            continue
        reader.add(
            Cand(
                start=start,
                end=end,
                label="NORP",
                kind="demonym",
                actor_id=entry.actor_id,
                actor_name=entry.name,
                country=demonym[0],
                sector=None,
                confidence=0.7,
            )
        )


def _local_orgs(reader: Reader) -> None:
    """Organisations spaCy found that the knowledge base does not know."""
    from rapidfuzz import fuzz, process

    kb = reader.kb
    choices, choice_ids = _org_choices(kb)
    for ent in reader.doc.ents:
        if ent.label_ not in ("ORG", "PERSON", "NORP"):
            continue
        tokens = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
        while tokens and (tokens[-1].text in ("'s", "’s") or tokens[-1].is_punct):
            tokens.pop()
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if not reader.free(start, end):
            continue
        name = reader.text[start:end]
        words = keys(name)
        if not words or all(w.isdigit() for w in words) or name.islower():
            continue
        if len(words) == 1 and (
            _is_role_word(kb, words[0]) or words[0] in _title_words(kb) or words[0] in kb.surnames
        ):
            continue
        if len(name) < 3 or "(" in name:
            continue  # "NY", "Edydee (Maine": abbreviations and commenter headers
        if ent.label_ != "ORG" and not (len(name) >= 6 and " " in name):
            continue
        if _is_author(reader, name):
            continue
        fuzzy = (
            process.extractOne(
                " ".join(words),
                choices,
                scorer=fuzz.ratio,
                score_cutoff=max(reader.fuzzy_threshold, 88),
            )
            if len(name) >= 6
            else None
        )
        if fuzzy is not None:
            entry = kb.entries[choice_ids[fuzzy[2]]]
            reader.add(reader.entry_cand(entry, start, end, label="ORG", kind="alias",
                                         confidence=0.6))
            continue
        if ent.label_ != "ORG" or len(name) < 2:
            continue
        info = analyse(name, kb, reader.when)
        reader.add(
            Cand(
                start=start,
                end=end,
                label="ORG",
                kind="local",
                actor_id=f"x:org:{slug(name)}",
                actor_name=name,
                country=info.country,
                sector=info.sector if info.sector not in ("unknown", "civilian") else None,
                confidence=0.6,
            )
        )


def _org_choices(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """Alias keys of organisations (for fuzzy matching) and their entry ids."""
    if "org_choices" not in kb.cache:
        names, ids = [], []
        for entry in kb.entries.values():
            if entry.type == "PERSON" or entry.id.startswith(("gov:", "country:")):
                continue
            for alias in (entry.name, *entry.aliases):
                k = " ".join(keys(alias))
                if len(k) >= 6 and not is_acronym(alias):
                    names.append(k)
                    ids.append(entry.id)
        kb.cache["org_choices"] = (names, ids)
    return kb.cache["org_choices"]
