import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A folder the package ships beside its code (`schema/`, `charts/course-teardown`,
 * `chart-values/...`): found by walking up from `start` to the first folder holding
 * `<relative>/<marker>`, which is the repository in the sources (components/...) and the package
 * root once built (dist/components/...).
 */
export function shippedFolder(relative: string, marker: string, start: string = __dirname): string {
    for (let folder = start; ; folder = path.dirname(folder)) {
        const candidate = path.join(folder, relative);
        if (fs.existsSync(path.join(candidate, marker))) {
            return candidate;
        }
        if (path.dirname(folder) === folder) {
            throw new Error(`course-hubs is missing ${relative}/${marker} (looked above ${start}): reinstall course-hubs`);
        }
    }
}
