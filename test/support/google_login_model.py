"""A stand-in of oauthenticator 17.4.0's GoogleOAuthenticator, the one of the z2jh 4.4.0 hub image
and of the EC2 hub (oauthenticator is not installable here), and JupyterHub 5.5's order of login
checks, so that a hub's login config runs with real traitlets and JupyterHub's own Authenticator.
Written by hand from the upstream sources, not from the code under test:

- oauthenticator 17.4.0 google.py: hosted_domain is a list, lowercased (l. 151-200);
  strip_domain defaults to `len(hosted_domain) <= 1` (l. 138-140); user_info_to_username
  (l. 216-234) takes the email (username_claim "email"), stripped of "@domain" when strip_domain
  is on and the domain is one of hosted_domain. check_blocked_users (l. 270-290) blocks an account
  whose `hd` claim is not one of hosted_domain, when that is set, and defers to its parent
  otherwise. check_allowed (l. 292-324) answers True for no auth model, refuses an unverified
  email with a 403, then asks OAuthenticator.check_allowed.
- oauthenticator 17.4.0 oauth2.py: allow_all is OAuthenticator's own Bool (l. 302); the auth
  model's admin is True for a name of admin_users, else None (l. 1457); check_allowed
  (l. 1468-1516) admits allow_all, an admin, a name of allowed_users. OAuthenticator does not
  override check_blocked_users: the parent is Authenticator's (blocked_users).
- JupyterHub 5.5.0 app.py l. 2141-2182: admin_users and allowed_users normalized at start, admins
  added to allowed_users when that is set. auth.py get_authenticated_user (l. 691-760): the name
  normalized, check_blocked_users (awaited), then allow_all, which skips check_allowed, else
  check_allowed; an admin is a name of admin_users.

Used as a module (install(), start(), log_in()) by run_chart_hub_config.py, and as a script:

usage: google_login_model.py <jupyterhub_config.py> <people json: [{"email", "hd"?, "verified_email"}, ...]>
prints {"authenticator_class": name of the class the config makes, "logins": [outcome of each person's login]}
"""
import asyncio
import inspect
import json
import os
import sys
import types

from jupyterhub.auth import Authenticator
from tornado.web import HTTPError
from traitlets import Bool, List, Unicode, default, validate


class GoogleOAuthenticator(Authenticator):
    """oauthenticator 17.4.0's GoogleOAuthenticator, its login checks and the settings course-hubs renders."""

    user_auth_state_key = "google_user"
    client_id = Unicode(config=True)
    client_secret = Unicode(config=True)
    oauth_callback_url = Unicode(config=True)
    allow_all = Bool(False, config=True)
    strip_domain = Bool(config=True)
    hosted_domain = List(Unicode(), config=True)

    @default("strip_domain")
    def _strip_if_single_domain(self):
        return len(self.hosted_domain) <= 1

    @validate("hosted_domain")
    def _lowercase(self, proposal):
        return [domain.lower() for domain in proposal.value]

    def user_info_to_username(self, user_info):
        username = user_info["email"]
        if self.strip_domain and user_info["email"].split("@")[1].lower() in self.hosted_domain:
            username = username.split("@")[0]
        return username

    def check_blocked_users(self, username, auth_model):
        hd = auth_model["auth_state"][self.user_auth_state_key].get("hd", "")
        if self.hosted_domain and hd not in self.hosted_domain:
            return False
        return super().check_blocked_users(username, auth_model)

    async def check_allowed(self, username, auth_model):
        if auth_model is None:
            return True
        user_info = auth_model["auth_state"][self.user_auth_state_key]
        if not user_info["verified_email"]:
            raise HTTPError(403, f"Login with unverified email {user_info['email']} is not allowed")
        return self.allow_all or bool(auth_model["admin"]) or username in self.allowed_users


def install():
    """Makes `oauthenticator.google` (and the `google` entry point) this stand-in."""
    package = types.ModuleType("oauthenticator")
    package.google = types.ModuleType("oauthenticator.google")
    package.google.GoogleOAuthenticator = GoogleOAuthenticator
    sys.modules["oauthenticator"] = package
    sys.modules["oauthenticator.google"] = package.google


def start(config):
    """The authenticator `config` makes, its lists as JupyterHub 5.5 leaves them at start."""
    chosen = config.JupyterHub.authenticator_class
    cls = {"google": GoogleOAuthenticator}[chosen] if isinstance(chosen, str) else chosen
    authenticator = cls(config=config)
    authenticator.admin_users = {authenticator.normalize_username(name) for name in authenticator.admin_users}
    authenticator.allowed_users = {authenticator.normalize_username(name) for name in authenticator.allowed_users}
    if authenticator.allowed_users and authenticator.admin_users:
        authenticator.allowed_users |= authenticator.admin_users
    return authenticator


async def _outcome(authenticator, user_info):
    username = authenticator.normalize_username(authenticator.user_info_to_username(user_info))
    admin = True if username in authenticator.admin_users else None
    auth_model = {"name": username, "admin": admin, "auth_state": {authenticator.user_auth_state_key: user_info}}
    try:
        blocked_pass = authenticator.check_blocked_users(username, auth_model)
        if inspect.isawaitable(blocked_pass):
            blocked_pass = await blocked_pass
        if not blocked_pass:
            return "blocked"
        if not (authenticator.allow_all or await authenticator.check_allowed(username, auth_model)):
            return "not allowed"
    except HTTPError as error:
        return f"refused ({error.status_code})"
    return f"logged in as {username}{' (admin)' if admin else ''}"


def log_in(authenticator, people):
    """What becomes of each person's Google login, in order."""
    return [asyncio.run(_outcome(authenticator, person)) for person in people]


if __name__ == "__main__":
    from traitlets.config.loader import PyFileConfigLoader

    install()
    path = sys.argv[1]
    hub = start(PyFileConfigLoader(os.path.basename(path), os.path.dirname(path)).load_config())
    print(json.dumps({"authenticator_class": type(hub).__name__, "logins": log_in(hub, json.loads(sys.argv[2]))}))
