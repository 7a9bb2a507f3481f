"""Claims: which statements of different reports say the same thing."""

from __future__ import annotations

from storyline.fuse.claims import group_units
from storyline.fuse.embeddings import embed
from storyline.fuse.units import StatementUnit, distinct_entities, entity_keys
from storyline.settings import load


def _unit(doc: str, text: str, actors: list[str]) -> StatementUnit:
    return StatementUnit(doc_id=doc, start=0, end=len(text), text=text, key=text.lower(),
                         entities=entity_keys(text, actors))


def _groups(units: list[StatementUnit]) -> list[set[str]]:
    vectors = embed([u.text for u in units])
    threshold = load(env={}).fuse.claim_similarity
    groups = group_units(units, vectors, {u.doc_id: "s1" for u in units}, threshold)
    return [{units[i].doc_id for i in g} for g in groups if len(g) > 1]


def test_an_actor_and_its_name_are_one_entity():
    keys = entity_keys("Secretary of State Rex Tillerson visited Moscow.", ["kb:rex-tillerson"])
    assert {"actor:kb:rex-tillerson", "tillerson"} <= keys
    assert distinct_entities(keys - {"moscow"}) == 1
    assert distinct_entities({"actor:kb:rex-tillerson", "actor:kb:country:RUS",
                              "rex tillerson", "moscow"}) == 2


def test_one_person_named_in_two_statements_does_not_make_them_one_claim():
    tillerson = ["kb:rex-tillerson"]
    units = [
        _unit("wsj-may", "Secretary of State Rex Tillerson told reporters it was a very good "
              "call, with a lot of detailed exchanges.", tillerson),
        _unit("wsj-june", "The meetings followed a visit by U.S. Secretary of State Rex "
              "Tillerson to Moscow in April.", tillerson),
        _unit("ap", "Diplomats from Russia and the United States met in Amman on Tuesday to "
              "discuss a safe zone in southern Syria.", ["kb:country:RUS", "kb:country:USA"]),
        _unit("reuters", "Russian and U.S. diplomats met in Amman on Tuesday for talks on a "
              "safe zone in southern Syria, officials said.", ["kb:country:RUS",
                                                               "kb:country:USA"]),
    ]
    groups = _groups(units)
    assert {"ap", "reuters"} in groups
    assert not any({"wsj-may", "wsj-june"} <= g for g in groups)
