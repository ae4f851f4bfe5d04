import { RecordedResource } from "../../plan/mock-engine";

/** A resource as the plan's mock engine records it, created (not read), with these inputs: for the cost model's pure tests. */
export function recordedResource(type: string, name: string, inputs: Record<string, unknown>): RecordedResource {
    return {
        type, name, inputs, id: `${name}-id`, urn: `urn:pulumi:test::course-hubs::${type}::${name}`, parentUrn: "", dependencies: [],
        custom: true, provider: "", read: false, retainOnDelete: false, protect: false,
    };
}
