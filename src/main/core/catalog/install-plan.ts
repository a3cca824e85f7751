import type { CatalogInstall } from '../../../shared/catalog.js';
import type { RegistryArgument, RegistryPackage, RegistryServer } from './registry-schema.js';

/**
 * How to run a registry package locally, from its metadata alone: `npx -y` for npm, `uvx` for PyPI, `docker run`
 * for OCI images; declared arguments in order; declared environment variables as the server's env (secret ones
 * marked, so the form stores them as secrets). Nothing here runs anything: the result fills the server form.
 */
export function installFor(server: RegistryServer, pkg: RegistryPackage): CatalogInstall | null {
  if ((pkg.transport?.type ?? 'stdio') !== 'stdio') return null; // an HTTP package is a remote, not a child
  const missing: string[] = [];
  const runtimeArgs = argv(pkg.runtimeArguments ?? [], missing);
  const packageArgs = argv(pkg.packageArguments ?? [], missing);
  const env = (pkg.environmentVariables ?? []).map((v) => ({
    name: v.name,
    ...(v.description ? { description: v.description } : {}),
    required: v.isRequired ?? false,
    secret: v.isSecret ?? false,
    ...(v.default !== undefined ? { default: v.default } : {}),
  }));
  const version = pkg.version ?? server.version;
  let command: string;
  let args: string[];
  let label: string;
  switch (pkg.registryType) {
    case 'npm':
      command = pkg.runtimeHint ?? 'npx';
      args = [
        ...(runtimeArgs.length ? runtimeArgs : ['-y']),
        version ? `${pkg.identifier}@${version}` : pkg.identifier,
      ];
      label = `npm ${pkg.identifier}${version ? `@${version}` : ''}`;
      break;
    case 'pypi':
      command = pkg.runtimeHint ?? 'uvx';
      args = [...runtimeArgs, version ? `${pkg.identifier}==${version}` : pkg.identifier];
      label = `PyPI ${pkg.identifier}${version ? ` ${version}` : ''}`;
      break;
    case 'oci': {
      command = pkg.runtimeHint ?? 'docker';
      // The container sees only the variables named here (-e NAME passes the value from the server's env).
      const passEnv = env.flatMap((v) => ['-e', v.name]);
      const image = pkg.identifier.includes(':') || !version ? pkg.identifier : `${pkg.identifier}:${version}`;
      args = ['run', '-i', '--rm', ...passEnv, ...runtimeArgs, image];
      label = `OCI ${image}`;
      break;
    }
    default:
      return null; // nuget, mcpb …: no runtime we launch
  }
  args = [...args, ...packageArgs];
  return {
    label,
    registryType: pkg.registryType,
    draft: {
      name: draftName(server.name),
      command,
      args,
      env: Object.fromEntries(env.map((v) => [v.name, v.default ?? ''])),
      secretEnvKeys: env.filter((v) => v.secret).map((v) => v.name),
      // A first start may download the package: it starts disabled, so the user reviews and starts it.
      enabled: false,
    },
    commandLine: [command, ...args].map(shellQuote).join(' '),
    env,
    missing: [...missing, ...env.filter((v) => v.required && v.default === undefined).map((v) => v.name)],
  };
}

/** Declared arguments as argv: a fixed `value` as given, else the default, else a visible placeholder. */
function argv(declared: RegistryArgument[], missing: string[]): string[] {
  const out: string[] = [];
  for (const a of declared) {
    const hint = a.type === 'named' ? a.name : (a.valueHint ?? 'value');
    const value = a.value ?? a.default;
    if (value === undefined && !a.isRequired) continue; // optional and empty: leave it out
    const shown = value ?? `<${hint}>`;
    if (value === undefined) missing.push(hint);
    if (a.type === 'named') out.push(a.name, shown);
    else out.push(shown);
  }
  return out;
}

/** "io.github.user/weather-server" → "weather-server": the part a person recognises, safe in a URL. */
export function draftName(registryName: string): string {
  const last = registryName.split('/').pop() ?? registryName;
  const safe = last
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .replace(/^[-_.]+|[-_.]+$/g, '')
    .slice(0, 64);
  return safe || 'server';
}

function shellQuote(s: string): string {
  return /^[a-zA-Z0-9_./:@=,+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
