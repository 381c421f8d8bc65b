"""Platform privacy settings: the data in ``data/privacy_settings.yaml`` and its table directive.

The platform facts (menu paths, recommended values) change often, so they live
once, in a data file, and the privacy chapter renders them::

    ```{privacy-settings} Facebook
    ```

Each row of the file is one setting of one platform::

    - platform: Facebook
      setting: Wie kan je toekomstige berichten zien?
      where: Menu > Instellingen en privacy > Instellingen > ...
      recommended: Vrienden
      why: ...
      checked: 2026-11-01

``load_settings()`` validates the whole file and raises ``PrivacyDataError``
naming the file, the row and the field of every problem; in a book build that
error stops Sphinx with the same message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive

from ambassador.paths import data_dir

# The platforms the course covers, in the order the chapter presents them.
PLATFORMS: tuple[str, ...] = (
    "Facebook",
    "Instagram",
    "LinkedIn",
    "X",
    "TikTok",
    "WhatsApp",
    "Viva Engage",
)

FIELDS: tuple[str, ...] = ("platform", "setting", "where", "recommended", "why", "checked")

# Column headings of the rendered table (the platform is in the caption).
HEADINGS: tuple[tuple[str, str], ...] = (
    ("setting", "Instelling"),
    ("where", "Waar vind je het?"),
    ("recommended", "Onze aanbeveling"),
    ("why", "Waarom?"),
)
COLUMN_WIDTHS = (20, 30, 18, 32)

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli",
             "augustus", "september", "oktober", "november", "december")


class PrivacyDataError(ValueError):
    """The settings file is missing or malformed; the message lists every problem."""


@dataclass(frozen=True)
class Setting:
    platform: str
    setting: str
    where: str
    recommended: str
    why: str
    checked: dt.date


def default_path() -> Path:
    return data_dir() / "privacy_settings.yaml"


def format_date_nl(day: dt.date) -> str:
    """``2026-11-01`` -> ``1 november 2026``."""
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


class _TextDateLoader(yaml.SafeLoader):
    """A safe loader that keeps dates as text, so a bad date is reported with its row, not as a crash."""


_TextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_date(value) -> dt.date | None:
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _read_rows(path: Path) -> tuple[list, list[int]]:
    """The file's top-level list and the line number where each row starts."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PrivacyDataError(f"{path}: cannot read the privacy settings file ({exc.strerror})") from exc
    loader = _TextDateLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        raise PrivacyDataError(f"{path}: not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    if not isinstance(data, list) or not data:
        raise PrivacyDataError(f"{path}: expected a non-empty list of settings (one '- platform: ...' row each)")
    return data, [node.start_mark.line + 1 for node in root.value]


def load_settings(path: Path | str | None = None) -> list[Setting]:
    """Load and validate the privacy settings; raise ``PrivacyDataError`` listing every problem."""
    path = Path(path) if path is not None else default_path()
    rows, lines = _read_rows(path)
    errors: list[str] = []
    settings: list[Setting] = []
    seen: dict[tuple[str, str], int] = {}

    for number, (row, line) in enumerate(zip(rows, lines), start=1):
        where = f"{path}: row {number} (line {line})"
        if not isinstance(row, dict):
            errors.append(f"{where}: expected a mapping with the fields {', '.join(FIELDS)}")
            continue
        row_errors = []
        for field in sorted(set(row) - set(FIELDS), key=str):
            row_errors.append(f"{where}, field '{field}': unknown field (allowed: {', '.join(FIELDS)})")
        for field in FIELDS:
            value = row.get(field)
            if value is None or (isinstance(value, str) and not value.strip()):
                row_errors.append(f"{where}, field '{field}': is missing or empty")
            elif field != "checked" and not isinstance(value, str):
                row_errors.append(f"{where}, field '{field}': must be text, got {value!r}")
        checked = _parse_date(row.get("checked"))
        if row.get("checked") not in (None, "") and checked is None:
            row_errors.append(
                f"{where}, field 'checked': {row.get('checked')!r} is not an ISO date (YYYY-MM-DD)")
        platform = row.get("platform")
        if isinstance(platform, str) and platform.strip() and platform not in PLATFORMS:
            row_errors.append(
                f"{where}, field 'platform': unknown platform {platform!r} (known: {', '.join(PLATFORMS)})")
        key = (platform, row.get("setting"))
        if isinstance(key[1], str) and key[1].strip():
            if key in seen:
                row_errors.append(
                    f"{where}, field 'setting': duplicate of row {seen[key]} ({platform} / {key[1]!r})")
            else:
                seen[key] = number
        if row_errors:
            errors.extend(row_errors)
            continue
        settings.append(Setting(
            platform=platform, setting=row["setting"].strip(), where=row["where"].strip(),
            recommended=row["recommended"].strip(), why=row["why"].strip(), checked=checked,
        ))

    if errors:
        raise PrivacyDataError("invalid privacy settings:\n" + "\n".join(errors))
    return settings


def settings_for(platform: str, settings: list[Setting]) -> list[Setting]:
    return [s for s in settings if s.platform == platform]


def last_checked(rows: list[Setting]) -> dt.date:
    """The date a platform was last checked: its oldest row, so the caption never overstates."""
    return min(row.checked for row in rows)


def _cell(text: str) -> nodes.entry:
    return nodes.entry("", nodes.paragraph(text=text))


def build_table(platform: str, rows: list[Setting]) -> nodes.table:
    """One platform's settings as a docutils table, with a caption naming the platform and date."""
    table = nodes.table(classes=["privacy-settings"], ids=[nodes.make_id(f"privacy-{platform}")])
    caption = f"{platform}: de instellingen die ertoe doen (laatst gecontroleerd op {format_date_nl(last_checked(rows))})"
    table += nodes.title(text=caption)
    group = nodes.tgroup(cols=len(HEADINGS))
    table += group
    for width in COLUMN_WIDTHS:
        group += nodes.colspec(colwidth=width)
    head_row = nodes.row()
    for _, heading in HEADINGS:
        head_row += _cell(heading)
    group += nodes.thead("", head_row)
    body = nodes.tbody()
    for setting in rows:
        row = nodes.row()
        for field, _ in HEADINGS:
            row += _cell(getattr(setting, field))
        body += row
    group += body
    return table


class PrivacySettingsDirective(Directive):
    """``{privacy-settings} PLATFORM``: that platform's table from the data file."""

    required_arguments = 1
    final_argument_whitespace = True  # "Viva Engage"
    has_content = False

    def run(self):
        from sphinx.errors import ExtensionError

        env = self.state.document.settings.env
        path = Path(env.config.privacy_settings_file or default_path())
        env.note_dependency(str(path))  # an edited setting rebuilds the chapter
        platform = self.arguments[0].strip()
        if platform not in PLATFORMS:
            raise self.error(f"privacy-settings: unknown platform {platform!r} (known: {', '.join(PLATFORMS)})")
        try:
            rows = settings_for(platform, load_settings(path))
        except PrivacyDataError as exc:
            # Stops the build with the file/row/field message, whatever -W says.
            raise ExtensionError(str(exc)) from None
        if not rows:
            raise self.error(f"privacy-settings: {path} has no rows for {platform!r}")
        return [build_table(platform, rows)]


def setup_sphinx(app) -> None:
    # Empty means data/privacy_settings.yaml; tests point it at a small file.
    app.add_config_value("privacy_settings_file", "", "env")
    app.add_directive("privacy-settings", PrivacySettingsDirective)
