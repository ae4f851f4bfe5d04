"""Loads a rendered jupyterhub_config.py the way JupyterHub does (traitlets' Python config loader)
and reads the settings back through real JupyterHub classes, which validate and parse their traits
(memory sizes, user sets). Prints them as JSON for the mocha test to compare with the spec."""
import json
import os
import sys

from jupyterhub.auth import Authenticator
from jupyterhub.spawner import Spawner
from traitlets.config.loader import PyFileConfigLoader

os.environ["COURSE_HUB_AUTH_SECRET"] = "secret-from-the-environment"
path = sys.argv[1]
config = PyFileConfigLoader(os.path.basename(path), os.path.dirname(path)).load_config()
authenticator = Authenticator(config=config)
spawner = Spawner(config=config)
authenticator_section = {
    name: dict(section) for name, section in config.items() if name.endswith("Authenticator") and name != "Authenticator"
}
print(json.dumps({
    "authenticator_class": config.JupyterHub.authenticator_class,
    "authenticator": authenticator_section,
    "admin_users": sorted(authenticator.admin_users),
    "allowed_users": sorted(authenticator.allowed_users),
    "spawner_class": config.JupyterHub.spawner_class,
    "image": config.DockerSpawner.image,
    "volumes": config.DockerSpawner.volumes,
    "mem_limit": spawner.mem_limit,
    "mem_guarantee": spawner.mem_guarantee,
    "cpu_limit": spawner.cpu_limit,
    "default_url": spawner.default_url,
    "args": spawner.args,
    "start_timeout": spawner.start_timeout,
    "services": config.JupyterHub.services if "services" in config.JupyterHub else [],
}, default=str))
