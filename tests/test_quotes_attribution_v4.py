"""Attribution constructions added in quotes stage version 4 (PolNeAR span conventions),
each on sentences written for these tests: the cue, source and content spans expected."""

from __future__ import annotations

from spacy.tokens import Doc

from storyline.nlp.pipeline import parse
from storyline.nlp.quotes import extract, find_quotes, quote_spans


def _atts(nlp, text):
    """(cue, source, [content parts]) of every attribution, as text."""
    return _as_text(text, extract(parse(text, nlp), broad=True))


def _as_text(text, atts):
    return [(text[a.cue[0]:a.cue[1]], text[a.source[0]:a.source[1]] if a.source else None,
             [text[s:e] for s, e in a.contents]) for a in atts]


def _by_cue(atts, cue):
    found = [a for a in atts if a[0] == cue]
    assert found, f"no attribution with cue {cue!r} in {atts}"
    return found[0]


# --- quotation marks --------------------------------------------------------------------


def test_closing_mark_spaced_off_a_single_quote(nlp):
    text = "\"He kept telling us 'stay calm,' \" the guard said."
    assert quote_spans(text) == [(0, len("\"He kept telling us 'stay calm,' \""))]
    cue, source, content = _by_cue(_atts(nlp, text), "said")
    assert source == "the guard"
    assert content == ["\"He kept telling us 'stay calm,' \""]


def test_three_apostrophes_close_a_doubled_quote(nlp):
    text = "''We keep hearing 'this time is different,''' the economist said."
    cue, source, content = _by_cue(_atts(nlp, text), "said")
    assert source == "the economist"
    assert content == ["''We keep hearing 'this time is different,'''"]


def test_paragraph_opened_with_a_closing_curly_mark(nlp):
    text = ("Readers wrote in after the debate.\n\n"
            "”We are tired of waiting for change.” ― Maria Lopez")
    cue, source, content = _by_cue(_atts(nlp, text), "―")
    assert source == "Maria Lopez"
    assert content == ["”We are tired of waiting for change.”"]


# --- direct quotations ------------------------------------------------------------------


def test_manner_of_speaking_verb_after_a_quote(nlp):
    text = "“The vote was never close,” she elaborated."
    cue, source, content = _by_cue(_atts(nlp, text), "elaborated")
    assert source == "she"
    assert content == ["“The vote was never close,”"]


def test_according_to_before_a_quote(nlp):
    text = "According to the ministry, “the figures will be revised in March.”"
    cue, source, content = _by_cue(_atts(nlp, text), "According to")
    assert source == "the ministry"
    assert content == ["“the figures will be revised in March.”"]


def test_as_someone_put_it(nlp):
    text = "As the coach put it, “we simply ran out of legs.”"
    cue, source, content = _by_cue(_atts(nlp, text), "put")
    assert source == "the coach"
    assert content == ["“we simply ran out of legs.”"]


def test_cue_after_a_quote_behind_a_long_title(nlp):
    text = ("“It was the best season we have had in a decade, coach,” ESPN senior co-host "
            "Mary Vance said.")
    cue, source, content = _by_cue(_atts(nlp, text), "said")
    assert source is not None and source.endswith("Mary Vance")
    assert content == ["“It was the best season we have had in a decade, coach,”"]


def test_sentence_before_a_quote_stays_out_of_it(nlp):
    text = ("Turnout was lower than expected in the northern districts. ''People simply stayed "
            "home,'' one organizer said.")
    cue, source, content = _by_cue(_atts(nlp, text), "said")
    assert source == "one organizer"
    assert content == ["''People simply stayed home,''"]


def test_quoted_words_inside_the_reported_clause(nlp):
    text = 'The minister said "local militias" must lead the fight.'
    cue, source, content = _by_cue(_atts(nlp, text), "said")
    assert source == "The minister"
    assert content == ['"local militias" must lead the fight']


def test_content_ending_in_a_quotation_keeps_its_closing_mark(nlp):
    text = "He said anyone who complains about the referee “is not having a good day.”"
    cue, source, content = _by_cue(_atts(nlp, text), "said")
    assert content == ["anyone who complains about the referee “is not having a good day.”"]
    quote = next(q for q in find_quotes(parse(text, nlp), "d1") if q.cue == "said")
    assert quote.text.endswith("good day.”")


# --- indirect speech and stance ---------------------------------------------------------


def test_trailing_participle_is_the_writers(nlp):
    text = ("The governor said the plan would cut costs by a third, putting the state ahead "
            "of its neighbors.")
    cue, source, content = _by_cue(_atts(nlp, text), "said")
    assert source == "The governor"
    assert content == ["the plan would cut costs by a third"]


def test_closing_cue_read_from_the_tokens_when_the_parse_misses_it(nlp):
    # the parse the small model gives long sentences of this shape: "said" hangs on the
    # main verb as an adverbial clause and takes a noun of the reported clause as subject
    words = ["Costs", "rose", "for", "people", "in", "cities", ",", "she", "said", "."]
    heads = [1, 1, 1, 8, 3, 4, 8, 8, 1, 1]
    deps = ["nsubj", "ROOT", "prep", "nsubj", "prep", "pobj", "punct", "dep", "advcl",
            "punct"]
    pos = ["NOUN", "VERB", "ADP", "NOUN", "ADP", "NOUN", "PUNCT", "PRON", "VERB", "PUNCT"]
    lemmas = ["cost", "rise", "for", "people", "in", "city", ",", "she", "say", "."]
    spaces = [True, True, True, True, True, False, True, True, False, False]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos,
              lemmas=lemmas)
    cue, source, content = _by_cue(_as_text(doc.text, extract(doc, broad=True)), "said")
    assert source == "she"
    assert content == ["Costs rose for people in cities"]


def test_participle_on_an_object_takes_the_clause_subject(nlp):
    text = "The two leaders issued a joint statement describing the talks as productive."
    cue, source, content = _by_cue(_atts(nlp, text), "describing")
    assert source == "The two leaders"
    assert content == ["the talks as productive"]


def test_cue_keeps_the_medium_and_manner_of_speaking(nlp):
    text = ("The mayor said in a statement that the bridge would reopen in May. “We will "
            "rebuild,” she said with a smile.")
    atts = _atts(nlp, text)
    assert _by_cue(atts, "said in a statement")[2] == ["that the bridge would reopen in May"]
    assert _by_cue(atts, "said with a smile")[1] == "she"


def test_closing_cue_parsed_as_a_conjunct_reports_the_whole_sentence(nlp):
    # "<A>, but <B>, an aide said" as the small model often parses it: the cue is a
    # conjunct of <A> and only <B> is its clausal complement
    words = ["Fares", "rose", ",", "but", "the", "city", "froze", "them", ",", "an", "aide",
             "said", "."]
    heads = [1, 1, 1, 1, 5, 6, 11, 6, 11, 10, 11, 1, 1]
    deps = ["nsubj", "ROOT", "punct", "cc", "det", "nsubj", "ccomp", "dobj", "punct", "det",
            "nsubj", "conj", "punct"]
    pos = ["NOUN", "VERB", "PUNCT", "CCONJ", "DET", "NOUN", "VERB", "PRON", "PUNCT", "DET",
           "NOUN", "VERB", "PUNCT"]
    lemmas = ["fare", "rise", ",", "but", "the", "city", "freeze", "they", ",", "an", "aide",
              "say", "."]
    spaces = [True, False, True, True, True, True, True, False, True, True, True, False, False]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos,
              lemmas=lemmas)
    cue, source, content = _by_cue(_as_text(doc.text, extract(doc, broad=True)), "said")
    assert source == "an aide"
    assert content == ["Fares rose, but the city froze them"]


def test_pointed_out_that(nlp):
    text = "The coach pointed out that the team had won five straight games."
    cue, source, content = _by_cue(_atts(nlp, text), "pointed out")
    assert source == "The coach"
    assert content == ["that the team had won five straight games"]


def test_made_it_clear_that(nlp):
    text = "The chairman made it clear to investors that no layoffs were planned."
    cue, source, content = _by_cue(_atts(nlp, text), "made it clear")
    assert source == "The chairman"
    assert content == ["that no layoffs were planned"]


def test_plans_to_is_a_stance(nlp):
    text = "The city plans to open three new shelters this winter."
    cue, source, content = _by_cue(_atts(nlp, text), "plans")
    assert source == "The city"
    assert content == ["to open three new shelters this winter"]


def test_seeing_something_as_something(nlp):
    text = "Many economists see the tariff as a tax on consumers."
    cue, source, content = _by_cue(_atts(nlp, text), "see")
    assert source == "Many economists"
    assert content == ["the tariff as a tax on consumers"]


def test_passive_accusation_keeps_its_target_in_the_content(nlp):
    text = "The contractor was accused of overbilling the city by millions."
    cue, source, content = _by_cue(_atts(nlp, text), "was accused of")
    assert source is None
    assert content == ["The contractor", "overbilling the city by millions"]


def test_survey_framing_a_clause(nlp):
    text = "In the latest Gallup survey, the governor's approval rating fell to 38 percent."
    cue, source, content = _by_cue(_atts(nlp, text), "In")
    assert source == "the latest Gallup survey"
    assert content == ["the governor's approval rating fell to 38 percent"]


def test_no_survey_cue_when_the_clause_has_its_own_cue(nlp):
    text = "In a report released Monday, the agency said exports had fallen."
    atts = _atts(nlp, text)
    assert not [a for a in atts if a[0] == "In"]
    assert _by_cue(atts, "said")[2] == ["exports had fallen"]


def test_subject_across_a_heading_is_not_the_speaker(nlp):
    text = ("Storm Watch Live Updates (all times local)\n\nis urging residents to stay indoors, "
            "the governor said.")
    cue, source, content = _by_cue(_atts(nlp, text), "is urging")
    assert source is None
    assert content == ["residents to stay indoors"]


# --- headlines ----------------------------------------------------------------------------


def test_headline_labelled_with_a_common_noun(nlp):
    text = "Report: Mayor to seek third term\n\nThe mayor has not announced anything yet."
    cue, source, content = _by_cue(_atts(nlp, text), ":")
    assert source == "Report"
    assert content == ["Mayor to seek third term"]


def test_headline_content_without_its_full_stop(nlp):
    text = "Senator Lee: Budget Talks Have Stalled.\n\nThe talks resume Monday."
    cue, source, content = _by_cue(_atts(nlp, text), ":")
    assert source == "Senator Lee"
    assert content == ["Budget Talks Have Stalled"]


def test_correction_notice_is_no_headline_attribution(nlp):
    text = "Correction: An earlier version of this story misstated the date of the vote."
    assert not [a for a in _atts(nlp, text) if a[0] == ":"]
