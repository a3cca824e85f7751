import type { InitializeResult } from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcMessage } from '../protocol/jsonrpc.js';
import type { ClientRouter } from '../router/client-router.js';
import type { DownstreamSession } from '../router/session.js';
import type { FrameObserver } from '../telemetry/frame.js';
import type { PerSessionRouter } from './per-session-router.js';
import type { SharingDecisions } from './sharing-decisions.js';

/** What a shared child is offered of each client capability: anything beyond it needs a child of its own. */
const SHARED_OFFER: Record<string, string[]> = { sampling: [], elicitation: ['form'], roots: ['listChanged'] };

/**
 * Why a client's declared capabilities cannot be honoured by a shared child (it would miss tools or features that
 * a server of its own would give it), or null when they can.
 */
export function beyondSharedOffer(capabilities: unknown): string | null {
  if (!capabilities || typeof capabilities !== 'object') return null;
  for (const [key, value] of Object.entries(capabilities as Record<string, unknown>)) {
    const offered = SHARED_OFFER[key];
    if (!offered) {
      const empty = value && typeof value === 'object' && Object.keys(value).length === 0;
      if (key === 'experimental' && empty) continue;
      return `the client declares the "${key}" capability, which a shared child is not offered`;
    }
    const extra = value && typeof value === 'object' ? Object.keys(value).filter((k) => !offered.includes(k)) : [];
    if (extra.length > 0) return `the client declares ${key}.${extra[0]}, which a shared child is not offered`;
  }
  return null;
}

/**
 * The `auto` sharing mode: one shared child, until the server shows it needs a client of its own (it asks a
 * client for sampling, elicitation or roots). From then on, each new session gets its own child, as under
 * `per-session`; sessions already on the shared child stay there until they end. A client whose capabilities a
 * shared child cannot honour gets a child of its own at once. The decision is stored and can be reset.
 */
export class AutoRouter implements ClientRouter {
  private readonly own = new Set<DownstreamSession>();

  constructor(
    private readonly name: string,
    private readonly shared: ClientRouter,
    private readonly perSession: PerSessionRouter,
    private readonly decisions: SharingDecisions,
  ) {}

  /** The shared child asked a client something: from now on new sessions get their own child. */
  serverAsked(method: string): void {
    this.decisions.decide(this.name, `the server asked a client for ${method}`);
  }

  get inflightCount(): number {
    return this.shared.inflightCount + this.perSession.inflightCount;
  }

  get serverInitialize(): InitializeResult | null {
    return this.shared.serverInitialize;
  }

  fromClient(session: DownstreamSession, msg: JsonRpcMessage): void {
    if (this.own.has(session)) return this.perSession.fromClient(session, msg);
    if (msg.method === 'initialize' && msg.id !== undefined && !session.observer && this.needsOwnChild(msg)) {
      this.own.add(session);
      return this.perSession.fromClient(session, msg);
    }
    this.shared.fromClient(session, msg);
  }

  private needsOwnChild(msg: JsonRpcMessage): boolean {
    return this.decisions.get(this.name) !== undefined || beyondSharedOffer(msg.params?.capabilities) !== null;
  }

  detach(session: DownstreamSession, reason?: string): void {
    if (this.own.delete(session)) this.perSession.detach(session, reason);
    else this.shared.detach(session, reason);
  }

  request(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<unknown> {
    return this.shared.request(method, params, timeoutMs);
  }

  observe(observer: FrameObserver | null): void {
    this.shared.observe(observer);
    this.perSession.observe(observer);
  }
}
