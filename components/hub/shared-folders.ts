import { ProblemCollector } from "../validation";
import { NOTEBOOK_HOME } from "./content";
import { SHARED_COURSE_FOLDER_PATH } from "./defaults";
import { allHomesMountAt } from "./shared-homes";
import { BucketDatasetSpec, DatasetBucket, DatasetSpec, HubSpec, MountedFolder, NfsExport, ServerSpec, SharedFolderSpec, StorageSpec } from "./spec";

/*
 * The folders every server mounts besides its home: the course's folders and the students' submit
 * folders, all on one shared volume (a ReadWriteMany claim on Kubernetes, the course's EFS file
 * system on EC2), and datasets, each an NFS export or a bucket of its own. The spec's options resolve here into
 * one list of folders, which the Kubernetes values (z2jh.ts) and the VM hub's config
 * (jupyterhub-config.ts) render; `storage.sharedCourseFolder` is one of those folders.
 */

/** Who may change a shared folder. */
export type FolderWriters = NonNullable<SharedFolderSpec["writableBy"]>;

/** A folder of the shared volume: its directory there, where servers see it, and who writes it. */
export interface CourseFolder {
    /** Its directory on the shared volume. */
    directory: string;
    /** Where it is mounted in every server, the first its main path. */
    paths: string[];
    writableBy: FolderWriters;
}

/** A dataset as every server mounts it, read-only, from its one source. */
export type Dataset = { name: string; paths: string[] } & ({ nfs: NfsExport } | { bucket: DatasetBucket });

/** The folder `storage.sharedCourseFolder: true` stands for. */
export const SHARED_COURSE_FOLDER: Readonly<SharedFolderSpec> = { name: "course", mountPath: SHARED_COURSE_FOLDER_PATH };
/**
 * Directory of the submit folders on the shared volume: each student's is `submit/<username>`,
 * the username as the spawner writes it in paths (its `{username}`).
 */
export const SUBMIT_DIRECTORY = "submit";
export const DEFAULT_SUBMIT_PATH = `${NOTEBOOK_HOME}/submit`;

/** The shared volume's folders of a (validated) spec, `sharedCourseFolder`'s first. */
export function courseFolders(spec: Pick<HubSpec, "storage">): CourseFolder[] {
    const storage = spec.storage ?? {};
    const folders = [...(storage.sharedCourseFolder ? [SHARED_COURSE_FOLDER] : []), ...(storage.sharedFolders ?? [])];
    return folders.map((folder) => ({
        directory: folder.name,
        paths: mountPaths(folder, folder.mountPath ?? `${NOTEBOOK_HOME}/${folder.name}`),
        writableBy: folder.writableBy ?? "staff",
    }));
}

/** Where the submit folder is mounted, or undefined without one. */
export function submitFolderPaths(spec: Pick<HubSpec, "storage">): string[] | undefined {
    const submit = spec.storage?.submitFolder;
    return submit ? mountPaths(submit, submit.mountPath ?? DEFAULT_SUBMIT_PATH) : undefined;
}

/** The spec's datasets, each with its paths. */
export function datasets(spec: Pick<HubSpec, "storage">): Dataset[] {
    return datasetEntries(spec.storage ?? {}).map(({ dataset }) => ({
        name: dataset.name,
        ...("nfs" in dataset ? { nfs: dataset.nfs } : { bucket: dataset.bucket }),
        paths: mountPaths(dataset, dataset.mountPath ?? `${NOTEBOOK_HOME}/datasets/${dataset.name}`),
    }));
}

/** Each dataset of `storage.datasets`, then of `storage.bucketDatasets`, with its property path under `storage` (`datasets[0]`). */
export function datasetEntries(storage: StorageSpec): { at: string; dataset: DatasetSpec | BucketDatasetSpec }[] {
    return [
        ...(storage.datasets ?? []).map((dataset, i) => ({ at: `datasets[${i}]`, dataset })),
        ...(storage.bucketDatasets ?? []).map((dataset, i) => ({ at: `bucketDatasets[${i}]`, dataset })),
    ];
}

function mountPaths(folder: MountedFolder, main: string): string[] {
    return [main, ...(folder.alsoMountedAt ?? [])];
}

/**
 * The rules of the storage options the schema cannot state: folder and dataset names unique, the
 * submit folders' directory kept for them, and no two mounts at one path (nor at the home, nor at
 * a file of `server.extraFiles`), for the parts that have their shape.
 */
export function checkFolders(check: ProblemCollector, path: string, spec: HubSpec, valid: (part: string) => boolean): void {
    if (!valid("storage")) {
        return;
    }
    const storage = spec.storage ?? {};
    const folders = storage.sharedFolders ?? [];
    const reserved = storage.sharedCourseFolder ? [SHARED_COURSE_FOLDER.name] : [];
    folders.forEach((folder, i) => {
        const at = `${path}.storage.sharedFolders[${i}].name`;
        if (folder.name === SUBMIT_DIRECTORY) {
            check.add(at, `"${SUBMIT_DIRECTORY}" is the submit folders' directory: give this folder another name (for submissions use storage.submitFolder)`);
        } else if (reserved.includes(folder.name)) {
            check.add(at, `"${folder.name}" is the folder of storage.sharedCourseFolder: leave sharedCourseFolder out, or give this folder another name`);
        } else if (folders.findIndex((other) => other.name === folder.name) < i) {
            check.add(at, `"${folder.name}" names another shared folder`);
        }
    });
    // Datasets on NFS and in buckets alike: each name names a volume of the server's pod.
    const sets = datasetEntries(storage);
    sets.forEach(({ at, dataset }, i) => {
        if (sets.findIndex((other) => other.dataset.name === dataset.name) < i) {
            check.add(`${path}.storage.${at}.name`, `"${dataset.name}" names another dataset`);
        }
    });
    checkMountPaths(check, path, spec.server ?? {}, mountsOf(storage, `${path}.storage`), valid);
}

/** One path a mount takes, and where in the spec it comes from. */
interface MountAt {
    path: string;
    /** The spec's property that gives the path (a mount's name when its path is the default). */
    source: string;
}

function mountsOf(storage: StorageSpec, at: string): MountAt[] {
    const spec: Pick<HubSpec, "storage"> = { storage };
    const folders = courseFolders(spec);
    const listed = storage.sharedFolders ?? [];
    const ofCourseFolder = folders.slice(0, folders.length - listed.length);
    const entries = datasetEntries(storage);
    return [
        ...ofCourseFolder.flatMap((folder) => folder.paths.map((p) => ({ path: p, source: `${at}.sharedCourseFolder` }))),
        ...listed.flatMap((folder, i) => mountSources(`${at}.sharedFolders[${i}]`, folder, folders[ofCourseFolder.length + i].paths)),
        ...(storage.submitFolder ? mountSources(`${at}.submitFolder`, storage.submitFolder, submitFolderPaths(spec) ?? []) : []),
        ...datasets(spec).flatMap((dataset, i) => mountSources(`${at}.${entries[i].at}`, entries[i].dataset, dataset.paths)),
        ...allHomesMountAt(storage, `${at}.home.sharedFileSystem.allHomes`),
    ];
}

/** Each path of a folder with the property it comes from: its mountPath (or its name, for the default), then each alsoMountedAt. */
function mountSources(at: string, folder: MountedFolder & { mountPath?: string; name?: string }, paths: string[]): MountAt[] {
    const main = folder.mountPath !== undefined ? `${at}.mountPath` : folder.name !== undefined ? `${at}.name` : at;
    return paths.map((p, j) => ({ path: p, source: j === 0 ? main : `${at}.alsoMountedAt[${j - 1}]` }));
}

function checkMountPaths(check: ProblemCollector, path: string, server: ServerSpec, mounts: MountAt[], valid: (part: string) => boolean): void {
    const files = valid("server.extraFiles") ? (server.extraFiles ?? []).map((file) => file.path) : [];
    mounts.forEach((mount, i) => {
        const earlier = mounts.findIndex((other) => other.path === mount.path);
        if (mount.path === NOTEBOOK_HOME) {
            check.add(mount.source, `"${mount.path}" is the home directory, each user's own volume: mount the folder inside it, such as ${NOTEBOOK_HOME}/data`);
        } else if (earlier < i) {
            const other = mounts[earlier].source.slice(path.length + 1);
            check.add(mount.source, `"${mount.path}" is also where ${other} is mounted: give each mount a path of its own`);
        } else if (files.includes(mount.path)) {
            check.add(mount.source, `"${mount.path}" is a file of server.extraFiles: give the folder another path`);
        }
    });
}
