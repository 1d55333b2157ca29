"""Every file a command reads goes through one decoding path (calculator.errors): whatever the
file holds, a clear message and exit 2 — never a traceback, a hang or a megabyte of echo
(issue 15)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus import load_corpus
from calculator.cli import main
from calculator.errors import MAX_FILE_BYTES, InputError, read_json

# every command that reads a JSON file, with the arguments before the file
READERS = [
    ("assess",),
    ("roi",),
    ("sizing", "--input"),
    ("finetune", "--input"),
    ("greenmoney", "--input"),
    ("diff", "BASE"),
]


def run(capsys, reader: tuple[str, ...], path: Path | str, base: Path) -> tuple[int, str, str]:
    argv = [str(base) if a == "BASE" else a for a in reader] + [str(path)]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def base(tmp_path):
    path = tmp_path / "base.json"
    path.write_text("{}")
    return path


def bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name → (path, words the message must contain)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # nobody writes to it: opening it to read would block forever
    device = tmp_path / "zero.json"
    device.symlink_to("/dev/zero")  # endless: reading it would fill memory
    folder = tmp_path / "folder.json"
    folder.mkdir()
    files = {
        "pipe": (fifo, "not a regular file"),
        "device link": (device, "not a regular file"),
        "directory": (folder, "is a directory"),
        "missing": (tmp_path / "nowhere.json", "not found"),
    }
    for name, text, words in [
        ("deep nesting", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("huge integer", '{"growth": {"users_multiple": ' + "9" * 5000 + "}}", "4,300 digits"),
        ("NaN", '{"growth": {"users_multiple": NaN}}', "NaN is not a number"),
        ("Infinity", '{"growth": {"users_multiple": Infinity}}', "Infinity is not a number"),
        ("not JSON", "{oops", "not valid JSON"),
        ("not UTF-8", b"\xff\xfe{}", "not valid JSON"),
        ("a list", "[1, 2]", "JSON object"),
    ]:
        path = tmp_path / f"{name.replace(' ', '_')}.json"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
        files[name] = (path, words)
    return files


@pytest.mark.parametrize("reader", READERS, ids=[r[0] for r in READERS])
def test_every_bad_file_gets_one_clear_message_and_exit_2(capsys, tmp_path, base, reader):
    for name, (path, words) in bad_files(tmp_path / reader[0]).items():
        code, out, err = run(capsys, reader, path, base)
        assert code == 2, name
        assert words in err, (name, err)
        assert "Traceback" not in err
        assert len(err) < 600, name  # one sentence, not a dump


@pytest.mark.parametrize("reader", READERS, ids=[r[0] for r in READERS])
def test_a_megabyte_value_is_quoted_in_a_few_characters(capsys, tmp_path, base, reader):
    path = tmp_path / "name.json"
    path.write_text(json.dumps({"scenario_name": "x" * 1_000_000}))
    code, _, err = run(capsys, reader, path, base)
    assert code == 2
    assert len(err) < 600  # errors.QUOTE_CHARS bounds each quoted value


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.json"
    with path.open("wb") as fh:  # sparse: MAX_FILE_BYTES + 1 bytes without writing them
        fh.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(InputError, match="larger than 10 MB"):
        read_json(path)


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".jsonl"])
def test_a_corpus_that_is_a_pipe_or_a_device_is_refused(tmp_path, suffix):
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    device = tmp_path / f"zero{suffix}"
    device.symlink_to("/dev/zero")
    for path in (fifo, device):
        with pytest.raises(InputError, match="not a regular file"):
            load_corpus(path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=20), children, max_size=4)
    ),
    max_leaves=25,
)
# keys the readers know, so that arbitrary values reach the validators too
known_keys = st.sampled_from(
    [
        "growth",
        "scenario_name",
        "what_if",
        "version",
        "name",
        "answers",
        "spreads",
        "actions",
        "model",
        "method",
        "mfu",
        "dataset_tokens",
        "hourly_rate_usd",
    ]
)
documents = json_values | st.dictionaries(known_keys, json_values, max_size=5)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(documents)
def test_arbitrary_json_never_reaches_the_user_as_a_traceback(capsys, tmp_path, document):
    # oracle: the contract itself — exit 0 (a valid file) or 2 (a message), nothing else
    path = tmp_path / "any.json"
    path.write_text(json.dumps(document))
    base = tmp_path / "base.json"
    base.write_text("{}")
    for reader in READERS:
        code, _, err = run(capsys, reader, path, base)
        assert code in (0, 2), (reader, document, err[-500:])
        assert "Traceback" not in err


@pytest.mark.parametrize("reader", [("assess",), ("roi",)], ids=["assess", "roi"])
def test_unknown_what_if_pages_are_refused(capsys, tmp_path, base, reader):
    # issue 15: unknown what_if keys were accepted by assess and roi, then rejected by report
    path = tmp_path / "w.json"
    path.write_text('{"what_if": {"nope": {}}}')
    code, _, err = run(capsys, reader, path, base)
    assert code == 2
    assert "what_if: unknown page 'nope'" in err


@pytest.mark.parametrize(
    ("reader", "document", "field"),
    [
        (("assess",), '{"growth": {"users_multiple": true}}', "growth.users_multiple"),
        (("assess",), '{"growth": {"users_multiple": "12"}}', "growth.users_multiple"),
        (("sizing", "--input"), '{"gpu_count": true}', "gpu_count"),
        (("finetune", "--input"), '{"rank": "16"}', "rank"),
        (("greenmoney", "--input"), '{"hourly_rate_usd": false}', "hourly_rate_usd"),
    ],
)
def test_a_boolean_or_text_is_not_a_number(capsys, tmp_path, base, reader, document, field):
    # issue 15: `true` was accepted as a growth multiple of 1.0 (pydantic's lax mode)
    path = tmp_path / "b.json"
    path.write_text(document)
    code, _, err = run(capsys, reader, path, base)
    assert code == 2
    assert f"{field}: must be a number" in err
