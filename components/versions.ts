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
    /** The chart's folder in its repository at that commit. */
    path: string;
}

/** A container image at a pinned tag. */
export interface ImagePin extends Provenance {
    name: string;
    tag: string;
}

/** How EKS supports a Kubernetes minor on a given day. */
export type EksSupport = "standard" | "extended" | "unsupported";

/** When EKS's support of one Kubernetes minor ends: each date is the first day (from 00:00 UTC) without it. */
export interface EksSupportWindow {
    /**
     * End of standard support (YYYY-MM-DD). From this day a cluster of the minor is billed for
     * extended support ($0.60 an hour instead of $0.10), or, with `upgradePolicy: { supportType:
     * "STANDARD" }` (EksHub's), EKS upgrades its control plane to the next minor.
     */
    endOfStandardSupport: string;
    /** End of extended support (YYYY-MM-DD): from this day EKS upgrades every cluster of the minor. */
    endOfExtendedSupport: string;
}

/**
 * EKS's Kubernetes release calendar: the minors EKS offers and when their support ends, so that
 * validators can refuse a version past standard support and the offline plan can price the
 * control plane. Extended support lasts twelve months after standard support.
 */
export const EKS_SUPPORT_CALENDAR = {
    source: "awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc (1.30-1.34); endoflife.date/amazon-eks (1.35, 1.36)",
    minors: {
        "1.30": { endOfStandardSupport: "2025-07-23", endOfExtendedSupport: "2026-07-23" },
        "1.31": { endOfStandardSupport: "2025-11-26", endOfExtendedSupport: "2026-11-26" },
        "1.32": { endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
        "1.33": { endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
        "1.34": { endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
        "1.35": { endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
        "1.36": { endOfStandardSupport: "2027-08-02", endOfExtendedSupport: "2028-08-02" },
    },
} satisfies { source: string; minors: Record<string, EksSupportWindow> };

/** When EKS's support of Kubernetes `version` (a minor such as "1.35") ends; undefined for a minor the calendar does not list. */
export function eksSupportWindow(version: string): EksSupportWindow | undefined {
    const minors: Record<string, EksSupportWindow> = EKS_SUPPORT_CALENDAR.minors;
    return Object.prototype.hasOwnProperty.call(minors, version) ? minors[version] : undefined;
}

/**
 * How EKS supports Kubernetes `version` (a minor such as "1.35") on `date` (YYYY-MM-DD, UTC):
 * `standard` before its end of standard support, `extended` from that day (billed from 00:00 UTC),
 * `unsupported` from its end of extended support on; undefined for a minor the calendar does not list.
 */
export function eksSupportOn(version: string, date: string): EksSupport | undefined {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        throw new Error(`eksSupportOn: date "${date}" is not a day such as 2026-11-25 (YYYY-MM-DD)`);
    }
    const window = eksSupportWindow(version);
    if (window === undefined) {
        return undefined;
    }
    return date < window.endOfStandardSupport ? "standard" : date < window.endOfExtendedSupport ? "extended" : "unsupported";
}

/**
 * Let's Encrypt's ACME directories: production, and staging, whose certificates browsers do not
 * trust but whose rate limits a first try cannot reach.
 */
export const LETS_ENCRYPT = {
    production: "https://acme-v02.api.letsencrypt.org/directory",
    staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;

/** Kubernetes minor of new EKS clusters. */
export const EKS_KUBERNETES = {
    version: "1.35",
    source: "Amazon EKS Kubernetes release calendar",
    released: "2026-01-27",
    // EksHub's clusters are upgraded here rather than billed for extended support (upgradePolicy STANDARD).
    endOfLife: EKS_SUPPORT_CALENDAR.minors["1.35"].endOfStandardSupport,
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
        path: "jupyterhub",
        commit: "5c5f5df751588a68a7781ead01d0f62e88e2e72f",
        released: "2026-06-10",
    },
    /**
     * Cluster autoscaler (EksHub), image tag = appVersion. Its minor must be the cluster's; 1.35
     * waits for resource.k8s.io (DRA) informers, which the chart's ClusterRole grants since 9.54.0
     * (with 9.52.1's RBAC a v1.35 image never scales). Chart.yaml states no kubeVersion.
     */
    clusterAutoscaler: {
        chart: "cluster-autoscaler",
        version: "9.59.0",
        repository: "https://kubernetes.github.io/autoscaler",
        appVersion: "1.35.0",
        supportsKubernetes: { min: "1.35", max: "1.35" },
        source: "kubernetes/autoscaler",
        tag: "cluster-autoscaler-chart-9.59.0",
        path: "cluster-autoscaler/charts/cluster-autoscaler",
        commit: "5a0b98e45f896e98132737240ac131a519d3b33d",
        released: "2026-07-21",
    },
    /**
     * NVIDIA device plugin (EksHub GPU groups): without it no node advertises nvidia.com/gpu.
     * Image tag = appVersion (the chart's default). The chart refuses the `default` namespace.
     */
    nvidiaDevicePlugin: {
        chart: "nvidia-device-plugin",
        version: "0.20.0",
        repository: "https://nvidia.github.io/k8s-device-plugin",
        appVersion: "0.20.0",
        kubeVersion: ">= 1.10.0-0",
        supportsKubernetes: { min: "1.10", max: "1.35" },
        source: "NVIDIA/k8s-device-plugin",
        tag: "v0.20.0",
        path: "deployments/helm/nvidia-device-plugin",
        commit: "1b826acc6af3079d8923bac395c3124b8861a9a6",
        released: "2026-08-19",
    },
    /**
     * Traefik Proxy: StaticIpIngress's ingress controller. The chart's README asks for Kubernetes
     * v1.25.0 or higher and names no maximum; 1.35 is the newest it was rendered for here.
     * Chart keys changed under us before: `globalArguments` is ignored since v36 (`global.*`),
     * redirects need `ports.<name>.http.redirections` since v39 (schema enforced), and the
     * Service type lives in `service.spec.type` since v40.
     */
    traefik: {
        chart: "traefik",
        version: "41.3.0",
        repository: "https://traefik.github.io/charts",
        appVersion: "v3.7.11",
        kubeVersion: ">=1.25.0-0",
        supportsKubernetes: { min: "1.25", max: "1.35" },
        source: "traefik/traefik-helm-chart",
        tag: "v41.3.0",
        path: "traefik",
        commit: "a8a66d0098703627b2cf352c66b1725c196a734a",
        // Changelog: "Release date: 2026-08-19"; the tag (and the published chart) is of 2026-08-21.
        released: "2026-08-21",
    },
    /**
     * cert-manager: certificates from Let's Encrypt behind StaticIpIngress. 1.21 supports
     * Kubernetes 1.33-1.36 (cert-manager.io "Supported Releases") and reaches end of life at the
     * release of 1.23, which has no date yet. Upgrade one minor at a time.
     */
    certManager: {
        chart: "cert-manager",
        version: "v1.21.1",
        repository: "https://charts.jetstack.io",
        appVersion: "v1.21.1",
        kubeVersion: ">= 1.22.0-0",
        supportsKubernetes: { min: "1.33", max: "1.36" },
        source: "cert-manager/cert-manager",
        tag: "v1.21.1",
        path: "deploy/charts/cert-manager",
        commit: "24e33194fb39488eff2bbf10c6dc640f407cad44",
        released: "2026-07-29",
    },
} satisfies Record<string, ChartPin>;

/**
 * The autoscaler minor each cluster-autoscaler chart release is for (its Chart.yaml appVersion at
 * the tags cluster-autoscaler-chart-<version> of kubernetes/autoscaler), so that EksHub refuses a
 * chart and an image of different releases. A chart not listed is accepted only with an explicit
 * image tag, unchecked.
 */
export const AUTOSCALER_CHART_MINORS: Readonly<Record<string, string>> = {
    "9.50.0": "1.33", "9.50.1": "1.33", "9.51.0": "1.33",
    "9.52.0": "1.34", "9.52.1": "1.34", "9.53.0": "1.34",
    "9.54.0": "1.35", "9.54.1": "1.35", "9.55.0": "1.35", "9.55.1": "1.35", "9.56.0": "1.35", "9.57.0": "1.35", "9.58.0": "1.35", "9.59.0": "1.35",
};

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
        tag: "v1.35.9",
        source: "kubernetes/kubernetes",
        released: "2026-09-15",
        endOfLife: "2027-02-28",
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
        source: "alpine-docker/git (git 2.49.1)",
        released: "2025-07-08",
    },
    /**
     * NFS-Ganesha, the user-space NFS server of shared homes (`storage.home.sharedFileSystem`), as
     * 2i2c builds it for jupyterhub-home-nfs (nfs-ganesha/Dockerfile; chartpress tags both images
     * with the release, 1.2.0, git tag commit 5966b5bf).
     */
    homesNfsServer: {
        name: "ghcr.io/2i2c-org/nfs-ganesha",
        tag: "1.2.0",
        source: "2i2c-org/jupyterhub-home-nfs (nfs-ganesha/Dockerfile)",
        released: "2025-10-02",
    },
    /** jupyterhub-home-nfs's quota enforcer: an XFS project quota for each home folder (jupyterhub_home_nfs/generate.py). */
    homesQuotaEnforcer: {
        name: "ghcr.io/2i2c-org/jupyterhub-home-nfs",
        tag: "1.2.0",
        source: "2i2c-org/jupyterhub-home-nfs (Dockerfile)",
        released: "2025-10-02",
    },
} satisfies Record<string, ImagePin>;

/** A Python package at a pinned version, installed with `pip install name==version`. */
export interface PythonPackagePin extends Provenance {
    name: string;
    version: string;
}

/** A package name checked against a Linux distribution's own repositories. */
export interface DistributionPackage {
    name: string;
    /** Where the name was found in the distribution's repositories. */
    source: string;
    /** When the name was last checked there (YYYY-MM-DD). */
    checked: string;
}

/**
 * The EC2 hub VM (EC2AutoscaleHub): the JupyterHub image it builds on, the Python packages added to
 * it, the HTTPS proxy, and the Amazon Linux 2023 packages cloud-init installs on the hub and workers.
 */
export const EC2_HUB = {
    /**
     * The image the hub's own image is built from. 5.5.0 is the newest tag whose build the
     * container-images repository shows (base/requirements.txt, merged 2026-06-18); 5.5.1's image
     * was not confirmed, so JupyterHub itself is raised to 5.5.1 by pip below.
     */
    jupyterhubImage: {
        name: "quay.io/jupyterhub/jupyterhub",
        tag: "5.5.0",
        source: "jupyterhub/jupyterhub-container-images",
        released: "2026-06-18",
    },
    /**
     * Caddy, the HTTPS proxy (Let's Encrypt). The official image's minor tag: it is rebuilt for every
     * 2.11 patch (2.11.4 on 2026-06-02). Caddy supports only its newest release, and the official
     * image stops rebuilding a minor once the next one ships: move to it when it does.
     */
    caddyImage: {
        name: "docker.io/library/caddy",
        tag: "2.11",
        source: "caddyserver/caddy-docker (Docker official image)",
        released: "2026-06-02",
    },
    /** Installed into the hub image with pip, in this order. */
    pythonPackages: [
        // 5.5.1 fixes GHSA-c4gm-pwx9-9w8j (XSS through user sharing) and GHSA-69wv-m5fw-2fhp (filtered
        // admin roles); 5.5.0 already has the fixes for CVE-2026-33709, CVE-2026-40864 and CVE-2026-54338.
        // Published to PyPI by the release workflow of the tag.
        { name: "jupyterhub", version: "5.5.1", source: "jupyterhub/jupyterhub (PyPI)", released: "2026-08-10" },
        // Supports JupyterHub 5 (tested in its CI with jupyterhub 5.*); needs jupyterhub>=4.
        { name: "dockerspawner", version: "14.0.0", source: "jupyterhub/dockerspawner (PyPI)", released: "2025-02-12" },
        // The authenticators and culler at the versions z2jh 4.4.0's hub image freezes.
        { name: "oauthenticator", version: "17.4.0", source: "jupyterhub/oauthenticator (PyPI; as frozen by z2jh 4.4.0)", released: "2026-03-26" },
        {
            name: "jupyterhub-ldapauthenticator",
            version: "2.0.2",
            source: "jupyterhub/ldapauthenticator (PyPI; as frozen by z2jh 4.4.0)",
            released: "2024-11-06",
        },
        {
            name: "jupyterhub-ltiauthenticator",
            version: "1.6.3",
            source: "jupyterhub/ltiauthenticator (PyPI; as frozen by z2jh 4.4.0)",
            released: "2026-03-26",
        },
        {
            name: "jupyterhub-idle-culler",
            version: "1.4.0",
            source: "jupyterhub/jupyterhub-idle-culler (PyPI; as frozen by z2jh 4.4.0)",
            released: "2024-09-17",
        },
    ],
    /**
     * What cloud-init's `packages:` installs on the hub and every worker, each name found in the
     * Amazon Linux 2023 repositories. cloud-init installs the whole list with one `dnf -y install`,
     * so a single unknown name (AL2023 has no `awscli`) fails it and Docker is never installed.
     */
    amazonLinuxPackages: [
        { name: "docker", source: "AL2023 release notes (AL2023.12 package list)", checked: "2026-11-25" },
        { name: "amazon-efs-utils", source: "AL2023 release notes (AL2023.12 package list); AL2023 User Guide, EFS", checked: "2026-11-25" },
        // AWS CLI v2 is preinstalled on the standard AMI the hub uses (al2023-ami-kernel-default);
        // naming it keeps the scripts' `aws` there on an AMI without it, and is a no-op otherwise.
        { name: "awscli-2", source: "AL2023 User Guide, AWS CLI v2 (the AL2023 package is awscli-2)", checked: "2026-11-25" },
    ],
} satisfies {
    jupyterhubImage: ImagePin;
    caddyImage: ImagePin;
    pythonPackages: PythonPackagePin[];
    amazonLinuxPackages: DistributionPackage[];
};
