"""`mxwatch analyze`: one page, stdin, plain text, and JSONL batches that keep order and ids."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

EN_TEXT = ("Nubexa Systems to open Monterrey engineering hub\n\n"
           "Nubexa Systems, a Seattle software company, said on Monday it will open an engineering hub in "
           "Monterrey, Nuevo León, and hire 350 engineers over the next two years.")
ES_BODY = ("La empresa estadounidense de software Quantiva Labs abrirá un centro de desarrollo en la ciudad de "
           "Querétaro, donde contratará a cerca de 400 ingenieros durante 2025, informó la Secretaría de "
           "Desarrollo Sustentable del estado.\n\n"
           "El centro trabajará en plataformas de nube e inteligencia artificial para clientes de Estados Unidos "
           "y será la primera operación de la compañía en México. Quantiva Labs invertirá 35 millones de dólares "
           "en la nueva sede, ubicada en el parque tecnológico de la capital del estado.")
ES_TEXT = "Quantiva Labs abrirá un centro de desarrollo en Querétaro\n\n" + ES_BODY
NEGATIVE = ("Storm floods Veracruz streets\n\nHeavy rain flooded streets in the port of Veracruz on Monday, "
            "and the civil protection office opened two shelters for families from low-lying neighbourhoods.")


def test_analyze_html_file_from_the_demo_site(cli, demo_site, tmp_path: Path) -> None:
    record = next(r for r in demo_site.public_articles() if r["gold"]["relevant"] and r["lang"] == "en")
    page = tmp_path / "page.html"
    page.write_bytes(urllib.request.urlopen(demo_site.article_url(record)).read())
    result = cli("analyze", str(page))
    assert result.code == 0, result.stderr
    obj = json.loads(result.stdout)
    assert set(obj) >= {"url", "title", "published", "authors", "lang", "text", "relevant", "relevance",
                        "companies", "cities", "states", "job_counts"}
    assert obj["title"] == record["title"] and obj["lang"] == "en" and obj["relevant"] is True
    assert obj["url"] == demo_site.article_url(record)  # from the page's rel=canonical
    assert set(record["gold"]["companies"]) & {c["name"] for c in obj["companies"]}
    assert "cookie" not in obj["text"].lower()  # the banner is clutter, not text


def test_analyze_text_from_stdin_with_hints(cli) -> None:
    result = cli("analyze", "--text", "--url", "https://news.example/nubexa", "--published", "2025-02-03", "-",
                 stdin=EN_TEXT)
    assert result.code == 0, result.stderr
    obj = json.loads(result.stdout)
    assert obj["url"] == "https://news.example/nubexa" and obj["published"].startswith("2025-02-03")
    assert obj["title"] == "Nubexa Systems to open Monterrey engineering hub"
    jobs = obj["job_counts"]
    assert [(j["value"], j["unit"], j["company"], j["city"]) for j in jobs] == [
        (350, "engineers", "Nubexa Systems", "Monterrey")]


def test_analyze_jsonl_keeps_order_and_ids(cli, tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in ES_BODY.split("\n\n"))
    html = ("<html lang='es'><head><title>Quantiva en Querétaro | Diario</title></head><body><nav>Inicio | "
            "Economía | Deportes</nav><article><h1>Quantiva Labs abrirá un centro de desarrollo en Querétaro</h1>"
            f"{paragraphs}</article><aside>Lo más leído: Rayados gana el clásico</aside></body></html>")
    lines = [
        {"id": "b-2", "text": ES_TEXT},
        {"id": 7, "text": NEGATIVE, "url": "https://news.example/storm"},
        {"id": "a-1", "html": html, "url": "https://news.example/quantiva"},
        {"id": "z", "text": EN_TEXT, "title": "Hint title", "published": "2025-01-01"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    result = cli("analyze", "--jsonl", str(path))
    assert result.code == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["b-2", 7, "a-1", "z"]
    assert [o["lang"] for o in out] == ["es", "en", "es", "en"]
    assert [o["relevant"] for o in out] == [True, False, True, True]
    assert out[1]["url"] == "https://news.example/storm"
    assert out[0]["cities"][0]["name"] == "Querétaro"


def test_analyze_jsonl_bad_lines_are_reported_and_the_rest_analysed(cli, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": 1, "text": EN_TEXT}) + "\n{not json\n" + json.dumps({"id": 3}) + "\n"
                    + json.dumps({"id": 4, "text": NEGATIVE}) + "\n", encoding="utf-8")
    result = cli("analyze", "--jsonl", str(path))
    assert result.code == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, None, 3, 4]
    assert "error" in out[1] and "line 2" in out[1]["error"] and "error" in out[2]
    assert out[0]["relevant"] is True and out[3]["relevant"] is False
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines == ['mxwatch: error: 2 of 4 lines could not be analysed (see their "error" fields)']


def test_analyze_rejects_non_html(cli, tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    result = cli("analyze", str(path))
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
