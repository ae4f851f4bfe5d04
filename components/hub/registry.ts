import { ImagePullSecretSpec } from "./spec";

/*
 * A private registry's credential as kubelet reads it from a `kubernetes.io/dockerconfigjson`
 * Secret named in a pod's `imagePullSecrets`: Docker's config file, one entry under `auths`.
 */

/** Secret of type `kubernetes.io/dockerconfigjson` in the hub's namespace that the servers' pods pull with. */
export const IMAGE_PULL_SECRET = "course-image-pull";

/**
 * Docker Hub's entry: kubelet keys an entry by its host (`https://index.docker.io/v1/` becomes
 * `index.docker.io`) and gives that one to every Docker Hub image, named `docker.io/...` or without a
 * registry (kubernetes pkg/credentialprovider/keyring.go, `BasicDockerKeyring.Add` and `Lookup`'s
 * `isDefaultRegistryMatch`); a `docker.io` entry would match only images named `docker.io/...`.
 */
const DOCKER_HUB_ENTRY = "https://index.docker.io/v1/";

/** The `.dockerconfigjson` of a registry credential, its password in plain text: only ever inside a Pulumi secret. */
export function dockerConfigJson(credential: Omit<ImagePullSecretSpec, "password">, password: string): string {
    const entry = credential.registry === "docker.io" || credential.registry === "index.docker.io" ? DOCKER_HUB_ENTRY : credential.registry;
    const auth = Buffer.from(`${credential.username}:${password}`, "utf8").toString("base64");
    return JSON.stringify({ auths: { [entry]: { username: credential.username, password, auth } } });
}
