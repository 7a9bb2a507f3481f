"""Bad input (issue 2, issue 10): each bad file or URL gives one clear one-line skip, the
rest of the batch goes on, memory stays bounded; extraction runs in a killable worker."""

from __future__ import annotations

import gzip
import http.server
import io
import os
import signal
import threading
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from storyline.errors import ExtractionTimeout, InputError, InputTooLarge, StageError
from storyline.ingest.formats import decode
from storyline.ingest.sources import _guarded, expand, iter_inputs
from storyline.ingest.types import RawInput, Skip
from storyline.ingest.worker import run_with_timeout
from storyline.settings import load

GOOD = ("Foreign ministers met in Geneva on Thursday and agreed to extend the ceasefire "
        "for another month, according to a joint statement.\n")
RUSSIAN = "Министры иностранных дел встретились в Женеве и договорились продлить перемирие.\n"
FRENCH = "Les ministres se sont réunis à Genève et ont prolongé la trêve d’un mois.\n"


def png_bytes() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\xff\x00" * 2)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def deep_html(depth: int) -> str:
    return ("<html><body>" + "<div>" * depth + "<p>Deep in the page the ministers agreed.</p>"
            + "</div>" * depth + "</body></html>")


def make_batch(folder: Path) -> dict[str, bytes]:
    """A folder mixing good and bad inputs (names sort in the order listed)."""
    files = {
        "a_good.txt": GOOD.encode(),
        "b_empty.txt": b"",
        "c_blank.txt": b"  \n\t\r\n  ",
        "d_photo.png": png_bytes(),
        "e_report.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n",
        "f_letter.docx": zip_bytes(),
        "g_image_named.txt": png_bytes(),
        "h_cp1251.txt": RUSSIAN.encode("cp1251"),
        "i_latin1.txt": FRENCH.replace("’", "'").encode("latin-1"),
        "j_utf16.txt": b"\xff\xfe" + FRENCH.encode("utf-16-le"),
        "k_mixed.txt": FRENCH.encode("utf-8") + GOOD.replace("month", "month’s").encode("cp1252"),
        "l_nul.txt": GOOD.encode().replace(b" ", b" \x00", 3),
        "m_truncated.txt.gz": gzip.compress(GOOD.encode() * 50)[:-30],
        "n_bomb.txt.gz": gzip.compress(b"\0" * 60_000_000, compresslevel=9),
        "o_deep.html": deep_html(300).encode(),
        "p_really_json.html": b'{"title": "Ceasefire", "text": "Ministers agreed."}\n',
        "q_really_html.pdf": b"<!doctype html><html><body><p>Ministers agreed.</p></body></html>",
        "r_deep.json": b"[" * 100_000 + b"]" * 100_000,
        "s_garbage.bin": bytes(range(32)) * 64,
        "z_good.md": ("# Geneva\n\n" + GOOD).encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with open(folder / "t_huge.txt", "wb") as handle:  # 50 MiB, sparse: nothing is written
        handle.truncate(50 * 1024 * 1024)
    return files


@pytest.fixture()
def settings():
    return load(env={})


def test_bad_batch_skips_each_bad_input_with_one_clear_line_and_goes_on(tmp_path, settings):
    make_batch(tmp_path)
    items = list(iter_inputs([tmp_path], settings))
    outcome = {Path(i.source_key if isinstance(i, RawInput) else i.source).name.split("#")[0]:
               i for i in items}
    skipped = {name: s.reason for name, s in outcome.items() if isinstance(s, Skip)}
    read = {name: r for name, r in outcome.items() if isinstance(r, RawInput)}

    assert skipped == {
        "b_empty.txt": "empty file",
        "c_blank.txt": "empty (only whitespace)",
        "d_photo.png": "binary file (looks like PNG image)",
        "e_report.pdf": "binary file (looks like PDF)",
        "f_letter.docx": "binary file (looks like ZIP archive (or DOCX/XLSX/EPUB))",
        "g_image_named.txt": "binary file (looks like PNG image)",
        "m_truncated.txt.gz": skipped["m_truncated.txt.gz"],
        "n_bomb.txt.gz": "gzip decompresses to more than 50,000,000 bytes (decompression bomb?; "
                         "ingest.max_bytes)",
        "r_deep.json": "nested too deeply to read",
        "s_garbage.bin": "binary file (looks like unrecognised binary content)",
        "t_huge.txt": "too large: 52,428,800 bytes (limit 50,000,000; ingest.max_bytes)",
    }
    assert skipped["m_truncated.txt.gz"].startswith("truncated gzip: the compressed data ends")
    assert all("\n" not in reason and len(reason) < 200 for reason in skipped.values())
    assert {s.error for s in items if isinstance(s, Skip)} == {"UnsupportedInput", "InputTooLarge"}

    assert sorted(read) == ["a_good.txt", "h_cp1251.txt", "i_latin1.txt", "j_utf16.txt",
                            "k_mixed.txt", "l_nul.txt", "o_deep.html", "p_really_json.html",
                            "q_really_html.pdf", "z_good.md"]
    assert decode(read["h_cp1251.txt"].data)[0] == RUSSIAN
    assert decode(read["i_latin1.txt"].data)[0] == FRENCH.replace("’", "'")
    assert decode(read["j_utf16.txt"].data)[0] == FRENCH
    assert decode(read["k_mixed.txt"].data)[0] == FRENCH + GOOD.replace("month", "month’s")
    assert decode(read["l_nul.txt"].data)[0] == GOOD
    assert read["o_deep.html"].format == "html"
    assert read["o_deep.html"].data == deep_html(300).encode()
    assert read["p_really_json.html"].format == "json-record"
    assert read["p_really_json.html"].hints["title"] == "Ceasefire"
    assert read["q_really_html.pdf"].format == "html"
    assert read["z_good.md"].format == "markdown"


def test_oversized_file_is_refused_before_reading(tmp_path, settings):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    try:
        items = list(iter_inputs([huge], settings))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(items) == 1 and "too large" in items[0].reason
    assert peak < 1_000_000  # the 50 MB were never read into memory


def test_gzip_bomb_memory_is_bounded_by_the_limit(tmp_path, settings):
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(b"\0" * 20_000_000, compresslevel=9))
    small = settings.replace(**{"ingest.max_bytes": 1_000_000})
    tracemalloc.start()
    try:
        items = list(iter_inputs([bomb], small))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert items[0].error == "InputTooLarge" and "decompression bomb" in items[0].reason
    assert peak < 5_000_000


def test_truncated_gzip_variants(tmp_path, settings):
    whole = gzip.compress(GOOD.encode() * 20)
    (tmp_path / "a.gz").write_bytes(whole[:12])
    (tmp_path / "b.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "c.gz").write_bytes(whole[:-4])  # only the length trailer is missing
    (tmp_path / "d.gz").write_bytes(whole[:20] + b"\xff" * 40 + whole[60:])
    (tmp_path / "e.gz").write_bytes(whole + gzip.compress(b" And more."))  # two members: fine
    items = list(iter_inputs([tmp_path], settings))
    reasons = [getattr(i, "reason", "read") for i in items]
    assert all(r.startswith(("truncated gzip", "corrupt gzip")) for r in reasons[:4]), reasons
    assert isinstance(items[4], RawInput) and items[4].data == GOOD.encode() * 20 + b" And more."


def test_fifo_is_not_read(tmp_path, settings):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "ok.txt").write_text(GOOD)
    assert [type(i).__name__ for i in iter_inputs([tmp_path], settings)] == ["RawInput"]
    items = list(iter_inputs([fifo], settings))
    assert items[0].reason == "not a regular file"


# --- URLs that hang or are huge, in a batch with files --------------------------------------

RELEASE = threading.Event()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/hang":
            RELEASE.wait(10)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for _ in range(1000):
                self.wfile.write(b"words " * 5000)
        except OSError:
            pass


@pytest.fixture()
def server():
    RELEASE.clear()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    srv.block_on_close = False
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    RELEASE.set()
    srv.shutdown()
    srv.server_close()


def test_hanging_and_huge_urls_are_skipped_and_the_batch_goes_on(tmp_path, server, settings):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text(FRENCH)
    net = settings.replace(**{"ingest.allow_private": True, "ingest.fetch_timeout_s": 0.5,
                              "ingest.max_fetch_bytes": 100_000})
    items = list(iter_inputs([tmp_path / "a.txt", f"{server}/hang", f"{server}/huge",
                              tmp_path / "b.txt"], net))
    assert [type(i).__name__ for i in items] == ["RawInput", "Skip", "Skip", "RawInput"]
    assert items[1].error == "FetchError" and items[1].reason.startswith("timed out after 0.5 s")
    assert items[2].error == "InputTooLarge"
    assert items[2].reason == "response too large: more than 100,000 bytes"


# --- the killable extraction worker ---------------------------------------------------------


def _spin() -> None:
    while True:
        pass


def _swallowing_spin() -> str:
    """Like a parser that catches every exception: the alarm must still win."""
    for _ in range(10):
        try:
            while True:
                pass
        except Exception:  # noqa: BLE001
            continue
    return "partial"


def test_worker_returns_results_and_reraises_errors():
    assert run_with_timeout(str.upper, "ceasefire", timeout_s=5) == "CEASEFIRE"
    assert run_with_timeout(str.upper, "small", timeout_s=5, input_size=5) == "SMALL"
    with pytest.raises(ValueError, match="bad markup"):
        run_with_timeout(_raise, ValueError("bad markup"), timeout_s=5)
    with pytest.raises(StageError, match="stage said no"):
        run_with_timeout(_raise, StageError("stage said no"), timeout_s=5)


def _raise(exc: Exception) -> None:
    raise exc


def test_hanging_extraction_is_killed():
    with pytest.raises(ExtractionTimeout, match="longer than 0.3 s"):
        run_with_timeout(_spin, timeout_s=0.3)


def test_in_process_fast_path_still_times_out():
    with pytest.raises(ExtractionTimeout):
        run_with_timeout(_spin, timeout_s=0.2, input_size=100)
    with pytest.raises(ExtractionTimeout):
        run_with_timeout(_swallowing_spin, timeout_s=0.2, input_size=100)


def test_memory_hungry_extraction_is_stopped():
    with pytest.raises(InputTooLarge, match="memory"):
        run_with_timeout(bytearray, 400_000_000, timeout_s=10, max_memory_bytes=100_000_000)
    assert len(run_with_timeout(bytearray, 1_000_000, timeout_s=10,
                                max_memory_bytes=100_000_000)) == 1_000_000


def test_resident_worker_is_reused_and_replaced_after_a_timeout():
    first = run_with_timeout(os.getpid, timeout_s=5)
    assert first != os.getpid()
    assert run_with_timeout(os.getpid, timeout_s=5) == first
    with pytest.raises(ExtractionTimeout):
        run_with_timeout(_spin, timeout_s=0.3)
    assert run_with_timeout(os.getpid, timeout_s=5) not in (first, os.getpid())


def test_unpicklable_calls_run_in_a_one_shot_child():
    parent = os.getpid()
    assert run_with_timeout(lambda: os.getpid() != parent, timeout_s=5) is True
    with pytest.raises(InputError, match="SystemExit"):
        run_with_timeout(_exit, timeout_s=5)


def _exit() -> None:
    raise SystemExit(3)


def _segfault() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def test_crashing_extraction_is_reported():
    with pytest.raises(InputError, match="worker died .*SIGSEGV"):
        run_with_timeout(lambda: os.kill(os.getpid(), signal.SIGSEGV), timeout_s=5)
    with pytest.raises(InputError, match="worker died .*SIGSEGV"):
        run_with_timeout(_segfault, timeout_s=5)  # in the resident worker
    assert run_with_timeout(str.title, "geneva", timeout_s=5) == "Geneva"


# --- property: no byte string crashes the reader --------------------------------------------

_PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x1f\x8b\x08\x00", b"{", b"[",
             b"<?xml version='1.0'?><rss><channel><item><description>", b"<html><body>",
             b'{"text": ', b"%PDF-"]


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(_PREFIXES), body=st.binary(max_size=600),
       name=st.sampled_from(["a.txt", "a.html", "a.json", "a.jsonl", "a.rss", "a.md", "a.gz", "a"]))
def test_any_bytes_give_documents_or_skips_never_a_crash(prefix, body, name):
    settings = load(env={})
    data = prefix + body
    items = list(_guarded("fuzz", lambda: expand(data, source="fuzz", key="fuzz", name=name,
                                                 settings=settings)))
    assert items, "every input gives at least one document or skip"
    for item in items:
        assert isinstance(item, (RawInput, Skip))
        if isinstance(item, Skip):
            assert not item.reason.startswith("unexpected"), item.reason
            assert "\n" not in item.reason
        else:
            assert item.data and item.format in ("html", "text", "markdown", "json-record",
                                                 "feed-item")
            assert isinstance(decode(item.data)[0], str)
