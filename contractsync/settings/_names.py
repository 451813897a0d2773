"""Where settings are looked up: the environment prefix and the config file's name."""

from __future__ import annotations

CONFIG_FILE_NAME = "contractsync.toml"
ENV_PREFIX = "CONTRACTSYNC_"
