import type { ServerDefinitionInput } from './server-definition.js';

export interface CatalogQuery {
  search?: string;
  cursor?: string;
  limit?: number;
}

/** One way to run a catalog server locally, worked out engine-side from the package's metadata. */
export interface CatalogInstall {
  /** "npm @scope/pkg@1.2.3", "PyPI mcp-server-x 0.4", "OCI ghcr.io/org/img:1". */
  label: string;
  registryType: 'npm' | 'pypi' | 'oci';
  /** The server form's values: nothing runs until the user saves (and, for a new server, starts) it. */
  draft: ServerDefinitionInput;
  /** The whole command line, shell-quoted, for a person to read before anything runs. */
  commandLine: string;
  /** Environment variables the package declares; `secret` ones are stored as secrets. */
  env: Array<{ name: string; description?: string; required: boolean; secret: boolean; default?: string }>;
  /** Values the user must fill in (required arguments without a value), by name or hint. */
  missing: string[];
}

export interface CatalogEntry {
  name: string;
  title?: string;
  description: string;
  version: string;
  repositoryUrl?: string;
  websiteUrl?: string;
  /** Packages as the registry lists them, including kinds we cannot run (nuget, mcpb). */
  packages: Array<{ registryType: string; identifier: string; version?: string; transport: string }>;
  remotes: Array<{ type: string; url: string }>;
  installs: CatalogInstall[];
}

export type CatalogPage =
  | { ok: true; registryUrl: string; entries: CatalogEntry[]; nextCursor: string | null }
  | { ok: false; registryUrl: string; offline: boolean; message: string };
