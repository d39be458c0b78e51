"""Settings' environment readers: strict parsing, messages naming the variable, secrets from files."""

from __future__ import annotations

import pytest

from capacity import env


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("yes", True), (" TRUE ", True), ("On", True), ("off", False), ("", False)],
)
def test_booleans_parse(monkeypatch, raw, expected) -> None:
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env.env_bool("SOME_FLAG", not expected) is expected


def test_an_unset_variable_takes_its_default(monkeypatch) -> None:
    for name in ("SOME_FLAG", "SOME_NUMBER", "SOME_LIST", "SOME_CHOICE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)
    assert env.env_bool("SOME_FLAG", True) is True
    assert env.env_int("SOME_NUMBER", 7, minimum=10) == 7  # the default is not checked
    default = ["a"]
    listed = env.env_list("SOME_LIST", default)
    listed.append("b")
    assert default == ["a"]  # a copy: changing the setting cannot change the default
    assert env.env_choice("SOME_CHOICE", "local", ("local", "test")) == "local"


def test_a_bad_boolean_names_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(env.ConfigError, match="SOME_FLAG='perhaps'"):
        env.env_bool("SOME_FLAG", False)


def test_a_bad_number_names_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(env.ConfigError, match="SOME_NUMBER"):
        env.env_int("SOME_NUMBER", 1)
    monkeypatch.setenv("SOME_NUMBER", "-1")
    with pytest.raises(env.ConfigError, match="minimum"):
        env.env_int("SOME_NUMBER", 1, minimum=0)
    monkeypatch.setenv("SOME_NUMBER", " 12 ")
    assert env.env_int("SOME_NUMBER", 1, minimum=12) == 12


def test_a_list_is_split_on_commas_without_empty_items(monkeypatch) -> None:
    monkeypatch.setenv("SOME_LIST", " a.example.org, ,b.example.org,")
    assert env.env_list("SOME_LIST", ["x"]) == ["a.example.org", "b.example.org"]
    monkeypatch.setenv("SOME_LIST", "")
    assert env.env_list("SOME_LIST", ["x"]) == []  # set but empty: nothing, not the default


def test_a_choice_outside_the_list_is_refused_with_the_choices(monkeypatch) -> None:
    monkeypatch.setenv("SOME_CHOICE", " test ")
    assert env.env_choice("SOME_CHOICE", "local", ("local", "test")) == "test"
    monkeypatch.setenv("SOME_CHOICE", "Production")
    with pytest.raises(env.ConfigError, match="must be one of: local, test"):
        env.env_choice("SOME_CHOICE", "local", ("local", "test"))


def test_a_secret_can_come_from_a_file(monkeypatch, tmp_path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.delenv("SOME_SECRET", raising=False)
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert env.env_str("SOME_SECRET", "") == "from-a-file"
    monkeypatch.setenv("SOME_SECRET", "both")
    with pytest.raises(env.ConfigError, match="both set"):
        env.env_str("SOME_SECRET", "")


def test_a_file_that_cannot_be_read_names_the_variable_and_the_reason(
    monkeypatch, tmp_path
) -> None:
    monkeypatch.delenv("SOME_SECRET", raising=False)
    monkeypatch.setenv("SOME_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(env.ConfigError, match=r"SOME_SECRET_FILE=.*missing cannot be read"):
        env.env_str("SOME_SECRET", "")


def test_an_empty_file_variable_is_ignored(monkeypatch) -> None:
    monkeypatch.setenv("SOME_SECRET", "direct")
    monkeypatch.setenv("SOME_SECRET_FILE", "")
    assert env.env_str("SOME_SECRET", "") == "direct"
