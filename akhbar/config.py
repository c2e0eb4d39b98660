"""Settings from the environment and the feeds file (see README: Configuration)."""
from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from akhbar.extract.settings import FetchSettings
from akhbar.models import FeedConfig

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FEEDS_FILE = REPO_ROOT / "config" / "feeds.sample.yaml"
_FEED_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class ConfigError(ValueError):
    """The feeds file is missing, malformed, or names a feed twice."""


def feed_failure_days() -> int:
    """After this many logical dates of failures in a row a feed is flagged (AKHBAR_FEED_FAILURE_DAYS)."""
    return int(os.environ.get("AKHBAR_FEED_FAILURE_DAYS", "3"))


def fetch_settings() -> FetchSettings:
    """The crawler's limits, with the politeness an operator may tune from the environment:
    AKHBAR_MIN_HOST_DELAY (seconds between requests to one host, default 1) and
    AKHBAR_MAX_HOST_CONCURRENCY (requests to one host at once, default 2)."""
    defaults = FetchSettings()
    return replace(defaults,
                   min_host_delay=float(os.environ.get("AKHBAR_MIN_HOST_DELAY", defaults.min_host_delay)),
                   max_host_concurrency=int(os.environ.get("AKHBAR_MAX_HOST_CONCURRENCY",
                                                           defaults.max_host_concurrency)))


def export_dir() -> Path:
    """Where the daily PLOVER exports go (AKHBAR_EXPORT_DIR, default .akhbar/exports)."""
    return Path(os.environ.get("AKHBAR_EXPORT_DIR") or REPO_ROOT / ".akhbar" / "exports")


def feeds_file(explicit: str | os.PathLike | None = None) -> Path:
    return Path(explicit or os.environ.get("AKHBAR_FEEDS") or DEFAULT_FEEDS_FILE)


def _feed_url(raw: str, base_dir: Path) -> str:
    """An absolute URL; a bare path is read relative to the feeds file, as file://."""
    if urlsplit(raw).scheme in ("http", "https", "file"):
        return raw
    return (base_dir / raw).resolve().as_uri()


def load_feeds(path: str | os.PathLike | None = None) -> list[FeedConfig]:
    path = feeds_file(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read feeds file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"feeds file {path} is not valid YAML: {exc}") from exc
    entries = (doc or {}).get("feeds") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"feeds file {path} has no 'feeds:' list")
    feeds, seen = [], set()
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("url"):
            raise ConfigError(f"{path}: feed #{n} needs at least 'name' and 'url'")
        name = str(entry["name"])
        if not _FEED_NAME.match(name):
            raise ConfigError(f"{path}: feed name {name!r} must be lowercase letters, digits, - _ .")
        if name in seen:
            raise ConfigError(f"{path}: feed name {name!r} appears twice")
        seen.add(name)
        feeds.append(FeedConfig(
            name=name,
            url=_feed_url(str(entry["url"]), path.parent),
            outlet=str(entry.get("outlet") or name),
            fetch_articles=bool(entry.get("fetch_articles", True)),
            allow_private_network=bool(entry.get("allow_private_network", False)),
            respect_robots=bool(entry.get("respect_robots", True)),
        ))
    return feeds


def feed_by_name(feeds: list[FeedConfig], name: str) -> FeedConfig:
    for feed in feeds:
        if feed.name == name:
            return feed
    raise ConfigError(f"no feed named {name!r} in the feeds file")
