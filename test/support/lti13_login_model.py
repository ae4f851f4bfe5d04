"""A stand-in of jupyterhub-ltiauthenticator 1.6.3's LTI13Authenticator (the one of the z2jh 4.4.0
hub image and of the EC2 hub; not installable here) and of JupyterHub 5.5.1's order of login
checks, so that a hub's login config runs with real traitlets and JupyterHub's own Authenticator.
Written by hand from the upstream sources, not from the code under test:

- ltiauthenticator 1.6.3 lti13/auth.py: traits issuer, client_id (a set), authorize_url,
  jwks_endpoint, username_key ("email"), uri_scheme (l. 42-130); authenticate (l. 168-189)
  returns the name and the verified launch token as auth_state, no admin; get_username
  (l. 191-219) reads username_key ("custom_" in the custom claim), else `sub`.
- JupyterHub 5.5.1 auth.py get_authenticated_user (l. 715-757): admin defaults to None, the name
  is normalized, blocked_users checked, then allow_all, which skips check_allowed (a name of
  allowed_users); past them, a None admin becomes True for a name of admin_users (is_admin,
  l. 791-806), then post_auth_hook runs. handlers/base.py l. 927-941: an admin that is not None
  becomes the user's.

usage: lti13_login_model.py <jupyterhub_config.py> <launch tokens json: [{claim: value}, ...]>
prints {"authenticator_class": ..., "logins": ["<name> as admin" | "<name> as user" | "<name> unchanged" | "refused"]}
"""
import asyncio
import json
import os
import sys
import types

from jupyterhub.auth import Authenticator
from traitlets import Bool, CaselessStrEnum, Set, Unicode
from traitlets.config.loader import PyFileConfigLoader

CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"


class LTI13Authenticator(Authenticator):
    """ltiauthenticator 1.6.3's LTI13Authenticator: its traits and how it names a launched user."""

    allow_all = Bool(False, config=True)
    authorize_url = Unicode(config=True)
    client_id = Set(Unicode(), config=True)
    issuer = Unicode(config=True)
    jwks_endpoint = Unicode(config=True)
    username_key = Unicode("email", config=True)
    uri_scheme = CaselessStrEnum(("auto", "https", "http"), default_value="auto", config=True)

    async def authenticate(self, handler, data):
        key, claims = self.username_key or "sub", data
        if key.startswith("custom_"):
            key, claims = key[len("custom_"):], data.get(CUSTOM_CLAIM, {})
        return {"name": claims.get(key) or data["sub"], "auth_state": data}


async def log_in(authenticator, token):
    """JupyterHub 5.5.1's get_authenticated_user, then what auth_to_user makes of `admin`."""
    model = await authenticator.authenticate(None, token)
    model.setdefault("admin", None)
    name = model["name"] = authenticator.normalize_username(model["name"])
    if name in authenticator.blocked_users:
        return "refused"
    if not (authenticator.allow_all or name in authenticator.allowed_users):
        return "refused"
    if model["admin"] is None:
        model["admin"] = True if name in authenticator.admin_users else None
    if authenticator.post_auth_hook is not None:
        model = authenticator.post_auth_hook(authenticator, None, model)
    return f"{name} " + {True: "as admin", False: "as user", None: "unchanged"}[model["admin"]]


def main(config_file, tokens):
    module = types.ModuleType("ltiauthenticator.lti13.auth")
    module.LTI13Authenticator = LTI13Authenticator
    for name in ("ltiauthenticator", "ltiauthenticator.lti13"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["ltiauthenticator.lti13.auth"] = module
    config = PyFileConfigLoader(os.path.basename(config_file), os.path.dirname(config_file)).load_config()
    class_name = config.JupyterHub.authenticator_class
    if class_name != "ltiauthenticator.lti13.auth.LTI13Authenticator":
        raise SystemExit(f"authenticator_class is {class_name!r}, not ltiauthenticator 1.6.3's LTI13Authenticator")
    authenticator = LTI13Authenticator(config=config)
    # JupyterHub 5.5.1 app.py normalizes the listed names at start and lets admins in where allowed_users is set.
    authenticator.admin_users = {authenticator.normalize_username(n) for n in authenticator.admin_users}
    authenticator.allowed_users = {authenticator.normalize_username(n) for n in authenticator.allowed_users}
    if authenticator.allowed_users:
        authenticator.allowed_users |= authenticator.admin_users
    logins = [asyncio.run(log_in(authenticator, token)) for token in tokens]
    print(json.dumps({"authenticator_class": class_name, "logins": logins}))


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
