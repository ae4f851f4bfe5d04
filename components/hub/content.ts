import { IMAGES } from "../versions";
import { imageReference } from "./defaults";
import { ContentSpec } from "./spec";

/*
 * Course material from a Git repository, brought into each student's home before the server
 * starts. It runs in a small pinned Git image of its own, so it works with any notebook image (the
 * Jupyter Docker Stacks images carry no nbgitpuller, and base-notebook no git), and a failure never
 * stops the server: a student whose pull fails still gets their home, with last time's material.
 */

/** Home directory of the notebook user (uid 1000, gid 100) in z2jh and the Docker Stacks images. */
export const NOTEBOOK_HOME = "/home/jovyan";
/** The notebook user and group that own everything in a home. */
export const NOTEBOOK_UID = 1000;
export const NOTEBOOK_GID = 100;

/** A content repository with its defaults filled in. */
export interface ResolvedContent {
    repository: string;
    branch: string;
    /** Folder under the home the repository is cloned into. */
    targetPath: string;
}

export function resolveContent(content: ContentSpec): ResolvedContent {
    return {
        repository: content.repository,
        branch: content.branch ?? "main",
        targetPath: content.targetPath ?? content.repository.replace(/\/+$/, "").replace(/\.git$/, "").split("/").pop()!,
    };
}

/**
 * POSIX shell script run in the home directory with the repository, branch and folder as `$1`
 * `$2` `$3`. The first start clones the branch; later starts fetch it and fast-forward, which Git
 * refuses when that would overwrite a student's uncommitted edit: the edit is kept and the course
 * update waits. A folder of that name that is not a clone is left alone. Always exits 0.
 */
export const CONTENT_SYNC_SCRIPT = `set -u
repository=$1
branch=$2
target=$3
# Give up on a stalled network within a minute rather than hold the server's start.
export GIT_HTTP_LOW_SPEED_LIMIT=1000 GIT_HTTP_LOW_SPEED_TIME=60 GIT_TERMINAL_PROMPT=0
if [ -d "$target/.git" ]; then
  if git -C "$target" fetch --quiet origin "$branch" && git -C "$target" merge --quiet --ff-only FETCH_HEAD; then
    echo "course-hubs: $target is up to date with $branch"
  else
    echo "course-hubs: kept the student's changes in $target; the course update was not merged"
  fi
elif [ -e "$target" ]; then
  echo "course-hubs: $target exists and is not a clone of the course repository; left as it is"
else
  if git clone --quiet --single-branch --branch "$branch" "$repository" "$target"; then
    echo "course-hubs: cloned $branch of $repository into $target"
  else
    echo "course-hubs: could not clone $repository; the server starts without it"
    rm -rf "$target"
  fi
fi
exit 0
`;

/** The command that runs the script: `sh -c <script> content-sync <repository> <branch> <folder>`. */
export function contentSyncCommand(content: ContentSpec): string[] {
    const resolved = resolveContent(content);
    return ["sh", "-c", CONTENT_SYNC_SCRIPT, "content-sync", resolved.repository, resolved.branch, resolved.targetPath];
}

/** Name of the init container that syncs the content, the first of a server's pod. */
export const CONTENT_INIT_CONTAINER_NAME = "course-content";

/**
 * The init container of a KubeSpawner pod that syncs the content into the home, mounted as the
 * notebook mounts it (`home`: the volume, by KubeSpawner's template, and the user's folder on it
 * when homes share a file system), as the notebook user.
 */
export function contentInitContainer(content: ContentSpec, home: { name: string; subPath?: string }): Record<string, unknown> {
    return {
        name: CONTENT_INIT_CONTAINER_NAME,
        image: imageReference(IMAGES.git),
        command: contentSyncCommand(content),
        workingDir: NOTEBOOK_HOME,
        env: [{ name: "HOME", value: "/tmp" }],
        volumeMounts: [{ ...home, mountPath: NOTEBOOK_HOME }],
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
        securityContext: {
            runAsUser: NOTEBOOK_UID,
            runAsGroup: NOTEBOOK_GID,
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
        },
    };
}
