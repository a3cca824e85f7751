/**
 * Parses the dotenv files VS Code's `envFile` points at: `KEY=value`, optional `export `, `#` comments, single
 * or double quotes (double quotes understand \n), and `#` after a space starting an inline comment in unquoted
 * values. Lines that are not assignments are reported by number rather than guessed at.
 */
export function parseEnvFile(text: string): { vars: Record<string, string>; badLines: number[] } {
  const vars: Record<string, string> = {};
  const badLines: number[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      badLines.push(i + 1);
      return;
    }
    vars[match[1]!] = unquote(match[2]!);
  });
  return { vars, badLines };
}

function unquote(value: string): string {
  const quote = value[0];
  if (quote === '"' || quote === "'") {
    const end = value.lastIndexOf(quote);
    if (end > 0) {
      const inner = value.slice(1, end);
      return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\"/g, '"') : inner;
    }
  }
  return value.replace(/\s+#.*$/, '').trim();
}
