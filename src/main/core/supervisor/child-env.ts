/**
 * The environment a child server gets: an allowlist of the parent's variables plus what the server declares.
 * Never the whole parent environment unless the user asks for it (`passEnvironment`): the parent may hold
 * secrets, NODE_OPTIONS or ELECTRON_RUN_AS_NODE that must not leak into a third-party server.
 */
const POSIX_ALLOWLIST = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'TMPDIR', 'LANG'];
const WINDOWS_ALLOWLIST = [
  'APPDATA',
  'HOMEDRIVE',
  'HOMEPATH',
  'LOCALAPPDATA',
  'PATH',
  'PATHEXT',
  'PROCESSOR_ARCHITECTURE',
  'PROGRAMFILES',
  'SYSTEMDRIVE',
  'SYSTEMROOT',
  'TEMP',
  'TMP',
  'USERNAME',
  'USERPROFILE',
  'WINDIR',
];

export const inheritedVariables: readonly string[] = process.platform === 'win32' ? WINDOWS_ALLOWLIST : POSIX_ALLOWLIST;

/**
 * The gateway's own configuration: API_ACCESS_TOKEN is full access to the gateway's API (adding servers included),
 * TRANSPORT_* and SWITCHBOARD_* are its settings. A child has no business with any of them, so they are withheld
 * even when the user passes the whole environment. A server that truly needs one can still declare it in its env.
 */
export function isGatewayVariable(name: string): boolean {
  const upper = name.toUpperCase(); // Windows names are case-insensitive
  return upper === 'API_ACCESS_TOKEN' || upper.startsWith('TRANSPORT_') || upper.startsWith('SWITCHBOARD_');
}

export interface ChildEnvOptions {
  declared?: Record<string, string>;
  passEnvironment?: boolean;
  parent?: NodeJS.ProcessEnv;
}

export function buildChildEnv({ declared = {}, passEnvironment = false, parent = process.env }: ChildEnvOptions) {
  const env: Record<string, string> = {};
  if (passEnvironment) {
    for (const [key, value] of Object.entries(parent)) {
      if (value !== undefined && !isGatewayVariable(key)) env[key] = value;
    }
  } else {
    for (const key of inheritedVariables) {
      const value = parent[key];
      // A value starting with "()" is an exported shell function: a known injection vector, never passed on.
      if (value !== undefined && !value.startsWith('()')) env[key] = value;
    }
  }
  return Object.assign(env, declared);
}
