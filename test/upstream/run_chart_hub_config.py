"""Runs the hub configuration of the z2jh chart as the hub pod would, from a helm-rendered chart:
the chart's own jupyterhub_config.py and z2jh.py (from the rendered hub ConfigMap), its values
(the rendered hub Secret) and our hub.existingSecret, loaded by traitlets as JupyterHub loads
them. Then it calls the configured pre_spawn_hook for each user given, with the volume mounts the
chart configured, and prints what each user gets as JSON, with the plain settings of the hub
and the spawner and the servers' environment.

Stubs (what cannot be installed here), and nothing else:
- kubernetes_asyncio.client: only used to build the iptables init container object;
- tornado.curl_httpclient: pycurl is not installed; the chart only selects the class.
The real JupyterHub (Debian's) and traitlets load the config.

usage: run_chart_hub_config.py <etc dir> <users json: [[name, admin], ...]>
"""
import json
import os
import sys
import types

etc, users = sys.argv[1], json.loads(sys.argv[2])

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
    "lifecycle_hooks": spawner_config.lifecycle_hooks if "lifecycle_hooks" in spawner_config else None,
    "volume_mounts_shape": type(spawner_config.volume_mounts).__name__ if "volume_mounts" in spawner_config else None,
    "users": {},
}
hook = spawner_config.pre_spawn_hook if "pre_spawn_hook" in spawner_config else None
for name, admin in users:
    spawner = types.SimpleNamespace(user=types.SimpleNamespace(name=name, admin=admin), volume_mounts=spawner_config.volume_mounts)
    if hook is not None:
        hook(spawner)
    result["users"][name] = read_only(spawner.volume_mounts)
print("COURSE-HUBS-RESULT " + json.dumps(result, default=str))
