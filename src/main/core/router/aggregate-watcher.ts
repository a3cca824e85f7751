import type { JsonRpcMessage } from '../protocol/jsonrpc.js';
import { latestProtocolVersion } from '../protocol/versions.js';
import type { AggregateMember } from './aggregate-source.js';
import type { DownstreamSession } from './session.js';

export type ChangeKind = 'tools' | 'prompts' | 'resources';

const LIST_CHANGED = /^notifications\/(tools|prompts|resources)\/list_changed$/;

/**
 * The aggregate's own quiet session on one shared server, so the catalogue hears that server's list_changed
 * (and the router's after a restart) through the router's ordinary broadcast, with no hook in the router. It
 * declares no capabilities, so the router never picks it for sampling, elicitation or roots.
 */
export class ListWatcher implements DownstreamSession {
  readonly id: string;
  readonly transport = 'internal' as const;
  readonly observer = true;
  readonly inflight = new Map<string | number, number>();
  readonly subscriptions = new Set<string>();
  clientCapabilities?: Record<string, unknown>;
  protocolVersion?: string;

  constructor(
    private readonly member: AggregateMember,
    private readonly onChange: (kind: ChangeKind) => void,
  ) {
    this.id = `aggregate-watch:${member.name}`;
    // Answered from the router's cache: the child sees nothing, and the router now counts this session in.
    member.router.fromClient(this, {
      jsonrpc: '2.0',
      id: 'switchboard:watch',
      method: 'initialize',
      params: {
        protocolVersion: latestProtocolVersion,
        capabilities: {},
        clientInfo: { name: 'switchboard-aggregate', version: '0.1.0' },
      },
    });
  }

  deliver(msg: JsonRpcMessage): void {
    const match = LIST_CHANGED.exec(msg.method ?? '');
    if (match) this.onChange(match[1] as ChangeKind);
  }

  canReceive(): boolean {
    return false;
  }

  release(): void {}

  close(): void {
    this.member.router.detach(this, 'the aggregate stopped watching');
  }
}
