"""Runs the hub configuration of the z2jh chart as the hub pod would, from a helm-rendered chart:
the chart's own jupyterhub_config.py and z2jh.py (from the rendered hub ConfigMap), its values
(the rendered hub Secret) and our hub.existingSecret, loaded by traitlets as JupyterHub loads
them. Then it calls the configured pre_spawn_hook for each user given, with the volume mounts the
chart configured, and prints what each user gets (which mounts are read-only, and the mounts
themselves), with the plain settings of the hub
and the spawner and the servers' environment.

Stubs (what cannot be installed here), and nothing else:
- kubernetes_asyncio.client: only used to build the iptables init container object;
- tornado.curl_httpclient: pycurl is not installed; the chart only selects the class.
The real JupyterHub (Debian's) and traitlets load the config.

usage: run_chart_hub_config.py <etc dir> <users json: [[name, admin], ...] or [[name, admin, [group, ...]], ...]> [<Google accounts json>]

oauthenticator.google is test/support/google_login_model.py's stand-in (a hub's extraConfig may
subclass it). With Google accounts ([{"email", "hd"?, "verified_email"}, ...]), what becomes of
each one's login is printed too ("google_logins"), with the class the config logs in with.

Each user's profiles are printed too: KubeSpawner's profile_list, or what it returns for the
user when it is a callable (course-hubs's filter of profiles limited to groups).
"""
import json
import os
import sys
import types

etc, users = sys.argv[1], json.loads(sys.argv[2])
google_accounts = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import google_login_model  # noqa: E402

google_login_model.install()

client = types.SimpleNamespace(**{name: (lambda **kw: kw) for name in ("V1Container", "V1SecurityContext", "V1Capabilities")})
sys.modules["kubernetes_asyncio"] = types.SimpleNamespace(client=client)
from tornado.simple_httpclient import SimpleAsyncHTTPClient  # noqa: E402

sys.modules["tornado.curl_httpclient"] = types.SimpleNamespace(CurlAsyncHTTPClient=type("CurlAsyncHTTPClient", (SimpleAsyncHTTPClient,), {}))

for name in ("jupyterhub_config.py", "z2jh.py"):
    path = os.path.join(etc, name)
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace("/usr/local/etc/jupyterhub", etc))

for service in ("PROXY_API", "PROXY_PUBLIC", "HUB"):
    os.environ.setdefault(f"{service}_SERVICE_HOST", "127.0.0.1")
    os.environ.setdefault(f"{service}_SERVICE_PORT", "8001")

from traitlets.config.loader import PyFileConfigLoader  # noqa: E402

config = PyFileConfigLoader("jupyterhub_config.py", etc).load_config()
spawner_config = config.KubeSpawner


def read_only(mounts):
    listed = mounts.values() if isinstance(mounts, dict) else mounts
    return {m["mountPath"]: bool(m.get("readOnly", False)) for m in listed}


def scalars(section):
    """A config section's plain settings (what a values file can set), by name."""
    return {name: value for name, value in section.items() if isinstance(value, (bool, int, float, str))}


result = {
    "hub_settings": scalars(config.JupyterHub),
    "spawner_settings": scalars(spawner_config),
    "environment": spawner_config.environment if "environment" in spawner_config else {},
    "spawner_class": config.JupyterHub.spawner_class,
    "init_containers": [c.get("name") for c in (spawner_config.init_containers if "init_containers" in spawner_config else [])],
    "image_pull_secrets": spawner_config.image_pull_secrets if "image_pull_secrets" in spawner_config else None,
    "lifecycle_hooks": spawner_config.lifecycle_hooks if "lifecycle_hooks" in spawner_config else None,
    "volume_mounts_shape": type(spawner_config.volume_mounts).__name__ if "volume_mounts" in spawner_config else None,
    "authenticators": {name: dict(section) for name, section in config.items() if name.endswith("Authenticator")},
    "users": {},
    "mounts": {},
}
hook = spawner_config.pre_spawn_hook if "pre_spawn_hook" in spawner_config else None
profile_list = spawner_config.profile_list if "profile_list" in spawner_config else []
result["profiles"] = {}


def profiles_for(spawner):
    """The profiles KubeSpawner offers the spawner's user: the list, or what a callable profile_list returns (or the error it raises)."""
    try:
        return profile_list(spawner) if callable(profile_list) else profile_list
    except Exception as error:
        return {"refused": getattr(error, "status_code", None), "message": getattr(error, "log_message", str(error))}


for name, admin, *groups in users:
    # A user's JupyterHub groups, as User.groups gives them: objects with a name.
    user = types.SimpleNamespace(name=name, admin=admin, groups=[types.SimpleNamespace(name=g) for g in (groups[0] if groups else [])])
    spawner = types.SimpleNamespace(user=user, volume_mounts=spawner_config.volume_mounts)
    if hook is not None:
        hook(spawner)
    result["users"][name] = read_only(spawner.volume_mounts)
    result["mounts"][name] = list(spawner.volume_mounts.values() if isinstance(spawner.volume_mounts, dict) else spawner.volume_mounts)
    result["profiles"][name] = profiles_for(spawner)
if google_accounts is not None:
    google_hub = google_login_model.start(config)
    result["google_logins"] = {"authenticator_class": type(google_hub).__name__, "logins": google_login_model.log_in(google_hub, google_accounts)}
print("COURSE-HUBS-RESULT " + json.dumps(result, default=str))
