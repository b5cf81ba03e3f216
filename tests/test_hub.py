"""The course service on a real JupyterHub (docs/jupyterhub_config.py), its client and widget.

One hub per module: configurable-http-proxy, the hub and the service, all on 127.0.0.1.
Locally these tests skip when JupyterHub or configurable-http-proxy is missing; under
CI=true they must run.
"""

import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from hub_server import DOCS_CONFIG, PROJECT, Hub, free_port, missing, wait_until_answering

from peerlib import cohort, hub
from peerlib.errors import HubError
from peerlib.store import MAX_IMPORT_BYTES, ProgressStore

CI = os.environ.get("CI", "").lower() in ("true", "1")


def require_hub() -> None:
    problem = missing()
    if problem:
        if CI:
            pytest.fail(f"{problem}; under CI=true the hub tests must run")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def course_hub():
    require_hub()
    server = Hub()
    try:
        server.start()
        server.tokens = {user: server.token(user) for user in ("alice", "bob", "carol")}
        # a token of bob's that may only read his name: not the service's access scope
        server.tokens["bob-no-access"] = server.token("bob", ["read:users:name!user"])
    except Exception:
        server.stop()
        raise
    yield server
    server.stop()


def client(course_hub, who: str) -> hub.CourseClient:
    return hub.CourseClient(course_hub.service_url, course_hub.tokens[who])


def export(learner: str, include_text: bool = False, tmp=None, **extra) -> str:
    """A progress file of ``learner`` with a rating, an answer and a reflection."""
    with ProgressStore("sqlite://") as store:
        store.ensure_learner(learner, learner.title())
        store.record_rating(learner, "crisis", "before", extra.get("rating", 2))
        store.record_answer(learner, "ps20", f"{learner}'s private answer", "3/4 points", 40)
        store.record_reflection(learner, "crisis", "r1", f"{learner}'s private reflection")
        return store.export_json(learner, include_text=include_text)


def status_of(course_hub, who: str, method: str, path: str, body: bytes | None = None) -> int:
    request = urllib.request.Request(
        course_hub.service_url + path,
        data=body,
        method=method,
        headers={"Authorization": f"token {course_hub.tokens[who]}"} if who else {},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def texts(progress: dict) -> list:
    return [item.get("text") for kind in ("answers", "reflections") for item in progress[kind]]


# --- the configuration that is documented is the one that is tested -------------------------


def test_docs_show_exactly_the_tested_config():
    guide = (PROJECT / "docs" / "hub.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", guide, re.S).group(1)
    assert block == DOCS_CONFIG.read_text(encoding="utf-8")


def test_config_gives_server_tokens_the_service_scopes():
    namespace = {"get_config": lambda: Config()}
    from traitlets.config import Config

    exec(compile(DOCS_CONFIG.read_text(encoding="utf-8"), str(DOCS_CONFIG), "exec"), namespace)
    c = namespace["c"]
    assert {"access:services!service=peerlib", hub.COHORT_SCOPE} <= set(
        c.Spawner.server_token_scopes
    )
    assert hub.COHORT_SCOPE in c.JupyterHub.custom_scopes
    instructor = next(r for r in c.JupyterHub.load_roles if hub.COHORT_SCOPE in r["scopes"])
    assert instructor["groups"] == ["instructors"]
    assert c.JupyterHub.services[0]["command"][1:] == ["-m", "peerlib.hub"]
    assert hub.SERVICE_URL_ENV in c.Spawner.environment


# --- the service -----------------------------------------------------------------------------


@pytest.mark.hub
@pytest.mark.content  # the service, in its own process, reads the shipped content
def test_a_push_belongs_to_the_token_owner_even_if_the_file_says_alice(course_hub):
    bob = client(course_hub, "bob")
    sent = bob.push(export("alice", rating=1))
    assert sent["learner"] == "bob" and sent["file_learner"] == "alice"
    mine = bob.mine()
    assert mine["progress"]["learner"] == {"learner_id": "bob", "display_name": None}
    assert [r["value"] for r in mine["progress"]["ratings"]] == [1]
    assert client(course_hub, "alice").mine() is None  # nothing was stored as alice's
    bob.push(export("bob"))  # a push replaces what was sent before
    assert [r["value"] for r in bob.mine()["progress"]["ratings"]] == [2]


@pytest.mark.hub
@pytest.mark.content  # the service, in its own process, reads the shipped content
def test_learners_cannot_read_the_cohort_or_each_other(course_hub):
    client(course_hub, "alice").push(export("alice"))
    client(course_hub, "bob").push(export("bob"))
    assert status_of(course_hub, "bob", "GET", "api/cohort") == 403
    assert status_of(course_hub, "bob", "GET", "api/progress/alice") == 403
    assert status_of(course_hub, "bob", "GET", "api/progress/bob") == 200
    assert status_of(course_hub, "alice", "GET", "api/progress/bob") == 200  # an instructor
    with pytest.raises(HubError, match=r"custom:peerlib:cohort.*HTTP 403"):
        client(course_hub, "bob").cohort()


@pytest.mark.hub
@pytest.mark.content  # the service, in its own process, reads the shipped content
def test_a_token_without_the_access_scope_or_no_token_is_refused(course_hub):
    for method, path in [
        ("GET", "api/progress/me"),
        ("PUT", "api/progress"),
        ("GET", "api/cohort"),
    ]:
        body = export("bob").encode() if method == "PUT" else None
        assert status_of(course_hub, "bob-no-access", method, path, body) == 403
        assert status_of(course_hub, None, method, path, body) == 403


@pytest.mark.hub
@pytest.mark.content  # the service, in its own process, reads the shipped content
def test_bad_and_oversized_files_are_refused(course_hub):
    bob = client(course_hub, "bob")
    with pytest.raises(HubError, match=r"not a peerlib progress file.*HTTP 400"):
        bob.push(b'{"format": "something else"}')
    bad = json.loads(export("bob"))
    bad["ratings"][0]["value"] = 9
    with pytest.raises(HubError, match=r"ratings\[0\].*rating value 9.*HTTP 400"):
        bob.push(json.dumps(bad))
    too_big = b" " * (MAX_IMPORT_BYTES + 1)
    assert status_of(course_hub, "bob", "PUT", "api/progress", too_big) == 413


@pytest.mark.hub
@pytest.mark.content  # the service, in its own process, reads the shipped content
def test_text_is_kept_only_when_the_learner_opts_in(course_hub):
    bob, alice = client(course_hub, "bob"), client(course_hub, "alice")

    def bobs(progress_files):
        return next(p for p in progress_files if p["learner"]["learner_id"] == "bob")

    bob.push(export("bob"))
    assert set(texts(bob.mine()["progress"])) == {None}
    assert set(texts(bobs(alice.cohort(text=True)))) == {None}
    sneaky = json.loads(export("bob", include_text=True))
    sneaky["include_text"] = False  # texts in a file that does not opt in are dropped
    bob.push(json.dumps(sneaky))
    assert set(texts(bobs(alice.cohort(text=True)))) == {None}

    bob.push(export("bob", include_text=True))
    assert texts(bob.mine()["progress"]) == ["bob's private answer", "bob's private reflection"]
    assert "bob's private answer" in texts(bobs(alice.cohort(text=True)))
    assert set(texts(bobs(alice.cohort()))) == {None}  # texts only when asked for
    bob.push(export("bob"))  # the next push without the box ticked withdraws the texts
    assert set(texts(bobs(alice.cohort(text=True)))) == {None}


@pytest.mark.hub
@pytest.mark.content  # the service, in its own process, reads the shipped content
def test_a_learner_can_erase_what_they_sent(course_hub):
    carol = client(course_hub, "carol")
    carol.push(export("carol"))
    assert carol.erase() is True
    assert carol.mine() is None
    learners = [p["learner"]["learner_id"] for p in client(course_hub, "alice").cohort()]
    assert "carol" not in learners
    assert carol.erase() is False


@pytest.mark.hub
@pytest.mark.content  # the service, in its own process, reads the shipped content
def test_the_instructor_reads_the_cohort_and_writes_the_report(
    course_hub, tmp_path, monkeypatch, peerlib_command
):
    client(course_hub, "bob").push(export("bob", rating=1))
    monkeypatch.setenv(hub.SERVICE_URL_ENV, course_hub.service_url)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", course_hub.tokens["alice"])
    group = cohort.load("hub", names=True)
    assert group.origin == "hub" and "from the course service" in group.summary()
    ratings = group.ratings.set_index("learner_key")
    assert ratings.loc["bob", "value"] == 1
    keyed = cohort.load("hub")
    assert cohort.pseudonym("bob") in set(keyed.learners["learner_key"])

    out = tmp_path / "report.html"
    done = peerlib_command("cohort", "report", "hub", "--out", out, "--names")
    assert done.returncode == 0, done.stderr
    assert "from the course service" in done.stdout
    html = out.read_text(encoding="utf-8")  # bob's crisis rating of 1 is on the follow-up list
    assert "Bob" in html and "Managing crises: rated 1 of 5" in html

    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", course_hub.tokens["bob"])  # a learner cannot
    done = peerlib_command("cohort", "report", "hub", "--out", out)
    assert done.returncode == 1 and "HTTP 403" in done.stderr


# --- the learner's widget --------------------------------------------------------------------


@pytest.fixture
def bob_kernel(course_hub, monkeypatch):
    """A learner kernel on the hub: bob's user name, his server token and the service URL."""
    monkeypatch.setenv("JUPYTERHUB_USER", "bob")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", course_hub.tokens["bob"])
    monkeypatch.setenv(hub.SERVICE_URL_ENV, course_hub.service_url)
    client(course_hub, "bob").erase()
    from peerlib.store import default_store

    store = default_store()
    store.record_rating("bob", "crisis", "before", 3)
    store.record_reflection("bob", "crisis", "r1", "Something personal.")
    return store


@pytest.mark.hub
@pytest.mark.content  # the service, in its own process, reads the shipped content
def test_send_to_my_trainer_from_the_save_widget(course_hub, bob_kernel):
    from peerlib import widgets

    view = widgets.SaveAndRestore()
    assert view.send.description == "Send to my trainer"
    assert "Not sent to your trainer yet" in view.sent.value

    view.send.click()
    mine = client(course_hub, "bob").mine()
    assert [r["value"] for r in mine["progress"]["ratings"]] == [3]
    assert texts(mine["progress"]) == [None]
    assert "Sent to your trainer (without your answer and reflection text)" in view.status.value
    assert (
        "Last sent to your trainer:" in view.sent.value and "without your text" in view.sent.value
    )

    view.send.click()  # a second click sends nothing new
    assert "Nothing new" in view.status.value
    assert client(course_hub, "bob").mine()["received_at"] == mine["received_at"]

    view.include_text.value = True
    view.send.click()
    assert texts(client(course_hub, "bob").mine()["progress"]) == ["Something personal."]
    assert "with your text" in view.sent.value

    again = widgets.SaveAndRestore()  # the notebook runs again: it shows the last send
    assert "Last sent to your trainer:" in again.sent.value
    again.erase.click()
    assert client(course_hub, "bob").mine() is None
    assert "Not sent to your trainer yet" in again.sent.value


@pytest.mark.hub
@pytest.mark.content  # the service, in its own process, reads the shipped content
def test_peerlib_send_from_a_terminal(course_hub, tmp_path, monkeypatch, peerlib_command):
    monkeypatch.setenv("PEERLIB_HOME", str(tmp_path / "bob"))
    monkeypatch.delenv("PEERLIB_DB_URL", raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", "bob")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", course_hub.tokens["bob"])
    monkeypatch.setenv(hub.SERVICE_URL_ENV, course_hub.service_url)
    with ProgressStore(f"sqlite:///{tmp_path / 'bob' / 'progress.sqlite'}") as store:
        store.record_rating("bob", "engage", "after", 5)
        store.record_answer("bob", "ps20", "Mine.", "1/4 points")
    done = peerlib_command("send", "--include-text")
    assert done.returncode == 0, done.stderr
    assert "Sent the progress of bob" in done.stdout and "with answer" in done.stdout
    mine = client(course_hub, "bob").mine()["progress"]
    assert [r["value"] for r in mine["ratings"]] == [5] and texts(mine) == ["Mine."]


def test_without_the_service_nothing_hub_related_shows(monkeypatch):
    from peerlib import widgets
    from peerlib.learner import set_learner

    monkeypatch.delenv(hub.SERVICE_URL_ENV, raising=False)
    set_learner("ana")
    view = widgets.SaveAndRestore()
    assert view.send is None and view.erase is None

    shown, todo = [], [view]
    while todo:
        widget = todo.pop()
        for name in ("value", "description", "tooltip"):
            shown.append(str(getattr(widget, name, "") or ""))
        todo += getattr(widget, "children", ())
    shown = re.sub(r"data:[^\"]*", "", " ".join(shown))  # not the download's base64
    assert "trainer" not in shown.lower() and "hub" not in shown.lower(), shown


def test_the_client_says_when_the_service_is_not_configured(monkeypatch):
    monkeypatch.delenv(hub.SERVICE_URL_ENV, raising=False)
    with pytest.raises(HubError, match="not configured"):
        hub.CourseClient()
    monkeypatch.setenv(hub.SERVICE_URL_ENV, "http://127.0.0.1:9/services/peerlib/")
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    with pytest.raises(HubError, match="JUPYTERHUB_API_TOKEN"):
        hub.CourseClient()


# --- restart: last, as it restarts the module's hub ------------------------------------------


@pytest.mark.hub
@pytest.mark.content  # the service, in its own process, reads the shipped content
def test_the_service_restarts_without_losing_anything(course_hub):
    client(course_hub, "carol").push(export("carol", rating=5))
    before = client(course_hub, "alice").cohort()
    course_hub.stop(remove=False)
    assert "...done" in course_hub.log_tail(), "the hub did not finish stopping the service"
    course_hub.start()
    after = client(course_hub, "alice").cohort()
    strip = [dict(p, exported_at=None) for p in before]
    assert [dict(p, exported_at=None) for p in after] == strip
    assert [r["value"] for r in client(course_hub, "carol").mine()["progress"]["ratings"]] == [5]
    assert Path(course_hub.db_url.removeprefix("sqlite:///")).exists()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_service_stops_on_a_signal_even_when_started_ignoring_sigint(tmp_path, signum):
    """JupyterHub stops a service with SIGINT, then SIGTERM; a background shell ignores SIGINT."""
    require_hub()
    port = free_port()
    env = dict(os.environ, JUPYTERHUB_SERVICE_URL=f"http://127.0.0.1:{port}")
    service = subprocess.Popen(
        [sys.executable, "-m", "peerlib.hub", "--db-url", f"sqlite:///{tmp_path}/course.sqlite"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        url = f"http://127.0.0.1:{port}/services/peerlib/"
        wait_until_answering(service, [url], 60, "The course service")
        service.send_signal(signum)
        assert service.wait(timeout=20) == 0
    finally:
        service.kill()
        service.wait()
