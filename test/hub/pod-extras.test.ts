import { strict as assert } from "node:assert";
import {
    HubSpec, Problem, clusterCapabilities, ec2Capabilities, eksCapabilities, gkeCapabilities, hubSpecProblems, toJupyterhubConfig,
    toZ2jhValues, validateEc2HubArgs, validateHubSpec, validatedHubSpec,
} from "../../components";
import { FULL_PLATFORM, MAXIMAL_SPEC, MINIMAL_SPEC, forCluster, forEc2 } from "../support/specs";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

/*
 * A pod extra of ServerSpec: `/dev/shm` in memory (`sharedMemory`),
 * as chart values, as DockerSpawner config on EC2, or refused by their paths.
 */

/** Renders for the full platform and checks against the chart's own schema. */
function renderValid(spec: HubSpec): Record<string, any> {
    const values = toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM);
    assert.deepEqual(z2jhSchemaErrors(values), [], "values fail the z2jh 4.4.0 schema");
    return values;
}

function withServer(spec: HubSpec, server: HubSpec["server"]): HubSpec {
    return { ...spec, server: { ...spec.server, ...server } };
}

function reasonsAt(problems: Problem[], propertyPath: string): string[] {
    return problems.filter((p) => p.propertyPath === propertyPath).map((p) => p.reason);
}

const SINGLE_VM = { workers: false as const, hub: { instanceType: "t4g.xlarge" } };

describe("server.sharedMemory: /dev/shm in memory", () => {
    it("is an in-memory emptyDir of that size at /dev/shm, beside the shared course folder", () => {
        const values = renderValid(withServer(MAXIMAL_SPEC, { sharedMemory: "768M" }));
        const storage = values.singleuser.storage;
        assert.deepEqual(storage.extraVolumes.map((v: { name: string }) => v.name),
            ["course-shared", "course-dataset-census", "course-dataset-satellite", "course-hubs-shared-memory"]);
        assert.deepEqual(storage.extraVolumes.at(-1), { name: "course-hubs-shared-memory", emptyDir: { medium: "Memory", sizeLimit: "768Mi" } });
        assert.deepEqual(storage.extraVolumeMounts.at(-1), { name: "course-hubs-shared-memory", mountPath: "/dev/shm" });
    });

    it("alone, without a shared folder, is the pod's only extra volume", () => {
        const values = renderValid(withServer(MINIMAL_SPEC, { sharedMemory: "1G" }));
        assert.deepEqual(values.singleuser.storage.extraVolumes, [{ name: "course-hubs-shared-memory", emptyDir: { medium: "Memory", sizeLimit: "1Gi" } }]);
        assert.deepEqual(values.singleuser.storage.extraVolumeMounts, [{ name: "course-hubs-shared-memory", mountPath: "/dev/shm" }]);
    });

    it("left out, renders no volume", () => {
        assert.equal(renderValid(MINIMAL_SPEC).singleuser.storage.extraVolumes, undefined);
    });

    it("is refused above the server's memory limit, or its default, by its path", () => {
        const above = validateHubSpec(withServer(MINIMAL_SPEC, { sharedMemory: "3G" }));
        assert.equal(above.length, 1);
        assert.match(reasonsAt(above, "spec.server.sharedMemory")[0], /more than the server's memory limit \(2G\).*raise server\.resources\.memoryLimit/);
        assert.deepEqual(validateHubSpec(withServer(MINIMAL_SPEC, { sharedMemory: "2G" })), [], "as much as the limit is allowed");
    });

    it("is refused above a profile's smaller memory limit, naming the profile", () => {
        const spec = withServer(MAXIMAL_SPEC, {
            resources: { memoryGuarantee: "1G", memoryLimit: "8G" },
            profiles: [{ slug: "small", displayName: "Small", resources: { memoryGuarantee: "1G", memoryLimit: "2G" } }, { slug: "big", displayName: "Big" }],
            sharedMemory: "4G",
        });
        const reasons = reasonsAt(validateHubSpec(spec), "spec.server.sharedMemory");
        assert.equal(reasons.length, 1, reasons.join("\n"));
        assert.match(reasons[0], /profile "small" \(2G\).*server\.profiles\[0\]\.resources\.memoryLimit/);
    });

    it("is served by every Kubernetes platform", () => {
        const spec = withServer(MINIMAL_SPEC, { sharedMemory: "1G" });
        for (const capabilities of [clusterCapabilities({}), eksCapabilities({}), gkeCapabilities({})]) {
            assert.deepEqual(hubSpecProblems(spec, capabilities), []);
        }
    });

    it("on EC2 in single-VM mode is Docker's shm_size, in bytes", () => {
        const spec = withServer(MINIMAL_SPEC, { sharedMemory: "1.5G" });
        assert.deepEqual(validateEc2HubArgs({ spec, ...SINGLE_VM }), []);
        const config = toJupyterhubConfig(validatedHubSpec(spec, ec2Capabilities(SINGLE_VM)), { swarm: false });
        assert.match(config, /^c\.DockerSpawner\.extra_host_config = \{"shm_size": 1610612736\}$/m);
        assert.doesNotMatch(toJupyterhubConfig(forEc2(MINIMAL_SPEC), { swarm: false }), /extra_host_config/);
    });

    it("on EC2 with workers is refused by its path: Swarm services have no /dev/shm size", () => {
        const problems = validateEc2HubArgs({ spec: withServer(MINIMAL_SPEC, { sharedMemory: "1G" }) });
        assert.match(reasonsAt(problems, "spec.server.sharedMemory").join(), /Docker Swarm services.*single-VM mode \(workers: false\)/);
    });
});
