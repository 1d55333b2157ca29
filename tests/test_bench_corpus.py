"""bench.corpus: generator determinism and the user-file readers, good and bad files."""

from __future__ import annotations

import json
import statistics

import pytest

from bench.corpus import corpus_texts, email, generate, load_corpus
from calculator.errors import InputError


def test_generator_is_deterministic_and_prefix_stable():
    assert generate(20, seed=3) == generate(20, seed=3)
    assert generate(20, seed=3)[:7] == generate(7, seed=3)
    assert generate(5, seed=3) != generate(5, seed=4)
    assert len(set(generate(200))) == 200  # no duplicate texts


def test_generated_texts_look_like_emails():
    text = email(0, 0)
    assert text.startswith("Subject: ")
    assert "\n\nHi " in text


def test_generated_length_distribution_is_skewed():
    # a log-normal body length: mean above median, a long tail (p95 ≫ median)
    words = [len(t.split()) for t in generate(500)]
    assert statistics.mean(words) > statistics.median(words)
    assert sorted(words)[int(0.95 * len(words))] > 2 * statistics.median(words)
    assert min(words) >= 8


def test_generate_rejects_zero_items():
    with pytest.raises(InputError, match="at least 1"):
        generate(0)


def test_txt_one_text_per_line(tmp_path):
    p = tmp_path / "mails.txt"
    p.write_text("first mail\n\n  second mail  \nthird\n", encoding="utf-8")
    assert load_corpus(p).texts == ("first mail", "second mail", "third")


def test_txt_with_bom(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes("\ufeffhello\nworld\n".encode())
    assert load_corpus(p).texts == ("hello", "world")


def test_csv_text_column_by_default_and_named_column(tmp_path):
    p = tmp_path / "mails.csv"
    p.write_text(
        'id,text,subject\n1,"hello, world",greeting\n2,"line one\nline two",multi\n3,,empty\n',
        encoding="utf-8",
    )
    assert load_corpus(p).texts == ("hello, world", "line one\nline two")
    assert load_corpus(p, "subject").texts == ("greeting", "multi", "empty")


def test_csv_single_column_needs_no_name(tmp_path):
    p = tmp_path / "one.csv"
    p.write_text("body\nalpha\nbeta\n", encoding="utf-8")
    assert load_corpus(p).texts == ("alpha", "beta")


def test_jsonl_field(tmp_path):
    p = tmp_path / "mails.jsonl"
    p.write_text(
        "\n".join(json.dumps(o) for o in [{"text": "a"}, {"text": "b", "x": 1}]) + "\n\n",
        encoding="utf-8",
    )
    assert load_corpus(p).texts == ("a", "b")
    q = tmp_path / "body.jsonl"
    q.write_text(json.dumps({"body": "only"}) + "\n", encoding="utf-8")
    assert load_corpus(q, "body").texts == ("only",)


@pytest.mark.parametrize(
    ("name", "content", "field", "message"),
    [
        ("empty.txt", b"", None, "holds no texts"),
        ("blank.txt", b"\n  \n\t\n", None, "holds no texts"),
        ("latin1.txt", "caf\xe9\n".encode("latin-1"), None, "not UTF-8"),
        ("cols.csv", b"a,b\n1,2\n", None, "several columns"),
        ("cols.csv", b"a,b\n1,2\n", "text", "no column 'text'"),
        ("empty.csv", b"", None, "holds no texts"),
        ("bad.jsonl", b'{"text": "ok"}\n{not json}\n', None, "line 2 is not valid JSON"),
        ("nofield.jsonl", b'{"body": "x"}\n', None, "line 1 has no field 'text'"),
        ("list.jsonl", b'["x"]\n', None, "not a JSON object"),
        ("number.jsonl", b'{"text": 5}\n', None, "not a string"),
        ("mails.pdf", b"%PDF", None, "must end in .txt, .csv or .jsonl"),
    ],
)
def test_bad_files_give_one_clear_sentence(tmp_path, name, content, field, message):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_corpus(p, field)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_corpus(tmp_path / "absent.txt")
    d = tmp_path / "dir.txt"
    d.mkdir()
    with pytest.raises(InputError, match="directory"):
        load_corpus(d)


def test_corpus_texts_cycles_short_user_corpora(tmp_path):
    p = tmp_path / "two.txt"
    p.write_text("a\nb\n", encoding="utf-8")
    texts, source = corpus_texts(5, str(p))
    assert texts == ["a", "b", "a", "b", "a"]
    assert "cycled: 2 unique texts" in source
    generated, source = corpus_texts(3)
    assert generated == generate(3)
    assert "generated" in source
