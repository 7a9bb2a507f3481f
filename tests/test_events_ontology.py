"""The PLOVER ontology and the event lexicon are data: check they hold together."""

from __future__ import annotations

from storyline.events import lexicon, ontology


def test_sixteen_plover_types_with_roots_and_scores():
    types = ontology.types()
    assert len(types) == 16
    assert set(types) == {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID",
                          "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST",
                          "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    for event_type in types:
        root = ontology.cameo(event_type)
        assert ontology.goldstein(root) is not None, event_type
        assert -10 <= ontology.score(event_type) <= 10
        assert ontology.quad(event_type) in (1, 2, 3, 4)
    # cooperation scores above conflict ones
    assert ontology.score("AID") > ontology.score("CONSULT") > 0 > ontology.score("ACCUSE") \
        > ontology.score("ASSAULT")
    assert "CC BY-SA" in ontology.load()["licence"]


def test_modes_refine_cameo_roots():
    assert ontology.cameo("ACCUSE", "investigate") == "09"
    assert ontology.cameo("ACCUSE", "allege") == "11"
    assert ontology.cameo("ASSAULT", "aerial") == "19"
    assert ontology.cameo("ASSAULT", "cbrn") == "20"
    assert ontology.cameo("ASSAULT", "abduct") == "18"
    assert ontology.goldstein("19") == -10.0
    assert ontology.valid_mode("CONSULT", "phone") == "phone"
    assert ontology.valid_mode("CONSULT", "aerial") is None


def test_old_labels_map_to_plover_2():
    assert ontology.legacy_type("DEMAND") == "REQUEST"
    assert ontology.legacy_type("DISAPPROVE") == "ACCUSE"
    assert ontology.legacy_type("INVESTIGATE") == "ACCUSE"
    assert ontology.legacy_type("FIGHT") == "ASSAULT"
    assert ontology.legacy_type("CRIME") is None
    assert ontology.legacy_type("agree") == "AGREE"


def test_intentions_are_coded_as_plover_does():
    assert ontology.coded_type("CONSULT", "future") == "AGREE"
    assert ontology.coded_type("AID", "proposed") == "AGREE"
    assert ontology.coded_type("ASSAULT", "future") == "THREATEN"
    assert ontology.coded_type("ASSAULT", "hypothetical") == "THREATEN"
    assert ontology.coded_type("CONSULT", "happened") == "CONSULT"
    assert ontology.coded_type("REJECT", "future") == "REJECT"


def test_every_lexicon_entry_codes_into_the_ontology():
    data = lexicon.load()
    types = set(ontology.types())
    for table in ("verbs", "phrasal", "nouns"):
        for event_type, words in data[table].items():
            assert event_type in types, (table, event_type)
            for word, mode in words.items():
                assert not mode or ontology.valid_mode(event_type, mode), (table, word, mode)
    for verb, rules in data["object_rules"].items():
        for noun_class, event_type, mode in rules:
            assert noun_class in data["noun_classes"], (verb, noun_class)
            assert event_type in types and (not mode or ontology.valid_mode(event_type, mode))
    for event_type, modes in data["mode_keywords"].items():
        for mode in modes:
            assert ontology.valid_mode(event_type, mode), (event_type, mode)
    for context in data["context_keywords"]:
        assert context in ontology.load()["contexts"]


def test_lexicon_lookups():
    assert ("ASSAULT", "aerial") in lexicon.phrasal("shoot", "down")
    assert lexicon.object_rule("send", "troops") == ("MOBILIZE", "troops")
    assert lexicon.object_rule("withdraw", "peacekeeping", "force") == ("SANCTION", "withdraw")
    assert lexicon.mode_from_text("ASSAULT", "a drone strike killed two") == "drone"
    assert lexicon.mode_from_text("CONSULT", "spoke by telephone") == "phone"
    assert "military" in lexicon.contexts("troops crossed the border after missile strikes")
