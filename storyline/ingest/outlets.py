"""A small lexicon of news outlets and wire services: canonical names, aliases, domains.

Used to recognise an outlet named in a title line ("Outlet - Title"), a site name, a URL
host, or (for comment threads only) the outlet readers refer to ("the Times", "NYT").
*Strong* aliases name one outlet unambiguously; *weak* aliases ("the Times", "the Post")
count only in a document that also names the outlet by a strong alias.
Extend it with :func:`register` (e.g. from a user file).
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache


@dataclasses.dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


# name | strong aliases (;) | weak aliases (;) | domains (;)
_TABLE = """
The New York Times|New York Times;NYT;N.Y. Times;NYTimes|the Times;The Times|nytimes.com
The Wall Street Journal|Wall Street Journal;WSJ|the Journal|wsj.com
The Washington Post|Washington Post;WaPo|the Post|washingtonpost.com
Los Angeles Times|LA Times;L.A. Times|the Times|latimes.com
USA Today|USA TODAY||usatoday.com
The Boston Globe|Boston Globe|the Globe|bostonglobe.com
Chicago Tribune|||chicagotribune.com
Associated Press|AP;The Associated Press|the AP|apnews.com
Reuters|Thomson Reuters||reuters.com
Agence France-Presse|AFP;Agence France Presse||afp.com
Bloomberg|Bloomberg News||bloomberg.com
Financial Times|FT;The Financial Times||ft.com
The Economist|Economist||economist.com
The Guardian|Guardian|the Guardian|theguardian.com
The Times (London)|The Times of London|the Times|thetimes.co.uk
The Daily Telegraph|The Telegraph;Daily Telegraph||telegraph.co.uk
The Independent|||independent.co.uk
BBC|BBC News;British Broadcasting Corporation||bbc.com;bbc.co.uk
CNN|Cable News Network||cnn.com
NBC News|NBC||nbcnews.com
CBS News|CBS||cbsnews.com
ABC News|ABC||abcnews.go.com
Fox News|Fox;Fox News Channel||foxnews.com
NPR|National Public Radio||npr.org
Politico|POLITICO||politico.com;politico.eu
Axios|||axios.com
The Hill|||thehill.com
The Atlantic|||theatlantic.com
The New Yorker|New Yorker||newyorker.com
Foreign Policy|||foreignpolicy.com
Foreign Affairs|||foreignaffairs.com
Lawfare|Lawfare Blog||lawfareblog.com;lawfaremedia.org
Al-Monitor|Al Monitor||al-monitor.com
Al Jazeera|Al-Jazeera;Aljazeera||aljazeera.com;aljazeera.net
Al Arabiya|Al-Arabiya||alarabiya.net
Haaretz|||haaretz.com
The Times of Israel|Times of Israel||timesofisrael.com
The Jerusalem Post|Jerusalem Post||jpost.com
Anadolu Agency|Anadolu;AA||aa.com.tr
Daily Sabah|||dailysabah.com
Hurriyet Daily News|Hürriyet Daily News||hurriyetdailynews.com
TASS|ITAR-TASS||tass.com;tass.ru
RIA Novosti|RIA||ria.ru
Interfax|||interfax.ru;interfax.com
Sputnik|Sputnik News||sputniknews.com
RT|Russia Today||rt.com
Kommersant|||kommersant.ru
The Moscow Times|Moscow Times||themoscowtimes.com
Meduza|||meduza.io
Xinhua|Xinhua News Agency||xinhuanet.com
Global Times|||globaltimes.cn
South China Morning Post|SCMP||scmp.com
Yonhap|Yonhap News Agency||yna.co.kr
KCNA|Korean Central News Agency||kcna.kp
The Korea Herald|Korea Herald||koreaherald.com
The Straits Times|Straits Times||straitstimes.com
Channel NewsAsia|CNA||channelnewsasia.com
NHK|NHK World||nhk.or.jp
Kyodo News|Kyodo||kyodonews.net
The Japan Times|Japan Times||japantimes.co.jp
IRNA|Islamic Republic News Agency||irna.ir
Press TV|PressTV||presstv.ir
Tasnim News Agency|Tasnim||tasnimnews.com
Fars News Agency|Fars||farsnews.ir
Tehran Times|||tehrantimes.com
Deutsche Welle|DW||dw.com
Der Spiegel|Spiegel;Spiegel Online||spiegel.de
Le Monde|||lemonde.fr
France 24|France24||france24.com
El País|El Pais||elpais.com
Euronews|||euronews.com
Daily Caller|The Daily Caller||dailycaller.com
The Daily Caller News Foundation|Daily Caller News Foundation||
Breitbart|Breitbart News||breitbart.com
The Intercept|Intercept||theintercept.com
Vox|||vox.com
HuffPost|Huffington Post;The Huffington Post||huffpost.com
BuzzFeed News|BuzzFeed||buzzfeednews.com
Newsweek|||newsweek.com
Time|TIME magazine||time.com
Business Insider|Insider||businessinsider.com
The Daily Beast|Daily Beast||thedailybeast.com
Radio Free Europe/Radio Liberty|RFE/RL;Radio Liberty||rferl.org
Voice of America|VOA||voanews.com
Kyiv Independent|||kyivindependent.com
"""

#: words that mark a name as an outlet's ("… Times", "… News") when it is not in the table
OUTLET_WORDS = frozenset(
    "times post journal news herald tribune guardian telegraph gazette daily review monitor "
    "observer press agency radio tv television network magazine report wire chronicle "
    "express independent mail star sun economist insider today weekly standard examiner "
    "dispatch courier inquirer register bulletin globe record sentinel mirror pundit "
    "caller beacon blaze media channel broadcasting service foundation ledger digest watch "
    "week voice messenger leader enquirer advocate citizen mercury republic reporter "
    "spectator tidings online wire tribune bulletin informer gazette.com".split())

_EXTRA: list[Outlet] = []


def _parse(table: str) -> list[Outlet]:
    out = []
    for row in table.strip().splitlines():
        name, strong, weak, domains = (row.split("|") + ["", "", ""])[:4]
        split = lambda s: tuple(x.strip() for x in s.split(";") if x.strip())  # noqa: E731
        out.append(Outlet(name=name.strip(), aliases=split(strong), weak=split(weak),
                          domains=split(domains)))
    return out


def register(outlet: Outlet) -> None:
    """Add an outlet to the lexicon (for the rest of the process)."""
    _EXTRA.append(outlet)
    _index.cache_clear()
    _mention_patterns.cache_clear()


def all_outlets() -> list[Outlet]:
    return _parse(_TABLE) + _EXTRA


def _key(text: str) -> str:
    text = re.sub(r"[\u2019']", "'", text).strip().lower()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[^\w'/&+-]+", " ", text).strip()


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Outlet], dict[str, Outlet]]:
    names: dict[str, Outlet] = {}
    domains: dict[str, Outlet] = {}
    for outlet in all_outlets():
        for alias in (outlet.name, *outlet.aliases):
            names.setdefault(_key(alias), outlet)
        for domain in outlet.domains:
            domains[domain.lower()] = outlet
    return names, domains


def lookup(name: str) -> Outlet | None:
    """The outlet called ``name`` (canonical name or strong alias), if known."""
    if not name:
        return None
    return _index()[0].get(_key(name))


def by_host(host: str) -> Outlet | None:
    """The outlet of a URL host (``www.nytimes.com`` → The New York Times), if known."""
    host = host.lower().strip(".")
    domains = _index()[1]
    parts = host.split(".")
    for k in range(len(parts) - 1):
        hit = domains.get(".".join(parts[k:]))
        if hit:
            return hit
    return None


def looks_like_outlet(name: str) -> bool:
    """A known outlet, a domain, or a short capitalised name ending in an outlet word."""
    name = name.strip()
    if lookup(name):
        return True
    if re.fullmatch(r"[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co\.uk|ru|de|fr|io|info|news)", name,
                    re.IGNORECASE):
        return True
    toks = name.split()
    if not 1 <= len(toks) <= 6 or not all(t[:1].isupper() or t.lower() in ("of", "the", "and", "&")
                                          for t in toks):
        return False
    return toks[-1].lower().strip(".,") in OUTLET_WORDS


def mentions(text: str) -> dict[str, tuple[int, int]]:
    """Outlets referred to in ``text``: canonical name -> (strong hits, weak hits).

    One pass over the text with two combined patterns (case-sensitive for abbreviations and
    weak aliases, case-insensitive for full names), so it stays linear in the text length.
    """
    exact, folded, table = _mention_patterns()
    counts: dict[str, list[int]] = {}
    taken: set[int] = set()
    for pattern, fold in ((folded, True), (exact, False)):
        for m in pattern.finditer(text):
            if m.start() in taken:
                continue
            if fold:
                taken.update(range(m.start(), m.end()))
            key = _mention_key(m.group(), fold)
            hit = table.get((key, fold))
            if hit is None:
                continue
            name, weak = hit
            counts.setdefault(name, [0, 0])[1 if weak else 0] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _mention_key(text: str, fold: bool) -> str:
    text = " ".join(text.split())
    return text.lower() if fold else text


@lru_cache(maxsize=1)
def _mention_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[tuple[str, bool], tuple[str, bool]]]:
    exact: list[str] = []
    folded: list[str] = []
    table: dict[tuple[str, bool], tuple[str, bool]] = {}
    for outlet in all_outlets():
        for alias, weak in [(a, False) for a in (outlet.name, *outlet.aliases)] + \
                           [(a, True) for a in outlet.weak]:
            if len(alias) <= 2 and not alias.isupper():
                continue
            fold = not weak and not alias.isupper() and len(alias) > 4
            forms = [alias]
            if alias.lower().startswith("the "):
                forms = [alias, "the " + alias[4:], "The " + alias[4:]]
                if not weak:
                    forms.append(alias[4:])
            for form in forms:
                key = _mention_key(form, fold)
                table.setdefault((key, fold), (outlet.name, weak))
                (folded if fold else exact).append(form)
    def compile_(forms: list[str], flags: int) -> re.Pattern[str]:
        body = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(set(forms), key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)
    return compile_(exact, 0), compile_(folded, re.IGNORECASE), table
