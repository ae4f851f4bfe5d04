/*
 * Every upstream version course-hubs deploys, in one place: Kubernetes, Helm charts, images and the
 * packages of the EC2 hub. Each pin names where it comes from and when it was released, and, where
 * upstream publishes one, when its support ends. test/versions.test.ts holds the compatibility rules
 * (the autoscaler's minor is the cluster's, each chart's appVersion is the image it runs, every
 * chart and controller supports the cluster version, kubectl is within one minor, nothing is past
 * its end of life on the day of this release). Change a pin here and the rules check it.
 */

/** The day these pins were last reviewed against upstream; nothing may be past end of life on it. */
export const PINS_REVIEWED = "2026-11-25";

/** Where a pin comes from and how long it is supported. */
export interface Provenance {
    /** Upstream repository (GitHub `owner/name`) or registry the pin is published in. */
    source: string;
    /** Release date of the pinned version (YYYY-MM-DD). */
    released: string;
    /** When upstream stops fixing this version (YYYY-MM-DD), where upstream says. */
    endOfLife?: string;
}

/** A Helm chart at a pinned version. */
export interface ChartPin extends Provenance {
    /** Chart name in its repository. */
    chart: string;
    /** Chart version, as `helm install --version` takes it. */
    version: string;
    /** Helm repository URL. */
    repository: string;
    /** The chart's own `appVersion`: the version of the software it deploys. */
    appVersion: string;
    /** The chart's `kubeVersion` constraint, as its Chart.yaml states it; absent when it states none. */
    kubeVersion?: string;
    /** Kubernetes minors the software itself supports, as upstream documents them. */
    supportsKubernetes: { min: string; max: string };
    /** The git tag and commit the chart is released from (for reading its source). */
    tag: string;
    commit?: string;
}

/** A container image at a pinned tag. */
export interface ImagePin extends Provenance {
    name: string;
    tag: string;
}

/** Kubernetes minor of new EKS clusters. */
export const EKS_KUBERNETES = {
    version: "1.35",
    source: "Amazon EKS Kubernetes release calendar",
    released: "2026-01-27",
    // EKS standard support ends here; extended support then costs $0.60 an hour instead of $0.10.
    endOfLife: "2027-03-27",
} as const;

/** Helm charts the components install. */
export const CHARTS = {
    /** Zero to JupyterHub: the course hub on Kubernetes. */
    jupyterhub: {
        chart: "jupyterhub",
        version: "4.4.0",
        repository: "https://hub.jupyter.org/helm-chart/",
        appVersion: "5.5.0",
        kubeVersion: ">=1.28.0-0",
        supportsKubernetes: { min: "1.28", max: "1.35" },
        source: "jupyterhub/zero-to-jupyterhub-k8s",
        tag: "4.4.0",
        commit: "5c5f5df751588a68a7781ead01d0f62e88e2e72f",
        released: "2026-06-10",
    },
} satisfies Record<string, ChartPin>;

/** Images the components run outside any chart's defaults. */
export const IMAGES = {
    /** z2jh's sample single-user image: the server image when a spec names none. */
    singleuserSample: {
        name: "quay.io/jupyterhub/k8s-singleuser-sample",
        tag: "4.4.0",
        source: "jupyterhub/zero-to-jupyterhub-k8s",
        released: "2026-06-10",
    },
    /** kubectl for the lecture pre-warm CronJobs; within one minor of the cluster (kubectl's skew policy). */
    kubectl: {
        name: "registry.k8s.io/kubectl",
        tag: "v1.35.0",
        source: "kubernetes/kubernetes",
        released: "2025-12-17",
    },
    /** The pause container of pullers that only pre-pull images (the tag z2jh 4.4.0 uses). */
    pause: {
        name: "registry.k8s.io/pause",
        tag: "3.10.1",
        source: "kubernetes/kubernetes (build/pause)",
        released: "2025-05-06",
    },
    /** Git for the course-content init container: any notebook image gets its material. */
    git: {
        name: "docker.io/alpine/git",
        tag: "v2.49.1",
        source: "alpine-docker/git",
        released: "2025-07-01",
    },
} satisfies Record<string, ImagePin>;
