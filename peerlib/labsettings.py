"""The workbook's JupyterLab settings, installed by ``make lab`` and Binder's ``postBuild``.

They go in as JupyterLab *overrides* (``<prefix>/share/jupyter/lab/settings/overrides.d/``),
so they are the defaults a learner still can change in Settings:

- no "Would you like to get notified about official Jupyter news?" pop-up, and no update
  checks: learners on Binder or a laptop are not asked about Jupyter's own news.

``python -m peerlib.labsettings`` installs them into the running Python's environment.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
FILE_NAME = "peerlib.json"


def settings_dir(prefix: str | Path = sys.prefix) -> Path:
    """JupyterLab's application settings folder in the environment at ``prefix``."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings"


def install(prefix: str | Path = sys.prefix) -> Path:
    """Write the settings to ``overrides.d/peerlib.json`` under ``prefix``; returns the path."""
    path = settings_dir(prefix) / "overrides.d" / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(SETTINGS, indent=2) + "\n", encoding="utf-8")
    return path


def main() -> None:
    print(f"JupyterLab settings for the workbook: {install()}")


if __name__ == "__main__":
    main()
