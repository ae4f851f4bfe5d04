/*
 * Validates Kubernetes objects against the Kubernetes API's own OpenAPI schemas, as packaged by
 * `kubernetes-models` (types, required fields, enums, quantity and other formats). It does not
 * reject unknown fields, and it does not check object or container names against DNS rules: the
 * names are checked here (RBAC objects excepted), and unknown fields are left to the API server.
 */

/** kubernetes-models is ESM only; ts-node compiles tests to CommonJS, whose `import()` would become `require`. */
const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, any>>;

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** A Kubernetes object as it would be sent to the API server. */
export interface KubernetesObject {
    apiVersion: string;
    kind: string;
    metadata?: { name?: string; namespace?: string };
    [key: string]: unknown;
}

/** Whether kubernetes-models has a schema for this kind (custom resources have none). */
export async function hasSchema(object: KubernetesObject): Promise<boolean> {
    return (await modelOf(object)) !== undefined;
}

async function modelOf(object: KubernetesObject): Promise<(new (data: unknown) => { validate(): void }) | undefined> {
    const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
    let module: Record<string, any>;
    try {
        module = await importModule(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
    } catch {
        return undefined;
    }
    return module[object.kind];
}

/** Every schema problem of the object, as readable lines; empty when it is valid. */
export async function kubernetesObjectProblems(object: KubernetesObject): Promise<string[]> {
    const Model = await modelOf(object);
    const where = `${object.kind} ${object.metadata?.name ?? "(unnamed)"}`;
    if (!Model) {
        return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
    }
    const problems: string[] = [];
    try {
        new Model(object).validate();
    } catch (err) {
        problems.push(`${where}: ${(err as Error).message}`);
    }
    const name = object.metadata?.name;
    // RBAC objects are named by path segments (`cert-manager:leaderelection` is legal), all others by DNS rules.
    if (name !== undefined && !object.apiVersion.startsWith("rbac.authorization.k8s.io/") && !DNS_SUBDOMAIN.test(name)) {
        problems.push(`${where}: the name is not a DNS subdomain`);
    }
    for (const container of podContainers(object)) {
        if (!DNS_LABEL.test(container.name)) {
            problems.push(`${where}: container name "${container.name}" is not a DNS label`);
        }
    }
    return problems;
}

/** Containers and init containers of a pod or of a workload's pod template. */
function podContainers(object: KubernetesObject): { name: string }[] {
    const spec: any = object.kind === "Pod" ? object.spec
        : object.kind === "CronJob" ? (object.spec as any)?.jobTemplate?.spec?.template?.spec
            : (object.spec as any)?.template?.spec;
    return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}
