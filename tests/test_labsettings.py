"""The workbook's JupyterLab settings (``peerlib.labsettings``), installed by ``make lab`` and
Binder's ``postBuild``."""

import json

from peerlib import labsettings
from peerlib.paths import PROJECT_DIR


def test_lab_settings_turn_off_the_news_popup_and_are_installed(tmp_path):
    path = labsettings.install(tmp_path)
    assert path == tmp_path / "share/jupyter/lab/settings/overrides.d/peerlib.json"
    notification = json.loads(path.read_text())["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false"
    assert "peerlib.labsettings" in (PROJECT_DIR / "postBuild").read_text("utf-8")
    makefile = (PROJECT_DIR / "Makefile").read_text("utf-8")
    assert "peerlib.labsettings" in makefile
