/**
 * Just enough of RFC 6570 for MCP resource templates: `{name}` (encoded), `{+name}` and `{#name}` (reserved
 * characters kept), `{/name}`, `{.name}`, `{?a,b}` and `{&a}`. Pure.
 */
const EXPRESSION = /\{([+#./;?&]?)([^}]+)\}/g;

export function templateVariables(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(EXPRESSION)) {
    for (const raw of match[2]!.split(',')) {
      const name = raw.replace(/[*]$|:\d+$/, '').trim();
      if (name && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

export function expandTemplate(template: string, values: Record<string, string>): string {
  return template.replace(EXPRESSION, (_all, op: string, list: string) => {
    const names = list.split(',').map((n) => n.replace(/[*]$|:\d+$/, '').trim());
    const enc = op === '+' || op === '#' ? encodeURI : encodeURIComponent;
    const present = names.filter((n) => values[n] !== undefined && values[n] !== '');
    if (present.length === 0) return '';
    if (op === '?' || op === '&') {
      const pairs = present.map((n) => `${n}=${encodeURIComponent(values[n]!)}`).join('&');
      return `${op}${pairs}`;
    }
    const parts = present.map((n) => enc(values[n]!));
    const prefix = op === '+' ? '' : op;
    const sep = op === '/' || op === '.' ? op : ',';
    return prefix + parts.join(sep);
  });
}
