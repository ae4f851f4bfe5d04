import { ProblemCollector } from "../validation";
import { HubSpec } from "./spec";

/*
 * The course's logo (`spec.logo`): an image file given base64-encoded in the stack, placed in the
 * hub and named by JupyterHub's `logo_file`, which the hub serves at /hub/logo with the content type
 * its file name's extension gives (JupyterHub's LogoHandler is a tornado StaticFileHandler: the
 * type comes from mimetypes.guess_type of the path). So the file is named after the format its
 * bytes have, whatever the course calls it.
 */

/** The image formats a browser shows as a logo, by the extension their file gets. */
export type LogoFormat = "png" | "jpg" | "gif" | "webp" | "svg";

/** The largest logo, in bytes of image: its base64 text rides in the chart's values and the hub's Secret (1 MiB each). */
export const MAX_LOGO_BYTES = 100 * 1024;

/** The format of an image by its first bytes (its signature), or undefined for anything else. */
export function logoFormat(image: Buffer): LogoFormat | undefined {
    const starts = (bytes: number[], at = 0) => bytes.every((byte, i) => image[at + i] === byte);
    if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
        return "png";
    }
    if (starts([0xff, 0xd8, 0xff])) {
        return "jpg";
    }
    if (image.subarray(0, 6).toString("latin1").match(/^GIF8[79]a$/)) {
        return "gif";
    }
    if (image.subarray(0, 4).toString("latin1") === "RIFF" && image.subarray(8, 12).toString("latin1") === "WEBP") {
        return "webp";
    }
    const text = image.subarray(0, 4096).toString("utf8").replace(/^\uFEFF/, "").trimStart();
    return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text) ? "svg" : undefined;
}

/** Where the logo is in the hub's container: a path of course-hubs's own, with the format's extension. */
export function logoPath(format: LogoFormat): string {
    return `/usr/local/etc/jupyterhub/course-hubs-logo.${format}`;
}

/** The logo of a (validated) spec as a file: its path in the hub and its base64 text; undefined without one. */
export function logoFile(spec: Pick<HubSpec, "logo">): { path: string; base64: string } | undefined {
    if (spec.logo === undefined) {
        return undefined;
    }
    return { path: logoPath(logoFormat(Buffer.from(spec.logo, "base64"))!), base64: spec.logo };
}

/**
 * What the schema cannot check of a logo: that its bytes are an image of a format a browser shows,
 * within {@link MAX_LOGO_BYTES}; and an SVG without scripts (the hub serves it from its own
 * address, where a script would run with a visitor's session).
 */
export function checkLogo(check: ProblemCollector, path: string, spec: HubSpec, valid: (part: string) => boolean): void {
    if (!valid("logo") || typeof spec.logo !== "string") {
        return;
    }
    const image = Buffer.from(spec.logo, "base64");
    const at = `${path}.logo`;
    const format = logoFormat(image);
    if (format === undefined) {
        check.add(at, "is not a PNG, JPEG, GIF, WebP or SVG image once base64-decoded: encode the image file itself, "
            + "for example with `base64 -w0 logo.png`");
    } else if (image.length > MAX_LOGO_BYTES) {
        check.add(at, `the image has ${Math.ceil(image.length / 1024)} KiB, more than ${MAX_LOGO_BYTES / 1024} KiB: scale it down `
            + "(the hub shows it in its top bar, a few dozen pixels high)");
    } else if (format === "svg" && /<script|\son[a-z]+\s*=|javascript:/i.test(image.toString("utf8"))) {
        check.add(at, "is an SVG with a script or an event handler, which would run on the hub's address: give a plain drawing, or a PNG");
    }
}
