/** What a kubeconfig for an EKS cluster needs. */
export interface EksClusterAccess {
    clusterName: string;
    endpoint: string;
    certificateAuthorityData: string;
    region: string;
}

/**
 * A kubeconfig that gets a short-lived token from `aws eks get-token` on every use: nothing in
 * it is a credential, and access follows the caller's AWS identity and EKS access entries.
 */
export function eksExecKubeconfig(access: EksClusterAccess): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: access.clusterName, cluster: { server: access.endpoint, "certificate-authority-data": access.certificateAuthorityData } }],
        contexts: [{ name: access.clusterName, context: { cluster: access.clusterName, user: access.clusterName } }],
        "current-context": access.clusterName,
        users: [{
            name: access.clusterName,
            user: {
                exec: {
                    apiVersion: "client.authentication.k8s.io/v1beta1",
                    command: "aws",
                    args: ["eks", "get-token", "--cluster-name", access.clusterName, "--region", access.region, "--output", "json"],
                    interactiveMode: "Never",
                },
            },
        }],
    });
}
