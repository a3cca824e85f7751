/**
 * Scrubs secrets out of text before telemetry keeps it (traffic rows, stderr lines). Three kinds of secret:
 * values someone marked secret (env values, the gateway token), credentials in well-known places (Authorization
 * headers, bearer tokens, `"password": "…"` keys) and token shapes that are credentials wherever they appear.
 * Replacements never contain quotes or backslashes, so a redacted JSON payload stays valid JSON.
 */
export const REDACTED = '[redacted]';

/** Marked values shorter than this are not redacted: replacing every "1" or "yes" would garble all traffic. */
export const MIN_SECRET_LENGTH = 4;

/** Long-lived credential formats worth catching even when nobody marked them. */
const tokenShapes = new RegExp(
  [
    String.raw`\bgh[pousr]_[A-Za-z0-9]{20,}`, // GitHub classic tokens
    String.raw`\bgithub_pat_[A-Za-z0-9_]{20,}`, // GitHub fine-grained tokens
    String.raw`\bglpat-[A-Za-z0-9_-]{20,}`, // GitLab
    String.raw`\bsk-[A-Za-z0-9_-]{20,}`, // OpenAI, Anthropic (sk-proj-…, sk-ant-…), Stripe secret keys
    String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,}`, // Slack
    String.raw`\bAKIA[0-9A-Z]{16}\b`, // AWS access key ids
    String.raw`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`, // JWTs
  ].join('|'),
  'g',
);

const secretKeys =
  'password|passwd|secret|token|api[_-]?key|x-api-key|access[_-]?token|refresh[_-]?token|client[_-]?secret|private[_-]?key';

/**
 * Credentials by position, case-insensitive: an Authorization header or field (keeping its scheme), a bare
 * `Bearer x`, and JSON string values under secret-sounding keys.
 */
const positional = new RegExp(
  [
    String.raw`(\bauthorization(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)(?:(basic|bearer|token|digest)\s+)?[^"'\s,;}\\]+`,
    String.raw`(\bbearer\s+)[A-Za-z0-9._~+/=-]+`,
    String.raw`("(?:${secretKeys})"\s*:\s*")(?:[^"\\]|\\.)*(")`,
  ].join('|'),
  'gi',
);

/**
 * Every pattern above needs one of these words or prefixes, so a text with none of them (most traffic) is left as
 * it is after one scan instead of two. Case-insensitive, so it finds a superset of what the patterns match.
 */
const triggers =
  /gh[pousr]_|github_pat_|glpat-|\bsk-|xox[abposr]-|AKIA|eyJ|authorization|bearer|passw(?:or)?d|secret|token|api[_-]?key|private[_-]?key/i;

function replacePositional(
  match: string,
  header?: string,
  scheme?: string,
  bearer?: string,
  key?: string,
  close?: string,
): string {
  if (header !== undefined) return `${header}${scheme ? `${scheme} ` : ''}${REDACTED}`;
  if (bearer !== undefined) return `${bearer}${REDACTED}`;
  if (key !== undefined) return `${key}${REDACTED}${close}`;
  return match;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Env variable names whose values are secret unless someone says otherwise. */
export function looksSecretName(name: string): boolean {
  return /(token|secret|passw(or)?d|api_?key|private_?key|credential|auth(?!or))/i.test(name);
}

export class Redactor {
  private readonly secrets = new Set<string>();
  private literals: RegExp | null = null;

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.addSecret(s);
  }

  /** Marks a value secret wherever it appears. False (and ignored) when too short to redact safely. */
  addSecret(value: string): boolean {
    if (value.length < MIN_SECRET_LENGTH) return false;
    if (this.secrets.has(value)) return true;
    this.secrets.add(value);
    this.literals = null;
    return true;
  }

  removeSecret(value: string): void {
    if (this.secrets.delete(value)) this.literals = null;
  }

  /**
   * Marks the values of a server's env secret: the names in `marked` (what the user ticked), plus names that
   * look secret (`GITHUB_TOKEN`, `OPENAI_API_KEY`). Returns how many values were added.
   */
  addSecretsFromEnv(env: Record<string, string | undefined>, marked: Iterable<string> = []): number {
    const names = new Set(marked);
    let added = 0;
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined || !(names.has(name) || looksSecretName(name))) continue;
      if (this.addSecret(value)) added++;
    }
    return added;
  }

  redact(text: string): string {
    let out = text;
    const literals = this.literals ?? this.buildLiterals();
    if (literals) out = out.replace(literals, REDACTED);
    if (!triggers.test(out)) return out;
    out = out.replace(tokenShapes, REDACTED);
    return out.replace(positional, replacePositional);
  }

  private buildLiterals(): RegExp | null {
    if (this.secrets.size === 0) return null;
    const variants = new Set<string>();
    for (const s of this.secrets) {
      variants.add(s);
      // Inside a JSON payload the value appears escaped ("a\"b"); match that spelling too.
      variants.add(JSON.stringify(s).slice(1, -1));
    }
    // Longest first, so a secret that contains another is replaced whole.
    const sorted = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.literals = new RegExp(sorted.join('|'), 'g');
    return this.literals;
  }
}
