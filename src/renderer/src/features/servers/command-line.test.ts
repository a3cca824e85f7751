import { describe, expect, it } from 'vitest';
import { commandLine, looksLikeCommandLine, parseCommandLine, throughShell } from './command-line.js';

const words = (line: string) => {
  const parsed = parseCommandLine(line);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.words;
};

describe('parseCommandLine', () => {
  it('splits on whitespace', () => {
    expect(words('npx -y @modelcontextprotocol/server-everything')).toEqual([
      'npx',
      '-y',
      '@modelcontextprotocol/server-everything',
    ]);
    expect(words('  node\tserver.js   --port  1  ')).toEqual(['node', 'server.js', '--port', '1']);
    expect(words('')).toEqual([]);
  });

  it('honours single quotes, double quotes and backslashes like a POSIX shell', () => {
    expect(words(`node "/path with space/x.js" --flag='a b'`)).toEqual(['node', '/path with space/x.js', '--flag=a b']);
    expect(words(`echo 'it'\\''s' "say \\"hi\\"" a\\ b "" ''`)).toEqual(['echo', "it's", 'say "hi"', 'a b', '', '']);
    expect(words(`x "back\\\\slash" "not \\n special" 'no $HOME here'`)).toEqual([
      'x',
      'back\\slash',
      'not \\n special',
      'no $HOME here',
    ]);
  });

  it('round-trips what commandLine quotes', () => {
    const args = ['-c', "it's", 'a b', '', '$(x)', 'semi;colon', 'tab\there'];
    expect(words(commandLine('cmd', args))).toEqual(['cmd', ...args]);
  });

  it('reports shell syntax outside quotes, and only there', () => {
    const parsed = parseCommandLine('cd /srv && npm start | tee log; echo $(date) > out &');
    expect(parsed.ok && [...parsed.shellSyntax].sort()).toEqual(['$(', '&', '&&', '>', ';', '|'].sort());
    const quoted = parseCommandLine(`node x.js --sep '&&' "a|b" 'c;d' --re='>'`);
    expect(quoted).toEqual({
      ok: true,
      words: ['node', 'x.js', '--sep', '&&', 'a|b', 'c;d', '--re=>'],
      shellSyntax: [],
    });
    const substituted = parseCommandLine('node "$(whoami)"');
    expect(substituted.ok && substituted.shellSyntax).toEqual(['$(']);
  });

  it('says when a quote is left open', () => {
    expect(parseCommandLine(`node "x.js`)).toEqual({ ok: false, message: 'a double quote is not closed' });
    expect(parseCommandLine(`node 'x.js`)).toEqual({ ok: false, message: 'a single quote is not closed' });
  });
});

describe('throughShell and looksLikeCommandLine', () => {
  it('wraps the whole line in sh -c, or cmd.exe /c on Windows', () => {
    expect(throughShell('a && b', 'linux')).toEqual({ command: 'sh', args: ['-c', 'a && b'] });
    expect(throughShell('a && b', 'win32')).toEqual({ command: 'cmd.exe', args: ['/d', '/s', '/c', 'a && b'] });
  });

  it('tells a command from a command line', () => {
    expect(looksLikeCommandLine('npx')).toBe(false);
    expect(looksLikeCommandLine('/usr/bin/node ')).toBe(false);
    expect(looksLikeCommandLine('npx -y x')).toBe(true);
    expect(looksLikeCommandLine('"/opt/my app/run"')).toBe(true);
  });
});
