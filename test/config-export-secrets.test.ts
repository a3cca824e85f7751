// Exports leave marked secrets out unless asked (issue 11 item 8): whole texts before and after.
import { describe, expect, it } from 'vitest';
import { exportClientConfig, type ExportServer } from '../src/main/core/config/client-export.js';
import type { ClientKind } from '../src/shared/client-formats.js';

const github: ExportServer = {
  name: 'github',
  command: 'npx',
  args: ['-y', '@modelcontextprotocol/server-github'],
  env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_realSecretValue0123456789abcdef', GITHUB_HOST: 'github.com' },
  secretEnvKeys: ['GITHUB_PERSONAL_ACCESS_TOKEN'],
};
const db: ExportServer = {
  name: 'my db',
  command: 'uvx',
  args: ['db-mcp'],
  env: { MY_SECRET: 'hunter2', FROM_ENV: '${env:FROM_ENV}' },
  secretEnvKeys: ['MY_SECRET', 'FROM_ENV'],
};

function run(client: ClientKind, servers: ExportServer[], options: Parameters<typeof exportClientConfig>[2] = {}) {
  const result = exportClientConfig(client, servers, options);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('exporting servers with secret env values', () => {
  it('VS Code: ${input:…} references with a matching password prompt', () => {
    const out = run('vscode', [github, db]);
    expect(out.text).toBe(`{
  "servers": {
    "github": {
      "type": "stdio",
      "command": "npx",
      "args": [
        "-y",
        "@modelcontextprotocol/server-github"
      ],
      "env": {
        "GITHUB_PERSONAL_ACCESS_TOKEN": "\${input:github-GITHUB_PERSONAL_ACCESS_TOKEN}",
        "GITHUB_HOST": "github.com"
      }
    },
    "my db": {
      "type": "stdio",
      "command": "uvx",
      "args": [
        "db-mcp"
      ],
      "env": {
        "MY_SECRET": "\${input:my-db-MY_SECRET}",
        "FROM_ENV": "\${env:FROM_ENV}"
      }
    }
  },
  "inputs": [
    {
      "type": "promptString",
      "id": "github-GITHUB_PERSONAL_ACCESS_TOKEN",
      "description": "GITHUB_PERSONAL_ACCESS_TOKEN for github",
      "password": true
    },
    {
      "type": "promptString",
      "id": "my-db-MY_SECRET",
      "description": "MY_SECRET for my db",
      "password": true
    }
  ]
}
`);
    expect(out.notes).toEqual([
      'github: secret values left out; VS Code asks for GITHUB_PERSONAL_ACCESS_TOKEN when it starts the server',
      'my db: secret values left out; VS Code asks for MY_SECRET when it starts the server',
    ]);
  });

  it.each<ClientKind>(['claude-desktop', 'cursor', 'windsurf'])(
    '%s: a placeholder and a note naming the keys',
    (client) => {
      const out = run(client, [github, db]);
      expect(out.text).toBe(`{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": [
        "-y",
        "@modelcontextprotocol/server-github"
      ],
      "env": {
        "GITHUB_PERSONAL_ACCESS_TOKEN": "<set GITHUB_PERSONAL_ACCESS_TOKEN>",
        "GITHUB_HOST": "github.com"
      }
    },
    "my db": {
      "command": "uvx",
      "args": [
        "db-mcp"
      ],
      "env": {
        "MY_SECRET": "<set MY_SECRET>",
        "FROM_ENV": "\${env:FROM_ENV}"
      }
    }
  }
}
`);
      expect(out.notes).toEqual([
        'github: secret values left out; replace "<set GITHUB_PERSONAL_ACCESS_TOKEN>" with the real values (or export with "include secret values")',
        'my db: secret values left out; replace "<set MY_SECRET>" with the real values (or export with "include secret values")',
      ]);
    },
  );

  it('writes the values only when "include secret values" is ticked', () => {
    const out = run('cursor', [github], { includeSecrets: true });
    expect(out.text).toContain('"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_realSecretValue0123456789abcdef"');
    expect(out.notes).toEqual([]);
    expect(run('vscode', [github], { includeSecrets: true }).text).not.toContain('"inputs"');
  });

  it('into an existing file: keeps the value or reference the user already has there', () => {
    const before = `{
  // my own prompt
  "servers": {
    "github": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "\${input:gh}", "GITHUB_HOST": "github.com" }
    }
  },
  "inputs": [{ "type": "promptString", "id": "gh", "password": true }]
}
`;
    const after = run('vscode', [github], { existing: before });
    expect(after.text).toBe(before); // nothing to change: no new prompt, no secret
    expect(after.notes).toEqual([]);

    const claude = `{ "mcpServers": { "github": { "command": "npx", "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "theirs" } } } }\n`;
    const out = run('claude-desktop', [github], { existing: claude });
    expect(out.text).toContain('"GITHUB_PERSONAL_ACCESS_TOKEN": "theirs"');
    expect(out.text).not.toContain('ghp_realSecretValue');
  });

  it('never changes the servers it was given', () => {
    const copy = structuredClone(github);
    run('cursor', [github]);
    expect(github).toEqual(copy);
  });
});
