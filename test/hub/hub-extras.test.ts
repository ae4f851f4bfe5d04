import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    HubSpec, clusterCapabilities, ec2Capabilities, eksCapabilities, gkeCapabilities, hubSpecProblems, toJupyterhubConfig, toZ2jhValues,
    validateHubSpec,
} from "../../components";
import { AUTH_SECRET_VARIABLE } from "../../components/hub/jupyterhub-config";
import { FULL_PLATFORM, MAXIMAL_SPEC, MINIMAL_SPEC, forCluster, forEc2 } from "../support/specs";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

/*
 * Hub-wide settings beyond the server itself: named servers (`server.namedServerLimit`), the
 * announcement, the idle culler's interval; as chart values checked against the chart's schema, and
 * as the VM hub's jupyterhub_config.py read back by real JupyterHub.
 */

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-hub-extras-"));

/**
 * The JupyterHub application's settings from a rendered jupyterhub_config.py, as real JupyterHub
 * (Debian's) and traitlets read and validate them, its classes aside.
 */
function jupyterHubReads(config: string): { allow_named_servers: boolean; named_server_limit_per_user: number; template_vars: Record<string, string> } {
    const file = path.join(fs.mkdtempSync(path.join(scratch, "config-")), "jupyterhub_config.py");
    fs.writeFileSync(file, config);
    const harness = [
        "import json, os, sys",
        "from jupyterhub.app import JupyterHub",
        "from traitlets.config import Config",
        "from traitlets.config.loader import PyFileConfigLoader",
        "config = PyFileConfigLoader(os.path.basename(sys.argv[1]), os.path.dirname(sys.argv[1])).load_config()",
        "# The authenticator and spawner classes (oauthenticator, dockerspawner) are not installed here.",
        "settings = {name: value for name, value in config.JupyterHub.items() if not name.endswith('_class')}",
        "hub = JupyterHub(config=Config({'JupyterHub': settings}))",
        "print(json.dumps({name: getattr(hub, name) for name in ('allow_named_servers', 'named_server_limit_per_user', 'template_vars')}))",
    ].join("\n");
    const env = { ...process.env, [AUTH_SECRET_VARIABLE]: "secret-from-the-environment" };
    return JSON.parse(execFileSync("/usr/bin/python3", ["-c", harness, file], { encoding: "utf8", env }));
}

function withNamedServers(spec: HubSpec, limit: number | undefined): HubSpec {
    return { ...spec, server: { ...spec.server, namedServerLimit: limit } };
}

describe("server.namedServerLimit: named servers besides the default one", () => {
    it("on Kubernetes is the chart's allowNamedServers and namedServerLimitPerUser, valid for the z2jh 4.4.0 schema", () => {
        const values = toZ2jhValues(forCluster(withNamedServers(MAXIMAL_SPEC, 3), FULL_PLATFORM), FULL_PLATFORM);
        assert.deepEqual(z2jhSchemaErrors(values), []);
        assert.equal(values.hub.allowNamedServers, true);
        assert.equal(values.hub.namedServerLimitPerUser, 3);
    });

    it("left out, leaves both to the chart, which allows no named server", () => {
        const values = toZ2jhValues(forCluster(MAXIMAL_SPEC, FULL_PLATFORM), FULL_PLATFORM);
        assert.ok(!("allowNamedServers" in values.hub) && !("namedServerLimitPerUser" in values.hub), JSON.stringify(values.hub));
    });

    for (const swarm of [true, false]) {
        it(`on EC2 (${swarm ? "with workers" : "single VM"}) reaches real JupyterHub: named servers allowed, at most that many`, () => {
            const config = toJupyterhubConfig(forEc2(withNamedServers(MINIMAL_SPEC, 4)), { swarm });
            const read = jupyterHubReads(config);
            assert.deepEqual([read.allow_named_servers, read.named_server_limit_per_user], [true, 4]);
        });
    }

    it("left out on EC2, JupyterHub allows no named server", () => {
        assert.equal(jupyterHubReads(toJupyterhubConfig(forEc2(MINIMAL_SPEC), { swarm: true })).allow_named_servers, false);
    });

    it("is served by every platform", () => {
        const spec = withNamedServers(MINIMAL_SPEC, 2);
        const platforms = [clusterCapabilities({}), eksCapabilities({}), gkeCapabilities({}), ec2Capabilities({}), ec2Capabilities({ workers: false })];
        for (const capabilities of platforms) {
            assert.deepEqual(hubSpecProblems(spec, capabilities), []);
        }
    });

    it("refuses no limit (0, which JupyterHub reads as unlimited), a fraction and more than 10, by its path", () => {
        for (const limit of [0, 1.5, 11]) {
            const problems = validateHubSpec(withNamedServers(MINIMAL_SPEC, limit));
            assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.server.namedServerLimit"], `${limit}: ${JSON.stringify(problems)}`);
        }
    });
});

describe("announcement: a notice on every page of the hub", () => {
    const spec: HubSpec = { ...MINIMAL_SPEC, displayName: "CS 101", announcement: "Closed Saturday <8-9am> for maintenance & updates" };
    const escaped = "Closed Saturday &#60;8-9am&#62; for maintenance &#38; updates";

    it("on Kubernetes is JupyterHub's announcement, escaped, and follows the course's name on the login page", () => {
        const values = toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM);
        assert.deepEqual(z2jhSchemaErrors(values), []);
        assert.deepEqual(values.hub.config.JupyterHub.template_vars, { announcement: escaped, announcement_login: `CS 101<br>${escaped}` });
    });

    it("on EC2 reaches real JupyterHub's template_vars alike", () => {
        const read = jupyterHubReads(toJupyterhubConfig(forEc2(spec), { swarm: true }));
        assert.deepEqual(read.template_vars, { announcement: escaped, announcement_login: `CS 101<br>${escaped}` });
    });

    it("left out, the login page shows the course's name only", () => {
        const courseName = { announcement_login: "cs101 (fall-2026)" };
        assert.deepEqual(jupyterHubReads(toJupyterhubConfig(forEc2(MINIMAL_SPEC), { swarm: false })).template_vars, courseName);
        assert.deepEqual(toZ2jhValues(forCluster(MINIMAL_SPEC), {}).hub.config.JupyterHub.template_vars, courseName);
    });

    it("escapes the course's name on the login page too: JupyterHub writes it as HTML", () => {
        const named = { ...MINIMAL_SPEC, displayName: "R & Python <intro>" };
        assert.deepEqual(toZ2jhValues(forCluster(named), {}).hub.config.JupyterHub.template_vars, { announcement_login: "R &#38; Python &#60;intro&#62;" });
        assert.deepEqual(jupyterHubReads(toJupyterhubConfig(forEc2(named), { swarm: false })).template_vars,
            { announcement_login: "R &#38; Python &#60;intro&#62;" });
    });

    it("refuses an empty announcement by its path", () => {
        assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, announcement: "" }).map((p) => p.propertyPath), ["spec.announcement"]);
    });
});

describe("culling.checkIntervalMinutes: how often the idle culler looks", () => {
    it("is the chart's cull.every and the VM culler's --cull-every, in seconds", () => {
        const spec: HubSpec = { ...MINIMAL_SPEC, culling: { idleTimeoutMinutes: 60, checkIntervalMinutes: 2 } };
        const values = toZ2jhValues(forCluster(spec), {});
        assert.deepEqual(z2jhSchemaErrors(values), []);
        assert.equal(values.cull.every, 120);
        assert.match(toJupyterhubConfig(forEc2(spec), { swarm: true }), /"--cull-every=120"/);
    });

    it("left out, is 10 minutes, or the idle timeout when shorter", () => {
        for (const [idleTimeoutMinutes, every] of [[60, 600], [5, 300]]) {
            const spec: HubSpec = { ...MINIMAL_SPEC, culling: { idleTimeoutMinutes } };
            assert.equal(toZ2jhValues(forCluster(spec), {}).cull.every, every);
            assert.match(toJupyterhubConfig(forEc2(spec), { swarm: false }), new RegExp(`"--cull-every=${every}"`));
        }
    });

    it("is refused above the idle timeout, or its default, by its path", () => {
        const above = validateHubSpec({ ...MINIMAL_SPEC, culling: { idleTimeoutMinutes: 30, checkIntervalMinutes: 31 } });
        assert.deepEqual(above.map((p) => p.propertyPath), ["spec.culling.checkIntervalMinutes"]);
        assert.match(above[0].reason, /idle timeout \(30 minutes\).*at most culling\.idleTimeoutMinutes/);
        assert.equal(validateHubSpec({ ...MINIMAL_SPEC, culling: { checkIntervalMinutes: 61 } }).length, 1);
        assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, culling: { checkIntervalMinutes: 60 } }), []);
    });
});
