"""Loads a rendered jupyterhub_config.py the way JupyterHub does (traitlets' Python config loader)
and reads the settings back through real JupyterHub classes, which validate and parse their traits
(memory sizes, user sets). Then calls the configured pre_spawn_hook the way JupyterHub does (awaiting
it when it is a coroutine) for a student whose name DockerSpawner escapes (and first for each further
[name, admin] user of argv[2], recorded apart), with a stand-in Docker client
library and file-system calls that record what the hook asked for. Prints it all as JSON for the
mocha test to compare with the spec. With FAKE_DOCKER_FAILS set, starting the container fails."""
import asyncio
import inspect
import json
import logging
import os
import sys
import types
from html.parser import HTMLParser

from jupyterhub.auth import Authenticator
from jupyterhub.spawner import Spawner
from traitlets.config.loader import PyFileConfigLoader

os.environ["COURSE_HUB_AUTH_SECRET"] = "secret-from-the-environment"
os.environ["COURSE_HUB_AUTH_SECRET_2"] = "second-secret-from-the-environment"

# What the hook does, recorded instead of done: no /srv/course and no Docker engine here.
recorded = {"made": [], "chowned": [], "containers": [], "removed": 0, "logged": []}
os.makedirs = lambda path, exist_ok=False: recorded["made"].append(path)
os.chown = lambda path, uid, gid: recorded["chowned"].append([path, uid, gid])


class FakeContainer:
    def wait(self, timeout=None):
        recorded["wait_timeout"] = timeout
        return {"StatusCode": 0}

    def logs(self):
        return b"course-hubs: cloned main of the repository"

    def remove(self, force=False):
        recorded["removed"] += 1


class FakeContainers:
    def run(self, image, **kwargs):
        recorded["containers"].append({"image": image, **kwargs})
        if os.environ.get("FAKE_DOCKER_FAILS"):
            raise RuntimeError("Error response from daemon: pull access denied")
        return FakeContainer()


docker = types.ModuleType("docker")
docker.from_env = lambda **kwargs: types.SimpleNamespace(containers=FakeContainers())
sys.modules["docker"] = docker

path = sys.argv[1]
config = PyFileConfigLoader(os.path.basename(path), os.path.dirname(path)).load_config()
authenticator = Authenticator(config=config)
spawner = Spawner(config=config)


class Log:
    def info(self, message, *args):
        recorded["logged"].append(message % args)

    def exception(self, message, *args):
        recorded["logged"].append("EXCEPTION " + message % args)


def escaped(name):
    """DockerSpawner's escaped name (escapism with "-"): "jane.doe" becomes "jane-2edoe"."""
    safe = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(chr(b) if chr(b) in safe else "-%02x" % b for b in name.encode("utf-8")).lower()


def spawn(name, admin):
    """Calls the hook for a user's spawner as JupyterHub does; returns the volumes it binds, as DockerSpawner formats them."""
    spawner = types.SimpleNamespace(
        user=types.SimpleNamespace(name=name, admin=admin),
        log=Log(),
        volumes=config.DockerSpawner.volumes,
        format_volume_name=lambda template, s: template.format(username=escaped(name), raw_username=name),
    )
    result = config.Spawner.pre_spawn_hook(spawner)
    if inspect.isawaitable(result):
        asyncio.run(result)
    return {spawner.format_volume_name(host, spawner): bind for host, bind in spawner.volumes.items()}


# Further users to spawn (argv[2], [[name, admin], ...]): what each gets, recorded apart from the student's.
others = {}
for name, admin in json.loads(sys.argv[2]) if len(sys.argv) > 2 else []:
    others[name] = {"volumes": spawn(name, admin), "made": list(recorded["made"]), "chowned": list(recorded["chowned"])}
    recorded.update(made=[], chowned=[], containers=[], removed=0, logged=[])
    recorded.pop("wait_timeout", None)
student_volumes = spawn("jane.doe", False)
for container in recorded["containers"]:
    container["volumes"] = {host: dict(bind) for host, bind in container["volumes"].items()}



class OptionsForm(HTMLParser):
    """The choices of the server options page, as a browser reads the form's HTML."""

    def __init__(self, form):
        super().__init__()
        self.choices = []
        self.field = None
        self.in_option = False
        self.feed(form)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.field = attrs.get("name")
        elif tag == "option":
            self.choices.append({"field": self.field, "value": attrs.get("value"), "selected": "selected" in attrs, "label": ""})
            self.in_option = True

    def handle_endtag(self, tag):
        self.in_option = self.in_option and tag != "option"

    def handle_data(self, data):
        if self.in_option:
            self.choices[-1]["label"] += data


print(json.dumps({
    "authenticator_class": config.JupyterHub.authenticator_class,
    "authenticator": {
        name: dict(section) for name, section in config.items() if name.endswith("Authenticator") and name != "Authenticator"
    },
    "admin_users": sorted(authenticator.admin_users),
    "allowed_users": sorted(authenticator.allowed_users),
    "spawner_class": config.JupyterHub.spawner_class,
    "image": config.DockerSpawner.image,
    "allowed_images": config.DockerSpawner.allowed_images if "allowed_images" in config.DockerSpawner else None,
    "options": OptionsForm(config.DockerSpawner.options_form).choices if "options_form" in config.DockerSpawner else None,
    "volumes": config.DockerSpawner.volumes,
    "post_start_cmd": config.DockerSpawner.post_start_cmd if "post_start_cmd" in config.DockerSpawner else None,
    "mem_limit": spawner.mem_limit,
    "mem_guarantee": spawner.mem_guarantee,
    "cpu_limit": spawner.cpu_limit,
    "default_url": spawner.default_url,
    "environment": spawner.environment,
    "args": spawner.args,
    "start_timeout": spawner.start_timeout,
    "services": config.JupyterHub.services if "services" in config.JupyterHub else [],
    "pre_spawn": recorded,
    "student_volumes": student_volumes,
    "others": others,
}, default=str))
