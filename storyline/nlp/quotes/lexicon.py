"""Word lists: the verbs and nouns that cue attributions, and the speakers' words."""

from __future__ import annotations


#: verbs that report speech or writing: attributed with a quote or a clause
SPEECH_VERBS = frozenset("""
say tell add state announce claim warn argue insist note explain declare write tweet ask
reply respond answer acknowledge admit deny confirm report predict promise pledge vow
urge describe recall concede stress emphasize contend assert maintain allege complain comment
remark observe testify conclude caution threaten reveal disclose mention repeat reiterate
joke quip boast proclaim propose recommend demand counter retort dismiss accuse blame charge
lament estimate forecast cite assure advise concur specify clarify scoff muse
""".split())
#: verbs that cite words only when a quotation follows them ("called it “very good”",
#: "Caddell continued: “…”"), with verbs of the manner of speaking ("she elaborated",
#: "he shouted")
QUOTING_VERBS = frozenset("""
continue call label dub term read post point question
elaborate opine exclaim shout yell scream cry whisper mutter snap sneer crack mock lecture
chant preach sing tease rant gush marvel scold chide plead interject interrupt begin
""".split())
#: verbs of belief, perception and evidence: attributed only with a clausal complement
THOUGHT_VERBS = frozenset("""
think believe feel hope fear expect know doubt worry suspect assume guess reckon understand
realize agree show find learn hear indicate suggest wonder signal hint
""".split())
#: verbs of taking a position, attributed (in broad mode) with their object: chosen from
#: the verbs most often annotated as attribution cues in PolNeAR's training split
STANCE_VERBS = frozenset("""
seek criticize endorse praise express decline refuse slam reject blast prefer denounce tout
mock condemn echo applaud assail quote highlight portray oppose defend accuse blame urge
call talk refer discuss hope thank dismiss describe cite acknowledge deny propose pledge
promise vow question support want
""".split())
#: further verbs of evaluating, urging, recalling and referring, attributed (in broad mode)
#: with their object: verbs that PolNeAR's training split annotates as cues in at least half
#: of their uses outside quotations (counted on a third of that split, never on dev), kept
#: when they name an act of communication or a stance, plus a few of the same classes
#: from general knowledge (mention, speak, point, liken, compare, respond), and verbs of
#: intention with their infinitive ("plans to open", "agreed to pay", "intends to run")
STANCE_VERBS_MORE = frozenset("""
consider attack list view encourage remember advocate press decry challenge present remind
convince disavow imply congratulate chant bemoan order recite reference allude plead yell
pressure rail hail lash voice outline dispute mention speak point liken compare respond
plan agree intend aim
""".split())
STANCE_VERBS = STANCE_VERBS | STANCE_VERBS_MORE
#: cues whose speaker reports the words of another ("X told them “…”, a diplomat said")
REPORTING_VERBS = frozenset("say tell report write add claim".split())
#: nouns naming a statement whose owner is the speaker ("the Kremlin's readout")
STATEMENT_NOUNS = frozenset("""
readout statement communique communiqué release transcript account summary report memo letter
declaration announcement tweet post
""".split())
#: nouns for people who speak without being named
ANONYMOUS_HEADS = frozenset("""
official officials source sources people person diplomat diplomats aide aides insider
insiders officer officers adviser advisers advisor advisors staffer staffers spokesman
spokeswoman spokesperson analyst analysts expert experts member members lawmaker lawmakers
observer observers someone individual individuals negotiator negotiators envoy envoys
representative representatives minister ministers insider resident residents witness
witnesses
""".split())
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
PLURAL_PRONOUNS = frozenset({"they", "them"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
#: naming verbs whose object is part of what is quoted ("called it “very good”")
NAMING_VERBS = frozenset("call label dub term describe name brand".split())
#: nouns naming a claim, position or plan: cues when their holder is named by a possessive
#: ("his criticism of Trump", "Clinton's plan to raise taxes") or their content is a
#: "that"-clause ("the claim that …")
POSITION_NOUNS = frozenset("""
claim criticism attack view promise decision plan endorsement support concern question
statement comment argument proposal complaint opinion hope doubt message defense praise
warning assertion belief suggestion accusation charge pledge demand insistence announcement
remark denial threat vow call assessment prediction assurance allegation contention notion
fear worry insistence condemnation rejection opposition push appeal request recommendation
""".split())
#: nouns for surveys and studies, which "show" and "find" what they report
EVIDENCE_NOUNS = frozenset("""
poll polls survey surveys study studies report reports analysis research data result results
finding findings number numbers figure figures review audit investigation probe test
""".split())
#: verbs of expectation and appearance whose subject is raised out of what is expected or
#: what appears ("Trump is expected to win", "the objections seemed to carry little weight",
#: "it appears that …"): attributed (in broad mode) with no source
RAISING_VERBS = frozenset("expect seem appear".split())
