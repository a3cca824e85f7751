/**
 * Telling secrets apart in imported configs. Users paste tokens straight into `env` and `args`; the preview and
 * every log must show •••. We err towards calling a thing secret: a masked path costs a click, a leaked token
 * costs a rotation.
 */

export const MASK = '•••';

const SECRET_WORDS = /token|secret|key|password|passwd|credential/i;
// `pat` alone (GITHUB_PAT, pat) marks a personal access token; as a substring it would catch PATH and *_PATH.
const PAT_SEGMENT = /(^|[^a-z])pat([^a-z]|$)/i;

/** An env var name that usually holds a credential: *_TOKEN, API_KEY, PGPASSWORD, GITHUB_PAT… */
export function isSecretName(name: string): boolean {
  return SECRET_WORDS.test(name) || PAT_SEGMENT.test(name.replace(/([a-z])([A-Z])/g, '$1_$2'));
}

/** Well-known token shapes, anywhere in a string. Each match is masked in displays. */
const TOKEN_PATTERNS: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub classic tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI, Anthropic (sk-ant-…), Stripe-like
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\bnpm_[A-Za-z0-9]{30,}/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, // JWT
  /(?<=\bbearer\s+)[^\s"',]+/gi,
];

// A long unbroken run of letters and digits (both present) with no path or URL punctuation: an opaque key.
const OPAQUE = /^[A-Za-z0-9_-]{32,}$/;

/** A value that looks like a credential whatever its variable is called. */
export function looksLikeToken(value: string): boolean {
  if (OPAQUE.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value)) return true;
  return TOKEN_PATTERNS.some((p) => new RegExp(p.source, p.flags.replace('g', '')).test(value));
}

/** `value` with every token-shaped part, and the password of a `scheme://user:pass@host` URL, masked. */
export function maskTokens(value: string): string {
  if (OPAQUE.test(value) && looksLikeToken(value)) return MASK;
  let out = value.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)([^@\s]+)(@)/gi, `$1${MASK}$3`);
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, MASK);
  return out;
}

/**
 * Whether an env variable is to be treated as a secret (secretEnvKeys): the rule the import preview marks by, and
 * the one `--config` files and exports follow. Its name, or its value's shape, gives it away.
 */
export function isSecretEnvVar(name: string, value: string): boolean {
  return isSecretName(name) || looksLikeToken(value) || maskTokens(value) !== value;
}
