/*
 * Shapes of strings that the options of several components share. Each pattern lives here, in the
 * TSDoc, once: `npm run schema` carries it into the JSON Schemas under schema/, which validate the
 * options at run time and check stack files in an editor; `patternErrorMessage` is the help a
 * person reads when a value does not match (editors with the YAML or JSON language server show it
 * too).
 */

/**
 * A lowercase fully qualified host name, such as `cs101.hubs.example.edu`.
 * @pattern ^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$
 * @patternErrorMessage use a lowercase fully qualified name such as cs101.hubs.example.edu
 */
export type Hostname = string;

/**
 * An email address (as far as a typo goes).
 * @pattern ^[^\s@]+@[^\s@]+\.[^\s@]+$
 * @patternErrorMessage use an email address such as course-it@example.edu
 */
export type EmailAddress = string;

/**
 * An IPv4 network in CIDR notation, such as `203.0.113.0/24`.
 * @pattern ^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$
 * @patternErrorMessage use an IPv4 CIDR block such as 203.0.113.0/24
 */
export type Ipv4Cidr = string;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as `203.0.113.0/24` or `2001:db8:1234::/48`. The
 * shape only; the address, the prefix and the host bits are checked by `parseCidr` (components/cidr.ts).
 * @pattern ^[0-9A-Fa-f.:]+\/\d{1,3}$
 * @patternErrorMessage use a CIDR block such as 203.0.113.0/24 or 2001:db8::/32
 */
export type IpCidr = string;

/**
 * An `https://` URL.
 * @pattern ^https:\/\/[^\s/]+(\/\S*)?$
 * @patternErrorMessage use an https:// URL such as https://github.com/example-university/cs101-notebooks
 */
export type HttpsUrl = string;

/**
 * A Kubernetes name of one DNS label: lowercase letters, digits and hyphens, such as `gpu`.
 * @pattern ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$
 * @patternErrorMessage use lowercase letters, digits and hyphens, such as gpu or postgres
 */
export type DnsLabel = string;

/**
 * A Kubernetes object name (a DNS subdomain), such as `cs101-tls` or `gp3`.
 * @pattern ^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$
 * @patternErrorMessage use a Kubernetes object name: lowercase letters, digits, hyphens and dots, such as cs101-tls
 */
export type KubernetesName = string;

/**
 * A hub's physical name on Kubernetes or EC2, in place of `<course>-<term>`: a DNS label of at most
 * 53 characters, Helm's longest release name (an EKS cluster allows 100).
 * @pattern ^(?=.{1,53}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$
 * @patternErrorMessage use at most 53 lowercase letters, digits and hyphens, starting and ending with a letter or digit, such as cs101-fall-2026-staging
 */
export type HubPhysicalName = string;

/**
 * A GKE hub's physical name, in place of `<course>-<term>`: 3 to 24 lowercase letters, digits and
 * hyphens, starting with a letter, so that the service account ids made from it (`<name>-nodes`,
 * at most 30 characters) keep it whole and differ from another hub's.
 * @pattern ^[a-z][a-z0-9-]{1,22}[a-z0-9]$
 * @patternErrorMessage use 3 to 24 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit, such as cs101-f26-staging
 */
export type GkeHubPhysicalName = string;
