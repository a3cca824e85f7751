import type { ClientInput, EntryProblem } from '../../../shared/client-formats.js';
import { isSecretName, looksLikeToken, MASK } from './secrets.js';

/** What `${…}` placeholders may draw on. Everything is passed in, so resolution is a pure function. */
export interface PlaceholderContext {
  env: Record<string, string | undefined>;
  /** VS Code `inputs[]` declared in the file, by id. */
  inputs: ReadonlyMap<string, ClientInput>;
  /** The user's answers to those inputs, by id. */
  answers: Record<string, string>;
  workspaceFolder?: string;
  home?: string;
  pathSeparator: string;
}

export interface ResolvedText {
  /** Resolved text; a placeholder that could not be resolved stays as written (never an empty string). */
  value: string;
  /** `value` with every secret substitution replaced by •••, for display. */
  masked: string;
  /** Some substitution was secret: a password input, a secret-named or token-looking variable. */
  secret: boolean;
  problems: EntryProblem[];
  needsInput: ClientInput[];
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Resolves `${VAR}`, `${env:VAR}`, `${input:id}`, `${workspaceFolder}` (and the small set of VS Code/Cursor
 * variables that need no editor: `${workspaceFolderBasename}`, `${userHome}`, `${pathSeparator}`, `${/}`).
 * `where` names the field in messages, e.g. "env PGPASSWORD".
 */
export function resolvePlaceholders(text: string, ctx: PlaceholderContext, where: string): ResolvedText {
  const out: ResolvedText = { value: '', masked: '', secret: false, problems: [], needsInput: [] };
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const literal = text.slice(last, match.index);
    out.value += literal;
    out.masked += literal;
    last = match.index + match[0].length;
    const sub = substitute(match[0], match[1]!.trim(), ctx, where, out);
    out.value += sub.value;
    out.masked += sub.secret ? MASK : sub.value;
    out.secret ||= sub.secret;
  }
  const tail = text.slice(last);
  out.value += tail;
  out.masked += tail;
  return out;
}

function substitute(
  written: string,
  body: string,
  ctx: PlaceholderContext,
  where: string,
  out: ResolvedText,
): { value: string; secret: boolean } {
  const unresolved = { value: written, secret: false };
  const colon = body.indexOf(':');
  const scheme = colon === -1 ? '' : body.slice(0, colon);
  const arg = colon === -1 ? body : body.slice(colon + 1);

  // Editor variables first: `${workspaceFolder}` also has the shape of a plain `${VAR}`.
  if (body === 'workspaceFolder' || body === 'workspaceFolderBasename') {
    const folder = ctx.workspaceFolder;
    if (folder === undefined) {
      out.problems.push({
        kind: 'unresolved_placeholder',
        message: `${where}: ${written} needs a workspace folder; choose the project folder this config belongs to`,
      });
      return unresolved;
    }
    return { value: body === 'workspaceFolder' ? folder : basename(folder), secret: false };
  }
  if ((scheme === 'env' && arg) || (scheme === '' && ENV_NAME.test(body))) {
    const value = ctx.env[arg];
    if (value === undefined) {
      out.problems.push({
        kind: 'unresolved_placeholder',
        message: `${where}: ${written} is not set in Switchboard's environment; set ${arg} and import again, or write the value in place`,
      });
      return unresolved;
    }
    return { value, secret: isSecretName(arg) || looksLikeToken(value) };
  }
  if (scheme === 'input') {
    const input = ctx.inputs.get(arg);
    if (!input) {
      out.problems.push({
        kind: 'unknown_input',
        message: `${where}: ${written} refers to an input the file does not declare; add "${arg}" to "inputs" or write the value in place`,
      });
      return unresolved;
    }
    const answer = ctx.answers[arg] ?? input.default;
    if (answer === undefined) {
      if (!out.needsInput.some((i) => i.id === arg)) out.needsInput.push(input);
      return { value: written, secret: input.password };
    }
    return { value: answer, secret: input.password || looksLikeToken(answer) };
  }
  if (body === 'userHome' && ctx.home !== undefined) return { value: ctx.home, secret: false };
  if (body === 'pathSeparator' || body === '/') return { value: ctx.pathSeparator, secret: false };

  out.problems.push({
    kind: 'unsupported_placeholder',
    message: `${where}: ${written} is an editor variable Switchboard cannot resolve; replace it with the actual value`,
  });
  return unresolved;
}

function basename(folder: string): string {
  return (
    folder
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? folder
  );
}
