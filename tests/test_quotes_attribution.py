"""Attribution spans on hard cases: cue, source and content boundaries as PolNeAR draws them
(source, cue and content of each attribution), on sentences written for these tests."""

from __future__ import annotations

import pytest

from storyline.nlp.pipeline import parse
from storyline.nlp.quotes import VERSION, extract, find_quotes


def _atts(nlp, text):
    """(cue, source, [content parts]) of every attribution, as text."""
    doc = parse(text, nlp)
    out = []
    for a in extract(doc, broad=True):
        out.append((text[a.cue[0]:a.cue[1]],
                    text[a.source[0]:a.source[1]] if a.source else None,
                    [text[s:e] for s, e in a.contents]))
    return out


def _by_cue(atts, cue):
    found = [a for a in atts if a[0] == cue]
    assert found, f"no attribution with cue {cue!r} in {atts}"
    return found[0]


def test_according_to_after_the_clause(nlp):
    text = "The ceasefire will hold through the weekend, according to a senior Turkish official."
    cue, source, content = _by_cue(_atts(nlp, text), "according to")
    assert source == "a senior Turkish official"
    assert content == ["The ceasefire will hold through the weekend"]


def test_according_to_anonymous_source_before_the_clause(nlp):
    text = "According to two officials familiar with the talks, the deal was signed on Friday."
    cue, source, content = _by_cue(_atts(nlp, text), "According to")
    assert source == "two officials familiar with the talks"
    assert content == ["the deal was signed on Friday"]
    quote = find_quotes(parse(text, nlp), "d1")[0]
    assert quote.anonymous


def test_inverted_said_after_a_multi_sentence_quote(nlp):
    text = ("“We will not retreat. The border stays closed until the talks resume,” said "
            "Interior Minister Ana Ruiz.")
    cue, source, content = _by_cue(_atts(nlp, text), "said")
    assert source == "Interior Minister Ana Ruiz"
    assert content == ["“We will not retreat. The border stays closed until the talks resume,”"]


def test_told_reporters_that(nlp):
    text = "The mayor told reporters that the water supply was safe."
    cue, source, content = _by_cue(_atts(nlp, text), "told")
    assert source == "The mayor"
    assert content == ["that the water supply was safe"]  # "that" belongs to the content


def test_told_reporters_after_a_quote(nlp):
    text = "“We are ready for whatever comes next,” she told reporters on Monday."
    quotes = find_quotes(parse(text, nlp), "d1")
    assert len(quotes) == 1
    assert quotes[0].cue == "told"
    assert quotes[0].text == "“We are ready for whatever comes next,”"


def test_colon_introduced_quote_keeps_the_colon_in_the_cue(nlp):
    text = "The minister added: “Nobody will be left behind.”"
    cue, source, content = _by_cue(_atts(nlp, text), "added:")
    assert source == "The minister"
    assert content == ["“Nobody will be left behind.”"]


def test_anonymous_diplomat_with_inverted_quote(nlp):
    text = "“This is a dangerous escalation,” a Western diplomat said on condition of anonymity."
    quotes = find_quotes(parse(text, nlp), "d1")
    assert len(quotes) == 1
    q = quotes[0]
    assert q.speaker_text == "a Western diplomat" and q.anonymous
    assert q.text == "“This is a dangerous escalation,”"


def test_cue_keeps_auxiliaries_and_adverbs(nlp):
    text = "The governor also said Friday that the schools would reopen."
    cue, source, content = _atts(nlp, text)[0]
    assert cue == "also said Friday"
    assert source == "The governor"
    assert content == ["that the schools would reopen"]


def test_stance_content_runs_over_the_verbs_arguments(nlp):
    text = "Senator Kim has repeatedly criticized the governor for refusing to release the report."
    cue, source, content = _by_cue(_atts(nlp, text), "has repeatedly criticized")
    assert source == "Senator Kim"
    assert content == ["the governor for refusing to release the report"]


def test_stance_content_stops_at_circumstances(nlp):
    text = "Ms. Ortiz attacked the senator in a series of late-night posts."
    cue, source, content = _by_cue(_atts(nlp, text), "attacked")
    assert source == "Ms. Ortiz"
    assert content == ["the senator"]


def test_no_comment_keeps_the_addressee_out_of_the_cue(nlp):
    text = "The spokesman did not immediately respond to requests for comment."
    cue, source, content = _atts(nlp, text)[0]
    assert cue == "did not immediately respond"
    assert source == "The spokesman"
    assert content == ["to requests for comment"]


def test_speech_verb_with_an_object_only(nlp):
    text = "The senator noted the absence of any plan for the refugees."
    cue, source, content = _by_cue(_atts(nlp, text), "noted")
    assert source == "The senator"
    assert content == ["the absence of any plan for the refugees"]


def test_parenthetical_cue_after_coordinated_clauses(nlp):
    text = "The budget is a disaster, but the deficit is shrinking, officials said."
    cue, source, content = _by_cue(_atts(nlp, text), "said")
    assert source == "officials"
    assert content == ["The budget is a disaster, but the deficit is shrinking"]


def test_source_with_state_abbreviation(nlp):
    text = "Mitch McConnell, R-Ky., said the bill would pass."
    cue, source, content = _by_cue(_atts(nlp, text), "said")
    assert source == "Mitch McConnell, R-Ky.,"
    assert content == ["the bill would pass"]


def test_source_after_a_dateline_dash(nlp):
    text = "BERLIN — Chancellor Weber said the talks would resume next week."
    cue, source, content = _by_cue(_atts(nlp, text), "said")
    assert source == "Chancellor Weber"


def test_transcript_turn_opened_by_a_quotation_mark(nlp):
    text = ('Partial transcript as follows:\n\n'
            '"HOST: Let us start with the news of the day. Will the minister resign?"\n\n'
            '"MORALES: No, she will not, and she has said so many times."')
    atts = [a for a in _atts(nlp, text) if a[0] == ":" and a[1] in ("HOST", "MORALES")]
    assert [(a[1], a[2]) for a in atts] == [
        ("HOST", ["Let us start with the news of the day. Will the minister resign?"]),
        ("MORALES", ["No, she will not, and she has said so many times"]),  # no full stop
    ]


def test_quote_records_keep_provenance(nlp):
    text = "“We will rebuild,” the mayor said. Officials said the bridge would reopen in May."
    quotes = find_quotes(parse(text, nlp), "doc-7")
    assert len(quotes) == 2
    for q in quotes:
        assert q.doc_id == "doc-7" and q.stage == "quotes" and q.stage_version == VERSION
        assert text[q.start:q.end] == q.text
        assert text[q.cue_start:q.cue_end] == q.cue
        assert q.speaker_start is not None and text[q.speaker_start:q.speaker_end] == q.speaker_text
        assert 0 < q.confidence <= 1


@pytest.mark.parametrize("text", [
    "The weather was fine and the match started on time.",
    "He walked to the station and took the last train home.",
])
def test_no_attribution_in_plain_narration(nlp, text):
    assert find_quotes(parse(text, nlp), "d1") == []


def test_passive_expectation_has_no_source(nlp):
    text = "The governor is widely expected to sign the budget next week."
    cue, source, content = _by_cue(_atts(nlp, text), "is widely expected")
    assert source is None
    assert content == ["The governor", "to sign the budget next week"]


def test_poll_shows_a_noun_finding(nlp):
    text = "A new Quinnipiac poll showed a narrow lead for the senator among likely voters."
    cue, source, content = _by_cue(_atts(nlp, text), "showed")
    assert source == "A new Quinnipiac poll"
    assert content[0].startswith("a narrow lead for the senator")


def test_noun_cue_with_possessive_holder(nlp):
    text = "Voters in the county have mixed feelings about the mayor's plan to close the library."
    cue, source, content = _by_cue(_atts(nlp, text), "plan")
    assert source == "the mayor's"
    assert content == ["to close the library"]


def test_noun_cue_with_that_clause_and_verb(nlp):
    text = "The senator repeated his claim that the election had been stolen."
    cue, source, content = _by_cue(_atts(nlp, text), "repeated his claim")
    assert source == "The senator"
    assert content == ["that the election had been stolen"]


def test_noun_cues_stay_out_of_plain_quote_records(nlp):
    text = "The mayor's plan to close the library drew a crowd to the town hall."
    assert find_quotes(parse(text, nlp), "d2") == []


PRONOUN_SPEAKERS = (
    "Rivals trade barbs\n\n"
    "Trump also took multiple swipes at fellow contender Jeb Bush on Saturday.\n\n"
    "“Everybody is laughing at Jeb Bush. A pathetic figure!” he wrote.\n\n"
    "Calderon intimated disappointment that the American people have given Trump a real "
    "shot at succeeding Barack Obama in the Oval Office.\n\n"
    "“It is incredible that a quite admirable society could produce such candidates,” he "
    "said.\n")


def test_a_pronoun_speaker_is_the_subject_before_it_not_the_nearest_name():
    """"he" is the subject of the sentence before (Trump, Calderon), not the person named
    last (Jeb Bush, Barack Obama) — with the actor stage's mentions telling people apart
    where the small model tags "Calderon" an organisation."""
    from storyline.flow import document_stages, process_document
    from storyline.ingest.types import RawInput
    from storyline.settings import load

    raw = RawInput(source_key="mem://barbs.txt", source="mem://barbs.txt",
                   data=PRONOUN_SPEAKERS.encode(), format="text")
    state = process_document(raw, load(env={}), document_stages())
    speakers = {q.text.split()[0].strip("“"): q.speaker_text for q in state["quotes"]
                if q.kind == "direct"}
    assert speakers["Everybody"] == "Trump"
    assert speakers["It"] == "Calderon"
