/** A command line for display, each argument quoted the way a POSIX shell would need it. Never executed. */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(quote).join(' ');
}

function quote(word: string): string {
  if (word === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** What a pasted command line holds: its words, and any shell syntax Switchboard (which runs no shell) would not honour. */
export type ParsedCommandLine = { ok: true; words: string[]; shellSyntax: string[] } | { ok: false; message: string };

// Outside quotes, these only mean something to a shell: chaining, pipes, redirection, substitution, background.
const OPERATORS = ['&&', '||', '$(', '>>', '|', ';', '>', '<', '`', '&'];

/**
 * Splits a command line the way a POSIX shell would split words, without expanding anything: 'single quotes'
 * keep everything, "double quotes" honour \" \\ \$ and \`, a backslash outside quotes escapes the next
 * character. Shell operators outside quotes are reported, not interpreted.
 */
export function parseCommandLine(line: string): ParsedCommandLine {
  const words: string[] = [];
  const shellSyntax = new Set<string>();
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1]!)) word += line[++i];
      else {
        if (c === '`' || (c === '$' && line[i + 1] === '(')) shellSyntax.add(c === '`' ? '`' : '$(');
        word += c;
      }
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === '\\') {
      if (i + 1 < line.length) word += line[++i];
      inWord = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      shellSyntax.add(op);
      if (inWord) words.push(word);
      words.push(op);
      word = '';
      inWord = false;
      i += op.length - 1;
      continue;
    }
    word += c;
    inWord = true;
  }
  if (quote) return { ok: false, message: `a ${quote === "'" ? 'single' : 'double'} quote is not closed` };
  if (inWord) words.push(word);
  return { ok: true, words, shellSyntax: [...shellSyntax] };
}

/** The explicit shell a user may choose for a line with shell syntax: never chosen for them. */
export function throughShell(line: string, platform: string): { command: string; args: string[] } {
  return platform === 'win32'
    ? { command: 'cmd.exe', args: ['/d', '/s', '/c', line] }
    : { command: 'sh', args: ['-c', line] };
}

/** True when the Command field holds more than a command: spaces or quotes outside a plain path. */
export function looksLikeCommandLine(text: string): boolean {
  return /\s|['"]/.test(text.trim());
}
