"""The actor knowledge base: contents, time-aware offices, user files and their errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from storyline.actors.kb import check_file, load_kb
from storyline.actors.names import fold, keys, person_parts, surface_ok
from storyline.errors import ConfigError


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_knowledge_base_is_broad(kb):
    stats = kb.stats()
    assert stats["people"] >= 1000
    assert stats["countries"] >= 250
    assert stats["terms"] >= 1300
    # every country has a generated government named after the Wikipedia convention
    assert kb.government("RUS").name == "Government of Russia"
    assert kb.government("USA").name == "Government of the United States"
    assert kb.government("GBR").name == "Government of the United Kingdom"


def test_gold_organisations_have_their_canonical_names(kb, gold):
    for entity in gold["entities"]:
        if entity["type"] != "ORG":
            continue
        names = {fold(kb.entries[h.entry_id].name) for h in kb.lookup(entity["canonical"])}
        assert fold(entity["canonical"]) in names, entity["canonical"]


def test_metonyms_and_aliases(kb):
    assert [h.entry_id for h in kb.lookup("the Kremlin")] == ["gov:RUS"]
    assert {h.kind for h in kb.lookup("Moscow")} == {"capital"}
    assert kb.lookup("Pentagon")[0].entry_id == "united-states-department-of-defense"
    assert kb.lookup("Daesh")[0].entry_id == "islamic-state"
    assert kb.lookup("Foggy Bottom")[0].kind == "metonym"
    assert kb.country_of("Great Britain") == "GBR"
    assert kb.country_of("People's Republic of China") == "CHN"
    assert kb.country_of("Republic of China") == "TWN"
    assert kb.demonym("Saudi") == ("SAU", "adjective")
    assert kb.demonym("Russians") == ("RUS", "people")


def test_office_holders_follow_the_date(kb):
    assert kb.holder("USA", "hos", dt.date(2017, 5, 3)).name == "Donald Trump"
    assert kb.holder("USA", "hos", dt.date(2010, 1, 1)).name == "Barack Obama"
    assert kb.holder("RUS", "hog", dt.date(2010, 1, 1)).name == "Vladimir Putin"
    assert kb.holder("RUS", "hos", dt.date(2010, 1, 1)).name == "Dmitry Medvedev"
    assert kb.holder("DEU", "leader", dt.date(2017, 5, 3)).name == "Angela Merkel"
    assert kb.holder("DEU", "leader", dt.date(2023, 1, 1)).name == "Olaf Scholz"
    assert kb.holder("USA", "fm", dt.date(2017, 6, 9)).name == "Rex Tillerson"
    assert kb.holder("RUS", "spox_hos", dt.date(2017, 5, 3)).name == "Dmitry Peskov"
    putin = kb.get("kb:vladimir-putin")
    assert putin.profile_at(dt.date(2010, 6, 1))[0] == "Prime Minister of Russia"
    assert putin.profile_at(dt.date(2017, 6, 1))[0] == "President of Russia"
    merkel = kb.get("kb:angela-merkel")
    assert merkel.profile_at(dt.date(2025, 1, 1))[2] == "elite"  # a former official


def test_names():
    assert keys("al-Qaeda") == keys("al Qaeda") == ("al", "qaeda")
    assert fold("Erdoğan") == "erdogan"
    assert person_parts("Bashar al-Assad")[1] == "al assad"
    assert person_parts("Xi Jinping", "CHN")[1] == "xi"
    assert person_parts("Joseph Wu", "TWN")[1] == "wu"
    assert not surface_ok("US", "us")
    assert surface_ok("NATO", "Nato")
    assert not surface_ok("Pentagon", "pentagon")


def test_user_file_extends_the_kb(tmp_path):
    path = tmp_path / "extra.json"
    path.write_text(
        json.dumps(
            [
                {
                    "name": "Ahmed Example",
                    "type": "PERSON",
                    "country": "Syria",
                    "aliases": ["A. Example"],
                    "terms": [
                        {
                            "role": "Spokesman of the Example Front",
                            "sector": "rebel",
                            "start": "2015",
                        }
                    ],
                },
                {"name": "Example Front", "sector": "rebel", "country": "SYR", "aliases": ["EF"]},
            ]
        )
    )
    assert check_file(path)["entries"] == 2
    kb = load_kb(str(path))
    entry = kb.get("kb:ahmed-example")
    assert entry.country == "SYR"
    assert entry.profile_at(dt.date(2017, 1, 1))[2] == "rebel"
    assert kb.lookup("EF")[0].entry_id == "example-front"
    assert "kb:example-front" not in {e.actor_id for e in load_kb().entries.values()}


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "not valid JSON"),
        ('{"entries": 3}', "expected a JSON list"),
        ('[{"type": "ORG"}]', 'needs a non-empty "name"'),
        ('[{"name": "X", "sector": "wizard"}]', "unknown sector 'wizard'"),
        ('[{"name": "X", "country": "Atlantis"}]', "unknown country 'Atlantis'"),
        ('[{"name": "X", "colour": "red"}]', "unknown field(s) ['colour']"),
        ('[{"name": "X", "terms": [{"office": "hos", "start": "2019-13-01"}]}]', "is not a date"),
        ('[{"name": "X", "terms": [{"role": "Mayor", "start": "2020", "end": "2019"}]}]', "ends"),
        ('[{"name": "X", "terms": [{"office": "emperor"}]}]', "unknown office 'emperor'"),
    ],
)
def test_user_file_errors_are_clear(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ConfigError) as err:
        check_file(path)
    assert message in str(err.value)
    assert "bad.json" in str(err.value)


def test_kb_cli(tmp_path, capsys):
    from storyline.cli.main import main

    good = tmp_path / "good.json"
    good.write_text('[{"name": "Example Front", "sector": "rebel", "country": "SYR"}]')
    assert main(["kb", "check", str(good), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == 1
    bad = tmp_path / "bad.json"
    bad.write_text('[{"name": "X", "sector": "wizard"}]')
    assert main(["kb", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "unknown sector 'wizard'" in err
