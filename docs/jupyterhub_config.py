# The peerlib lines of a course hub's jupyterhub_config.py (see docs/hub.md).
# tests/test_hub.py starts a real JupyterHub with exactly these lines (plus test-only ports,
# paths and authenticator), so what is documented here is what is tested.
import sys

c = get_config()  # noqa: F821 (JupyterHub provides get_config)

# 1. The course service. The hub starts it, gives it its own API token and proxies
#    /services/peerlib/ to it. It keeps learners' progress in its own database: an SQLite
#    file (the default) or any SQLAlchemy URL, e.g. postgresql+psycopg://peerlib@db/course.
#    Learners never get this URL or its credentials.
c.JupyterHub.services = [
    {
        "name": "peerlib",
        "url": "http://127.0.0.1:10101",
        "command": [sys.executable, "-m", "peerlib.hub"],
        "environment": {"PEERLIB_HUB_DB_URL": "sqlite:////srv/peerlib/course.sqlite"},
    }
]

# 2. Who may do what. Every hub user may use the service (send, see and erase their own
#    progress): the access scope is added to the default "user" role. Reading the whole
#    cohort needs a custom scope, given to the "instructors" group through a role.
c.JupyterHub.custom_scopes = {
    "custom:peerlib:cohort": {
        "description": "Read every learner's progress sent to the peerlib course service",
    },
}
c.JupyterHub.load_groups = {
    "instructors": {"users": []},  # the trainers' hub user names, e.g. ["alice"]
}
c.JupyterHub.load_roles = [
    {
        "name": "user",
        "description": "Standard user privileges, and sending progress to the course service",
        "scopes": ["self", "access:services!service=peerlib"],
    },
    {
        "name": "peerlib-instructor",
        "description": "Read the cohort's progress from the peerlib course service",
        "scopes": ["custom:peerlib:cohort"],
        "groups": ["instructors"],
    },
]

# 3. What a notebook server's own token ($JUPYTERHUB_API_TOKEN in every kernel) may do.
#    A token only ever gets the scopes its user holds: learners' tokens reach the service;
#    only instructors' tokens also read the cohort.
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    "access:services!service=peerlib",
    "custom:peerlib:cohort",
]

# 4. Where kernels find the service: its URL through the hub's proxy, as seen from the
#    single-user servers (here the hub's default address; use your hub's public URL).
c.Spawner.environment = {"PEERLIB_SERVICE_URL": "http://127.0.0.1:8000/services/peerlib/"}
