"""
Removes what a course hub leaves behind in its namespace, before the hub's own objects go: the
course-teardown chart runs it as a pre-delete hook, that is when `helm uninstall` removes the
release, which Pulumi does first on `pulumi destroy` (the release depends on everything else of
the hub). Its steps, in this order:

1. Scale the hub's Deployment to zero and wait until its pods are gone, so that no
   user server starts while the rest goes (the culler goes with the hub). HUB_SELECTOR selects
   the hub's pods.
2. Delete the user servers (USER_SERVER_SELECTOR) KubeSpawner started and wait until they are
   gone. They belong to no Helm release, so uninstalling the chart leaves them running, and their
   volumes in use: Kubernetes keeps a claim that a pod mounts.
3. Scale the Deployments of storage servers (STORAGE_SERVER_SELECTOR: the NFS server of homes on
   a shared file system) to zero and wait until their pods are gone: only now, since a server
   whose NFS server went first cannot unmount its home and never ends; and before the claims,
   since the NFS server mounts the claim of the disk that holds every home.
4. Delete every Service of type LoadBalancer and wait until it is gone: the
   service controller removes it only once the cloud's load balancer is deleted.
5. Delete every PersistentVolumeClaim, wait until they are gone, then until every
   volume they were bound to with reclaim policy Delete is gone. Its provisioner deletes the disk
   behind it first, and only while the CSI driver and the nodes it runs on still exist; a volume
   with reclaim policy Retain is kept by design.

A step waits until nothing is left, deleting again whatever appears meanwhile, and gives up after
DEADLINE_SECONDS in all, naming what is still there; the hook then fails and `pulumi destroy`
stops before anything that would leave a billable disk or load balancer behind. It talks to the
API server the pod's environment names, or to KUBERNETES_API_URL when set (the tests' fake one).

Python's standard library only: the chart runs it in the hub's image, already on the node.
"""
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"


class Fatal(Exception):
    """A failure that waiting cannot cure: the hook fails with this message."""


class Unavailable(Exception):
    """The API server did not answer, or answered with an error worth trying again."""


class Kubernetes:
    """The few calls of the Kubernetes API this script makes, as the pod's service account."""

    def __init__(self, url, token_file, ca_file):
        self.url = url.rstrip("/")
        self.token_file = token_file
        self.tls = ssl.create_default_context(cafile=ca_file) if os.path.exists(ca_file) else None

    def call(self, method, path, query=None, body=None, content_type="application/json"):
        """The decoded answer; None when the object is not there (404)."""
        url = self.url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        headers = {"Accept": "application/json"}
        if os.path.exists(self.token_file):
            # Read for every call: the kubelet replaces the projected token before it expires.
            with open(self.token_file, encoding="utf-8") as token:
                headers["Authorization"] = "Bearer " + token.read().strip()
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, context=self.tls, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            detail = error.read().decode("utf-8", errors="replace")
            if error.code == 429 or error.code >= 500:
                raise Unavailable(f"{method} {path}: HTTP {error.code}") from None
            raise Fatal(f"{method} {path}: HTTP {error.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as error:
            raise Unavailable(f"{method} {path}: {error}") from None

    def items(self, path, **query):
        answer = self.call("GET", path, query)
        return answer["items"] if answer else []

    def delete(self, path):
        self.call("DELETE", path)


class Deadline:
    """One deadline for every step, and the polling each step waits with."""

    def __init__(self, seconds, poll_seconds):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.poll_seconds = poll_seconds

    def until_none_left(self, what, remaining):
        """Calls `remaining` (which may delete as it goes) until it names nothing."""
        shown = None
        while True:
            try:
                names = remaining()
            except Unavailable as error:
                say(f"{what}: {error}; trying again")
                names = shown
            if names == []:
                say(f"{what}: none left")
                return
            if names is not None and names != shown:
                say(f"waiting for {what}: {', '.join(names)}")
                shown = names
            if time.monotonic() >= self.end:
                raise Fatal(
                    f"gave up after {self.seconds} seconds waiting for {what}: {', '.join(shown or ['(API server unreachable)'])}. "
                    "Find out why with kubectl describe, then run pulumi destroy again."
                )
            time.sleep(self.poll_seconds)


def say(message):
    print(message, flush=True)


def names_of(items):
    return sorted(item["metadata"]["name"] for item in items)


def delete_until_none_left(api, deadline, what, collection, selected=lambda item: True, **query):
    """Deletes the chosen objects of a collection, and any that appear meanwhile, until none is left."""
    def remaining():
        items = [item for item in api.items(collection, **query) if selected(item)]
        for item in items:
            if not item["metadata"].get("deletionTimestamp"):
                api.delete(f"{collection}/{item['metadata']['name']}")
        return names_of(items)
    deadline.until_none_left(what, remaining)


def scale_to_zero(api, deadline, namespace, selector, what):
    """Scales the Deployments the selector selects to zero and waits until the pods it selects are gone."""
    deployments = f"/apis/apps/v1/namespaces/{namespace}/deployments"
    pods = f"/api/v1/namespaces/{namespace}/pods"

    def remaining():
        for deployment in api.items(deployments, labelSelector=selector):
            if deployment["spec"].get("replicas") != 0:
                name = deployment["metadata"]["name"]
                api.call("PATCH", f"{deployments}/{name}/scale", body={"spec": {"replicas": 0}}, content_type="application/merge-patch+json")
                say(f"scaled Deployment {name} to zero")
        return names_of(api.items(pods, labelSelector=selector))
    deadline.until_none_left(f"{what} ({selector})", remaining)


def stop_user_servers(api, deadline, namespace, selector):
    delete_until_none_left(api, deadline, f"user servers ({selector})", f"/api/v1/namespaces/{namespace}/pods", labelSelector=selector)


def delete_load_balancers(api, deadline, namespace):
    delete_until_none_left(
        api, deadline, "Services of type LoadBalancer", f"/api/v1/namespaces/{namespace}/services",
        selected=lambda service: service["spec"].get("type") == "LoadBalancer",
    )


def delete_claims(api, deadline, namespace):
    delete_until_none_left(api, deadline, "PersistentVolumeClaims", f"/api/v1/namespaces/{namespace}/persistentvolumeclaims")

    # Volumes are found by their claim's namespace, not remembered from the claims: a second run
    # of this hook, after a first one gave up, finds the claims already gone.
    reported_kept = []

    def undeleted():
        volumes = [v for v in api.items("/api/v1/persistentvolumes") if (v["spec"].get("claimRef") or {}).get("namespace") == namespace]
        # The API server gives every volume a reclaim policy; one created by hand without it gets Retain.
        kept = names_of([v for v in volumes if v["spec"].get("persistentVolumeReclaimPolicy", "Retain") == "Retain"])
        if kept and kept != reported_kept:
            say(f"kept by their reclaim policy Retain: {', '.join(kept)}")
            reported_kept[:] = kept
        return sorted(describe_volume(v) for v in volumes if v["spec"].get("persistentVolumeReclaimPolicy") == "Delete")
    deadline.until_none_left("volumes with reclaim policy Delete, and the disks behind them", undeleted)


def describe_volume(volume):
    status = volume.get("status", {})
    return f"{volume['metadata']['name']} ({status.get('phase', 'unknown')}" + (f": {status['message']}" if status.get("message") else "") + ")"


def in_cluster_url():
    host, port = os.environ["KUBERNETES_SERVICE_HOST"], os.environ["KUBERNETES_SERVICE_PORT"]
    return f"https://[{host}]:{port}" if ":" in host else f"https://{host}:{port}"


def main():
    settings = os.environ
    namespace = settings["NAMESPACE"]
    api = Kubernetes(settings.get("KUBERNETES_API_URL") or in_cluster_url(), f"{SERVICE_ACCOUNT}/token", f"{SERVICE_ACCOUNT}/ca.crt")
    deadline = Deadline(int(settings["DEADLINE_SECONDS"]), float(settings.get("POLL_SECONDS", "5")))
    say(f"tearing down namespace {namespace}")
    try:
        scale_to_zero(api, deadline, namespace, settings["HUB_SELECTOR"], "hub pods")
        stop_user_servers(api, deadline, namespace, settings["USER_SERVER_SELECTOR"])
        scale_to_zero(api, deadline, namespace, settings["STORAGE_SERVER_SELECTOR"], "storage server pods")
        delete_load_balancers(api, deadline, namespace)
        delete_claims(api, deadline, namespace)
    except (Fatal, Unavailable) as error:
        say(f"teardown of {namespace} failed: {error}")
        return 1
    say(f"teardown of {namespace} complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
