"""The briefing rendered: self-contained HTML (offline charts and map) and Markdown."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from typing import Any

import jinja2

from . import assets, charts


def environment(extra_loaders: list[jinja2.BaseLoader] = ()) -> jinja2.Environment:
    """Jinja2 with autoescaping on for every template, whatever its file name."""
    loader = jinja2.ChoiceLoader([*extra_loaders, jinja2.FileSystemLoader(str(assets.TEMPLATES))])
    env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.ChainableUndefined)
    return env


def tip(ref: dict[str, Any] | None) -> str:
    """Hover text of a source link: the exact sentence and where it is."""
    if not ref:
        return ""
    return (f"“{ref['text']}” — {ref.get('outlet', '')}, document {ref['doc_id']}, "
            f"characters {ref['start']}–{ref['end']}")


def file_link(ref: dict[str, Any] | None) -> str:
    return f"#{ref['id']}" if ref and ref.get("id") else ""


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def render_html(brief: dict[str, Any]) -> str:
    """``brief.html``: one file with its styles, plotly.js, the world outline and the data;
    a Content-Security-Policy allows only its own three scripts and no network at all."""
    env = environment()
    scripts = {"geo_js": assets.geo_assets_js(), "plotly_js": assets.plotly_js(),
               "charts_js": assets.charts_js()}
    csp = ("default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; font-src data:; "
           f"script-src {' '.join(_sha256(s) for s in scripts.values())}; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    figs = charts.figures(brief, file_link)
    return env.get_template("brief.html.j2").render(
        b=brief, figs=figs, link=file_link, tip=tip, css=assets.css(), csp=csp,
        show_refs=True, actor_link=None, doc_link=None, **scripts)


def render_body(brief: dict[str, Any], env: jinja2.Environment,
                link: Callable[[dict[str, Any] | None], str], **context: Any) -> str:
    """The briefing's content alone (the web app's story page embeds it)."""
    figs = charts.figures(brief, link)
    return env.get_template("_brief_body.html.j2").render(b=brief, figs=figs, link=link, tip=tip,
                                                          show_refs=False, **context)


# --- Markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: Any) -> str:
    """Untrusted text for Markdown: no HTML, no links, no emphasis can come out of it."""
    value = str(text if text is not None else "")
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    value = re.sub(r"\s+", " ", value).strip()
    value = re.sub(r"^([#+\-])", r"\\\1", value)
    # CommonMark escapes only punctuation: "1\." stays a number, "\1." would show the backslash
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", value)


def _fn(ref: dict[str, Any] | None) -> str:
    return f"[^{ref['id']}]" if ref else ""


def render_markdown(brief: dict[str, Any]) -> str:
    """``brief.md``: the same content; source sentences as footnotes."""
    out = [f"# {md(brief['title'])}", ""]
    period = brief.get("period") or {}
    out.append(f"_{brief['counts']['documents']} document(s), {brief['counts']['outlets']} "
               f"outlet(s), {brief['counts']['events']} event(s)"
               + (f", {period['first']} – {period['last']}" if period.get("first") else "")
               + f"; generated {brief['generated']}_")
    out += ["", " ".join(f"{md(h['text'])} {md(h['citation_text'])}{_fn(h['ref'])}"
                         for h in brief["headline"]) or "_No statement matches these filters._", ""]
    for s in brief["sections"]:
        out += [f"## {md(s['title'])}", ""]
        for u in s["bullets"]:
            mod = f" [{md(u['modality'])}]" if u.get("modality") not in (None, "happened") else ""
            out.append(f"- **[{u['badge']}]**{mod} {md(u['text'])} {md(u['citation_text'])}"
                       f"{_fn(u['ref'])}")
        out.append("")
    out += _md_disputed(brief) + _md_quotes(brief) + _md_reaction(brief) + _md_timeline(brief)
    out += _md_sources(brief)
    out += ["## Source sentences", ""]
    for r in brief["refs"]:
        out.append(f"[^{r['id']}]: “{md(r['text'])}” — {md(r['outlet'])}, document "
                   f"`{r['doc_id']}`, characters {r['start']}–{r['end']}")
    return "\n".join(out).rstrip() + "\n"


def _md_disputed(brief: dict[str, Any]) -> list[str]:
    out = ["## Disputed", ""]
    for c in brief["disputed"]:
        out.append(f"- **{md(c.get('topic') or 'Conflicting accounts')}**")
        for side in c["sides"]:
            cite = f" ({md(side['cite']['text'])})" if side.get("cite") else ""
            out.append(f"  - {md(side['source'])}: {md(side['text'])}{cite}{_fn(side.get('ref'))}")
    if not brief["disputed"]:
        out.append("_No contradiction found between sources._")
    return out + [""]


def _md_quotes(brief: dict[str, Any]) -> list[str]:
    out = ["## Who said what", ""]
    for g in brief["quotes"]:
        out.append(f"- **{md(g['speaker'])}**")
        for q in g["quotes"]:
            text = f"“{md(q['text'])}”" if q.get("kind") == "direct" else md(q["text"])
            out.append(f"  - {text} ({md(q['cite_text'])}){_fn(q.get('ref'))}")
    if not brief["quotes"]:
        out.append("_No attributed quotation found._")
    return out + [""]


def _md_reaction(brief: dict[str, Any]) -> list[str]:
    out = ["## Public reaction", ""]
    for t in brief["reaction"]:
        out.append(f"**{md(t['title'])}** (comments on {md(t['outlet'])}; readers' opinions, "
                   "not established facts)")
        for n in t["narratives"]:
            share = round((n.get("share") or 0) * 100)
            out.append(f"- {md(n['label'])} — {share}% of comments")
            for ex in n["examples"]:
                out.append(f"  > {md((ex.get('text') or '')[:280])}")
        out.append("")
    if not brief["reaction"]:
        out += ["_No comment thread in this briefing._", ""]
    return out


def _md_timeline(brief: dict[str, Any]) -> list[str]:
    out = ["## Timeline", "", "| Date (precision) | Event | Who | Where | Source |",
           "|---|---|---|---|---|"]
    for t in brief["timeline"]:
        mod = "" if t["modality"] == "happened" else f" ({md(t['modality'])})"
        out.append(f"| {md(t['date_label'])} ({t['precision']}) | {md(t['type'])}{mod} "
                   f"| {md(t['actors'])} | {md(t.get('place') or '')} | {md(t['cite'])}"
                   f"{_fn(t.get('ref'))} |")
    return out + [""]


def _md_sources(brief: dict[str, Any]) -> list[str]:
    out = ["## Sources", "", "| Outlet | Kind | Original or derivative | Cited | Documents |",
           "|---|---|---|---|---|"]
    for r in brief["sources"]:
        docs = "; ".join(md(d["title"]) for d in r["documents"])
        out.append(f"| {md(r['outlet'])} | {md(r['kind'])} | {md(r['status'])} | "
                   f"{md('; '.join(r['cited']))} | {docs} |")
    return out + [""]
