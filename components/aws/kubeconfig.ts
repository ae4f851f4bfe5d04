import { execKubeconfig } from "../kubeconfig";

/** What a kubeconfig for an EKS cluster needs. */
export interface EksClusterAccess {
    clusterName: string;
    endpoint: string;
    certificateAuthorityData: string;
    region: string;
}

/** A kubeconfig that gets a short-lived token from `aws eks get-token` on every use. */
export function eksExecKubeconfig(access: EksClusterAccess): string {
    return execKubeconfig({
        clusterName: access.clusterName,
        server: access.endpoint,
        certificateAuthorityData: access.certificateAuthorityData,
        exec: { command: "aws", args: ["eks", "get-token", "--cluster-name", access.clusterName, "--region", access.region, "--output", "json"] },
    });
}
