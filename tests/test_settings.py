"""Settings: defaults, the TOML file, the environment, and docs that list every one."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.errors import ConfigError
from newsweave.settings import Settings, load_settings, settings_help
from tests.conftest import ROOT


def test_environment_overrides_file_overrides_default(tmp_path: Path) -> None:
    config = tmp_path / "newsweave.toml"
    config.write_text('db = "from-file.db"\nbatch_size = 10\n')
    settings = load_settings(config, environ={"NEWSWEAVE_BATCH_SIZE": "30"})
    assert (settings.db, settings.batch_size) == ("from-file.db", 30)
    assert settings.max_document_bytes == Settings().max_document_bytes


def test_bad_values_and_unknown_keys_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"batch_size"):
        load_settings(tmp_path / "none.toml", environ={"NEWSWEAVE_BATCH_SIZE": "many"})
    config = tmp_path / "newsweave.toml"
    config.write_text("bach_size = 3\n")
    with pytest.raises(ConfigError, match="bach_size"):
        load_settings(config, environ={})


def test_every_setting_is_documented() -> None:
    docs = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for variable, help_text, _ in settings_help():
        assert variable in docs
        assert help_text in docs
