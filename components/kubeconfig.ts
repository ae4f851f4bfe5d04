/** A cluster's address and the credential plugin that gets a token for each use. */
export interface ExecKubeconfigArgs {
    clusterName: string;
    /** API server URL, `https://...`. */
    server: string;
    certificateAuthorityData: string;
    /** The `exec` credential plugin entry (command, args, ...). */
    exec: Record<string, unknown>;
}

/**
 * A kubeconfig whose user runs a credential plugin on every use: nothing in it is a credential,
 * and access follows the caller's cloud identity. Written as JSON, which kubectl reads as YAML.
 */
export function execKubeconfig(args: ExecKubeconfigArgs): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: args.clusterName, cluster: { server: args.server, "certificate-authority-data": args.certificateAuthorityData } }],
        contexts: [{ name: args.clusterName, context: { cluster: args.clusterName, user: args.clusterName } }],
        "current-context": args.clusterName,
        users: [{
            name: args.clusterName,
            user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", interactiveMode: "Never", ...args.exec } },
        }],
    });
}
