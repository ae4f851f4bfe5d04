import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { COURSE_FILESYSTEM_PATH, HUB_NETWORK, authSecretVariable, datasetHostPath, serverSecretVariable, toJupyterhubConfig } from "../hub/jupyterhub-config";
import { datasets } from "../hub/shared-folders";
import { authenticatorConfig } from "../hub/auth";
import { shellQuote } from "../shell";
import { imageReference, resolveHubSpec } from "../hub/defaults";
import { certificateBlocks } from "../hub/network-access";
import { HubSpec } from "../hub/spec";
import { Validated } from "../validated";
import { EC2_HUB, IMAGES, LETS_ENCRYPT } from "../versions";

/*
 * cloud-init user-data for the EC2 hub and its workers, rendered by pure functions. Nothing secret
 * is in it: the VMs fetch secrets from SSM Parameter Store SecureStrings at boot, by name, with
 * their instance roles. Every shell script is a separate file so that tests can shellcheck each.
 */

/** What cloud-init's `packages:` installs: only names checked in the Amazon Linux 2023 repositories. */
export const AMAZON_LINUX_PACKAGES: string[] = EC2_HUB.amazonLinuxPackages.map((p) => p.name);

/**
 * Value of the swarm parameters until the hub publishes the real ones: Pulumi creates them (so
 * that destroy removes them), and a worker that boots first must wait instead of joining nothing.
 */
export const UNPUBLISHED = "not-yet-published";

/** CloudWatch namespace of the hub's metrics. */
export const METRIC_NAMESPACE = "CourseHubs";
/** Metric the worker group tracks: running servers divided by ready workers. */
export const SERVERS_PER_WORKER_METRIC = "ServersPerWorker";
const RUNNING_SERVERS_METRIC = "RunningServers";
/** Every metric the hub publishes, once per timer period. */
export const HUB_METRICS = [SERVERS_PER_WORKER_METRIC, RUNNING_SERVERS_METRIC];
/** How often the hub's timers (metrics, worker clean-up) run. */
export const TIMER_PERIOD_MINUTES = 1;

/** What the VMs need to know, all of it plain names (no secret values). */
export interface VmContext {
    /** The spec, validated for EC2. */
    spec: Validated<HubSpec>;
    /** Region of the stack, for the AWS CLI. */
    region: string;
    /** EFS file system holding homes and the shared folder. */
    fileSystemId: string;
    /** SSM parameter path under which the hub's secrets live, `/course-hubs/<course>-<term>` (or the hub's physical name). */
    parameterPrefix: string;
    /** ARN of the course's KMS key, which encrypts every SecureString the hub publishes. */
    parameterKeyArn: string;
    /** Worker Auto Scaling group; absent in single-VM mode. */
    workerGroupName?: string;
}

/** A file cloud-init writes. */
interface WriteFile {
    path: string;
    permissions: string;
    owner: string;
    content: string;
}

/** The shell scripts of the hub VM, by path (for tests: each passes shellcheck). */
export function hubScripts(context: VmContext): Record<string, string> {
    const swarm = context.workerGroupName !== undefined;
    const scripts: Record<string, string> = {
        "/usr/local/sbin/course-hub-mount": mountScript(context),
        "/usr/local/sbin/course-hub-secrets": secretsScript(context),
        "/usr/local/sbin/course-hub-start": hubStartScript(context),
    };
    if (swarm) {
        scripts["/usr/local/sbin/course-hub-metrics"] = metricsScript(context);
    }
    return scripts;
}

/** The shell scripts of a worker VM, by path. */
export function workerScripts(context: VmContext): Record<string, string> {
    return {
        "/usr/local/sbin/course-hub-mount": mountScript(context),
        "/usr/local/sbin/course-hub-join": joinScript(context),
        "/usr/local/sbin/course-hub-protect": protectScript(context),
    };
}

/** user-data of the hub VM: Docker, the course file system, JupyterHub behind Caddy. */
export function renderHubUserData(context: VmContext): string {
    const hub = resolveHubSpec(context.spec);
    const swarm = context.workerGroupName !== undefined;
    const files: WriteFile[] = [
        ...scriptFiles(hubScripts(context)),
        file("/etc/course-hub/jupyterhub_config.py", toJupyterhubConfig(context.spec, { swarm }), "0644"),
        file("/etc/course-hub/image/Dockerfile", [
            `FROM ${imageReference(EC2_HUB.jupyterhubImage)}`,
            `RUN python3 -m pip install --no-cache-dir ${EC2_HUB.pythonPackages.map((p) => `${p.name}==${p.version}`).join(" ")}`,
            "",
        ].join("\n"), "0644"),
        file("/etc/course-hub/Caddyfile", caddyfile(hub), "0644"),
        unit("course-hub.service", [
            "[Unit]",
            "Description=Course hub: JupyterHub and its HTTPS proxy",
            "Wants=network-online.target",
            "After=network-online.target docker.service",
            "Requires=docker.service",
            "",
            "[Service]",
            "Type=oneshot",
            "RemainAfterExit=yes",
            "ExecStart=/usr/local/sbin/course-hub-start",
            "",
            "[Install]",
            "WantedBy=multi-user.target",
        ]),
    ];
    const services = ["docker.service", "course-hub.service"];
    if (swarm) {
        files.push(...timer("course-hub-metrics", "Publish running servers per worker for the worker group", "/usr/local/sbin/course-hub-metrics"));
        services.push("course-hub-metrics.timer");
    }
    return cloudConfig(files, services);
}

/**
 * Caddy's configuration: with Let's Encrypt, Caddy obtains and renews the certificate itself,
 * without restarts; with a certificate of one's own, it serves the chain and key that the secrets
 * script fetched, and the chain's fingerprint in a comment makes a renewed certificate new user-data,
 * hence a new hub VM that serves it.
 */
function caddyfile(hub: HubSpec): string {
    const https = hub.https;
    const global = https.mode === "letsencrypt"
        ? ["{", `\temail ${https.contactEmail}`, ...(https.staging ? [`\tacme_ca ${LETS_ENCRYPT.staging}`] : []), "}", ""]
        : [];
    const ownCertificate = https.mode === "certificate"
        ? [
            `\t# certificate chain sha256:${createHash("sha256").update(https.certificateChain).digest("hex")}`,
            `\ttls ${CADDY_TLS_PATH}/${TLS_FILES.chain} ${CADDY_TLS_PATH}/${TLS_FILES.privateKey}`,
        ]
        : [];
    return [...global, `${hub.hostname} {`, ...ownCertificate, "\treverse_proxy jupyterhub:8000", "}", ""].join("\n");
}

/** Where the hub VM keeps a certificate of its own (in memory, root only), where Caddy's container sees it, and its files. */
const HOST_TLS_PATH = "/run/course-hub/tls";
const CADDY_TLS_PATH = "/etc/caddy/tls";
const TLS_FILES = { chain: "chain.pem", privateKey: "key.pem" } as const;

/** The SSM parameter key of a certificate of one's own's private key; each certificate of its chain has its own, by position. */
const TLS_PRIVATE_KEY_PARAMETER = "tls-private-key";
const tlsCertificateParameter = (index: number) => `tls-certificate-${index + 1}`;

/**
 * The SSM SecureStrings of a certificate of one's own (none in other modes), by key under the
 * course's prefix: each certificate of the chain in its own standard-tier parameter (4 KB each, a
 * whole chain seldom fits one), then the private key.
 */
export function ownCertificateParameters(spec: HubSpec): [key: string, value: pulumi.Input<string>][] {
    if (spec.https.mode !== "certificate") {
        return [];
    }
    return [
        ...certificateBlocks(spec.https.certificateChain).map((block, i): [string, string] => [tlsCertificateParameter(i), block]),
        [TLS_PRIVATE_KEY_PARAMETER, spec.https.privateKey],
    ];
}

/** user-data of a worker VM: Docker, the course file system, joining the hub's swarm. */
export function renderWorkerUserData(context: VmContext): string {
    const hub = resolveHubSpec(context.spec);
    const files: WriteFile[] = [
        ...scriptFiles(workerScripts(context)),
        unit("course-hub-worker.service", [
            "[Unit]",
            "Description=Course hub worker: mount the course files and join the hub",
            "Wants=network-online.target",
            "After=network-online.target docker.service",
            "Requires=docker.service",
            "",
            "[Service]",
            "Type=oneshot",
            "RemainAfterExit=yes",
            "ExecStartPre=/usr/local/sbin/course-hub-mount",
            "ExecStart=/usr/local/sbin/course-hub-join",
            // Pulling the course image ahead of the first student saves minutes at the start of class.
            `ExecStartPost=/usr/bin/docker pull ${imageReference(hub.image)}`,
            "",
            "[Install]",
            "WantedBy=multi-user.target",
        ]),
        ...timer("course-hub-protect", "Protect this worker from scale-in while it runs servers", "/usr/local/sbin/course-hub-protect"),
    ];
    return cloudConfig(files, ["docker.service", "course-hub-worker.service", "course-hub-protect.timer"]);
}

/** JSON is YAML: cloud-init reads it after the `#cloud-config` line. */
function cloudConfig(files: WriteFile[], services: string[]): string {
    return `#cloud-config\n${JSON.stringify({
        package_update: true,
        packages: AMAZON_LINUX_PACKAGES,
        write_files: files,
        runcmd: [["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", ...services]],
    }, null, 2)}\n`;
}

function file(path: string, content: string, permissions: string): WriteFile {
    return { path, permissions, owner: "root:root", content };
}

function scriptFiles(scripts: Record<string, string>): WriteFile[] {
    return Object.entries(scripts).map(([path, content]) => file(path, content, "0755"));
}

function unit(name: string, lines: string[]): WriteFile {
    return file(`/etc/systemd/system/${name}`, `${lines.join("\n")}\n`, "0644");
}

function timer(name: string, description: string, command: string): WriteFile[] {
    return [
        unit(`${name}.service`, ["[Unit]", `Description=${description}`, "After=docker.service", "", "[Service]", "Type=oneshot", `ExecStart=${command}`]),
        unit(`${name}.timer`, [
            "[Unit]", `Description=${description}, every ${TIMER_PERIOD_MINUTES} min`, "",
            "[Timer]", "OnBootSec=2min", `OnUnitActiveSec=${TIMER_PERIOD_MINUTES}min`, "",
            "[Install]", "WantedBy=timers.target",
        ]),
    ];
}

/** Shared beginning of every script: strict mode and the names it works with (only those it uses). */
function preamble(variables: Record<string, string>): string[] {
    return [
        "#!/bin/bash",
        "# Rendered by course-hubs; edit the stack, not this file.",
        "set -euo pipefail",
        ...Object.entries(variables).map(([name, value]) => `${name}=${shellQuote(value)}`),
    ];
}

/** Reads one instance metadata path with an IMDSv2 session token. */
const IMDS_FUNCTION = [
    "metadata() {",
    "  local token",
    "  token=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')",
    "  curl -sS -H \"X-aws-ec2-metadata-token: ${token}\" \"http://169.254.169.254/latest/meta-data/$1\"",
    "}",
];

/** Reads one SSM parameter of the course, decrypted. */
const PARAMETER_FUNCTION = [
    "parameter() {",
    "  aws ssm get-parameter --region \"${region}\" --with-decryption --name \"${prefix}/$1\" --query Parameter.Value --output text",
    "}",
];

function mountScript(context: VmContext): string {
    return [
        ...preamble({ file_system: context.fileSystemId, mount_point: COURSE_FILESYSTEM_PATH }),
        "# The course file system (encrypted in transit), mounted again at every boot.",
        "mkdir -p \"${mount_point}\"",
        "if ! grep -q \"^${file_system}:/ \" /etc/fstab; then",
        "  echo \"${file_system}:/ ${mount_point} efs _netdev,tls 0 0\" >> /etc/fstab",
        "fi",
        "if ! mountpoint -q \"${mount_point}\"; then",
        "  mount \"${mount_point}\"",
        "fi",
        "mkdir -p \"${mount_point}/home\" \"${mount_point}/shared\"",
        "chown 1000:100 \"${mount_point}/shared\"",
        "echo \"${file_system} mounted at ${mount_point}\"",
        ...datasetMounts(context.spec),
        "",
    ].join("\n");
}

/**
 * Each dataset's NFS export, mounted read-only on the VM where DockerSpawner binds it into servers
 * (mount.nfs comes with amazon-efs-utils' nfs-utils). `nofail`: a VM whose dataset server does not
 * answer still boots and serves, and says so; the mount is tried again at the next boot.
 */
function datasetMounts(spec: HubSpec): string[] {
    // Only NFS ones: EC2AutoscaleHub refuses bucket datasets (platforms.ts).
    const sets = datasets(spec).flatMap((dataset) => ("nfs" in dataset ? [dataset] : []));
    if (sets.length === 0) {
        return [];
    }
    return [
        "# Datasets: NFS exports, read-only, mounted again at every boot.",
        "mount_dataset() {",
        "  mkdir -p \"$2\"",
        "  if ! grep -qF \" $2 nfs \" /etc/fstab; then",
        "    echo \"$1 $2 nfs ro,nofail,_netdev 0 0\" >> /etc/fstab",
        "  fi",
        "  if ! mountpoint -q \"$2\"; then",
        "    mount \"$2\" || echo \"dataset $1 is not mounted at $2: servers see an empty folder until it is\" >&2",
        "  fi",
        "}",
        ...sets.map((dataset) => `mount_dataset ${shellQuote(`${dataset.nfs.server}:${dataset.nfs.path}`)} ${shellQuote(datasetHostPath(dataset.name))}`),
    ];
}

/**
 * The SSM parameter key (under the course's prefix) of the authenticator's secret at `index` of
 * `authenticatorConfig(spec).secrets`; the first keeps the name deployed hubs have.
 */
export function authSecretParameter(index: number): string {
    return index === 0 ? "auth-secret" : `auth-secret-${index + 1}`;
}

/**
 * The SSM parameters (key under the course's prefix, and value) of the servers' secret environment
 * variables: one each, which the hub VM reads at boot into the hub's environment.
 */
export function serverSecretParameters(spec: HubSpec): [key: string, value: pulumi.Input<string>][] {
    return Object.entries(spec.server?.secretEnvironment ?? {}).map(([name, value]) => [serverSecretParameter(name), value]);
}

function serverSecretParameter(name: string): string {
    return `server-secret-${name}`;
}

function secretsScript(context: VmContext): string {
    const authSecrets = authenticatorConfig(context.spec).secrets;
    const serverSecrets = Object.keys(context.spec.server?.secretEnvironment ?? {});
    const tls = context.spec.https.mode === "certificate"
        ? certificateBlocks(context.spec.https.certificateChain).map((_, i) => tlsCertificateParameter(i))
        : undefined;
    return [
        ...preamble({ region: context.region, prefix: context.parameterPrefix }),
        ...PARAMETER_FUNCTION,
        "# Secrets go to a root-only file in memory, never to disk or the user-data.",
        "umask 077",
        "mkdir -p /run/course-hub",
        "{",
        "  printf 'JPY_COOKIE_SECRET=%s\\n' \"$(parameter cookie-secret)\"",
        "  printf 'CONFIGPROXY_AUTH_TOKEN=%s\\n' \"$(parameter proxy-token)\"",
        "  printf 'JUPYTERHUB_CRYPT_KEY=%s\\n' \"$(parameter crypt-key)\"",
        ...authSecrets.map((_, i) => `  printf '${authSecretVariable(i)}=%s\\n' "$(parameter ${authSecretParameter(i)})"`),
        ...serverSecrets.map((name) => `  printf '${serverSecretVariable(name)}=%s\\n' "$(parameter ${serverSecretParameter(name)})"`),
        "} > /run/course-hub/env.new",
        "mv /run/course-hub/env.new /run/course-hub/env",
        ...(tls
            ? [
                "# The hub's own certificate chain and key, for Caddy; each read on its own line, so that a failed read stops the script.",
                ...tls.map((key, i) => `certificate_${i + 1}=$(parameter ${key})`),
                `private_key=$(parameter ${TLS_PRIVATE_KEY_PARAMETER})`,
                `mkdir -p ${HOST_TLS_PATH}`,
                `printf '%s\\n' ${tls.map((_, i) => `"\${certificate_${i + 1}}"`).join(" ")} > ${HOST_TLS_PATH}/${TLS_FILES.chain}.new`,
                `printf '%s\\n' "\${private_key}" > ${HOST_TLS_PATH}/${TLS_FILES.privateKey}.new`,
                `mv ${HOST_TLS_PATH}/${TLS_FILES.chain}.new ${HOST_TLS_PATH}/${TLS_FILES.chain}`,
                `mv ${HOST_TLS_PATH}/${TLS_FILES.privateKey}.new ${HOST_TLS_PATH}/${TLS_FILES.privateKey}`,
            ]
            : []),
        "",
    ].join("\n");
}

function hubStartScript(context: VmContext): string {
    const swarm = context.workerGroupName !== undefined;
    return [
        ...preamble(swarm
            ? { region: context.region, prefix: context.parameterPrefix, parameter_key: context.parameterKeyArn, network: HUB_NETWORK }
            : { network: HUB_NETWORK }),
        ...(swarm ? IMDS_FUNCTION : []),
        "/usr/local/sbin/course-hub-mount",
        "/usr/local/sbin/course-hub-secrets",
        ...(swarm
            ? [
                "# The hub manages the swarm; the Docker API stays on its local socket.",
                "address=$(metadata local-ipv4)",
                "if [ \"$(docker info --format '{{.Swarm.LocalNodeState}}')\" != active ]; then",
                "  docker swarm init --advertise-addr \"${address}\"",
                "fi",
                "# Without --key-id an overwrite re-encrypts under the account's aws/ssm key, which every role in the account may use;",
                "# a standard-tier value is encrypted with kms:Encrypt, the one use of the course key the hub has for it.",
                "aws ssm put-parameter --region \"${region}\" --name \"${prefix}/swarm-join-token\" --type SecureString --overwrite \\",
                "  --key-id \"${parameter_key}\" --tier Standard --value \"$(docker swarm join-token -q worker)\" > /dev/null",
                "aws ssm put-parameter --region \"${region}\" --name \"${prefix}/swarm-manager\" --type String --overwrite \\",
                "  --value \"${address}:2377\" > /dev/null",
                "docker network inspect \"${network}\" > /dev/null 2>&1 || docker network create --driver overlay --attachable \"${network}\"",
            ]
            : ["docker network inspect \"${network}\" > /dev/null 2>&1 || docker network create \"${network}\""]),
        "docker build --pull -t course-hub:local /etc/course-hub/image",
        ...(context.spec.server?.content
            ? [
                "# The course-content image, ahead of the first student (the hub pulls it when missing).",
                `docker pull ${imageReference(IMAGES.git)} > /dev/null || echo 'course-content image not pulled yet; the first start pulls it' >&2`,
            ]
            : []),
        "docker rm -f jupyterhub caddy > /dev/null 2>&1 || true",
        "docker run -d --name jupyterhub --network \"${network}\" --restart unless-stopped \\",
        "  --env-file /run/course-hub/env \\",
        "  -v /var/run/docker.sock:/var/run/docker.sock \\",
        "  -v /etc/course-hub:/etc/course-hub:ro \\",
        `  -v ${COURSE_FILESYSTEM_PATH}:${COURSE_FILESYSTEM_PATH} \\`,
        "  -v jupyterhub-data:/srv/jupyterhub \\",
        "  course-hub:local jupyterhub -f /etc/course-hub/jupyterhub_config.py",
        "docker run -d --name caddy --network \"${network}\" --restart unless-stopped \\",
        "  -p 80:80 -p 443:443 \\",
        "  -v /etc/course-hub/Caddyfile:/etc/caddy/Caddyfile:ro \\",
        ...(context.spec.https.mode === "certificate" ? [`  -v ${HOST_TLS_PATH}:${CADDY_TLS_PATH}:ro \\`] : []),
        "  -v caddy-data:/data \\",
        `  ${imageReference(EC2_HUB.caddyImage)}`,
        "",
    ].join("\n");
}

function metricsScript(context: VmContext): string {
    return [
        ...preamble({ region: context.region, group: context.workerGroupName ?? "" }),
        "# Servers are swarm services named jupyter-<user>; workers are the ready swarm workers.",
        "servers=$(docker service ls --filter name=jupyter- --format '{{.Name}}' | wc -l)",
        "workers=$(docker node ls --filter role=worker --format '{{.Status}}' | grep -c '^Ready$' || true)",
        "# With no worker yet, every waiting server counts against the first one, so the group grows.",
        "per_worker=$(awk -v servers=\"${servers}\" -v workers=\"${workers}\" 'BEGIN { printf \"%.2f\", (workers > 0 ? servers / workers : servers) }')",
        `for metric in "${SERVERS_PER_WORKER_METRIC}=\${per_worker}" "${RUNNING_SERVERS_METRIC}=\${servers}"; do`,
        `  aws cloudwatch put-metric-data --region "\${region}" --namespace ${METRIC_NAMESPACE} \\`,
        "    --dimensions \"AutoScalingGroupName=${group}\" --metric-name \"${metric%%=*}\" --value \"${metric#*=}\"",
        "done",
        "# Workers the group has terminated leave 'Down' nodes behind: forget them.",
        "docker node ls --filter role=worker --format '{{.ID}} {{.Status}}' | awk '$2 == \"Down\" { print $1 }' | while read -r node; do",
        "  docker node rm \"${node}\" > /dev/null || true",
        "done",
        "",
    ].join("\n");
}

function joinScript(context: VmContext): string {
    return [
        ...preamble({ region: context.region, prefix: context.parameterPrefix, unpublished: UNPUBLISHED }),
        ...PARAMETER_FUNCTION,
        "if [ \"$(docker info --format '{{.Swarm.LocalNodeState}}')\" = active ]; then",
        "  exit 0",
        "fi",
        "# The hub publishes its join token when it starts; wait for it, but not forever.",
        "for attempt in $(seq 1 60); do",
        "  if token=$(parameter swarm-join-token) && manager=$(parameter swarm-manager) \\",
        "    && [ \"${token}\" != \"${unpublished}\" ] && [ \"${manager}\" != \"${unpublished}\" ] \\",
        "    && docker swarm join --token \"${token}\" \"${manager}\"; then",
        "    exit 0",
        "  fi",
        "  echo \"waiting for the hub's swarm (attempt ${attempt})\"",
        "  sleep 10",
        "done",
        "echo 'no swarm manager published after 10 minutes' >&2",
        "exit 1",
        "",
    ].join("\n");
}

function protectScript(context: VmContext): string {
    return [
        ...preamble({ region: context.region, group: context.workerGroupName ?? "" }),
        ...IMDS_FUNCTION,
        "# A worker running any student's server must not be chosen for scale-in.",
        "instance=$(metadata instance-id)",
        "if [ \"$(docker ps --quiet --filter name=jupyter- | wc -l)\" -gt 0 ]; then",
        "  protection=--protected-from-scale-in",
        "else",
        "  protection=--no-protected-from-scale-in",
        "fi",
        "aws autoscaling set-instance-protection --region \"${region}\" --auto-scaling-group-name \"${group}\" \\",
        "  --instance-ids \"${instance}\" \"${protection}\"",
        "",
    ].join("\n");
}
