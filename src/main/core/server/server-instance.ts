import type { ServerDefinition } from '../../../shared/server-definition.js';
import type { EngineOptions } from '../engine-options.js';
import { SessionRouter } from '../router/session-router.js';
import type { ChildRegistry } from '../supervisor/child-registry.js';
import { HealthCheck, defaultHealthCheck } from '../supervisor/health-check.js';
import type { ProcessBudget } from '../supervisor/process-budget.js';
import { ServerSupervisor } from '../supervisor/server-supervisor.js';
import { StderrLimiter, droppedSummary } from '../supervisor/stderr-limiter.js';
import type { Logger } from '../util/logger.js';
import type { RouterOptions } from '../router/router-options.js';

/** Engine-wide settings every server instance takes its defaults from: the engine's own, and its services. */
export interface InstanceDefaults extends Pick<
  EngineOptions,
  'passEnvironment' | 'handshakeTimeoutMs' | 'stderrLinesPerSecond' | 'stdio' | 'router' | 'restart' | 'healthCheck'
> {
  logger: Logger;
  /** Where a child's stderr lines go (after the rate cap); by default, the logger. */
  onStderr?: (server: string, line: string, dropped: number) => void;
  budget: ProcessBudget;
  registry?: ChildRegistry;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * One child process and everything bound to it: its supervisor, its router, its health check and its stderr log.
 * A shared server has one; a per-session server has one per client session.
 */
export class ServerInstance {
  readonly supervisor: ServerSupervisor;
  readonly router: SessionRouter;
  private readonly healthCheck: HealthCheck;
  private readonly stderrLimiter: StderrLimiter;

  constructor(
    readonly label: string,
    def: ServerDefinition,
    defaults: InstanceDefaults,
    /** The sharing mode's part: exclusive for a per-session child, the `auto` mode's listener. */
    routerOverrides: Partial<RouterOptions> = {},
  ) {
    const logger = defaults.logger.child(def.name);
    const { timeouts, restart, toolFilter } = def.options;
    this.supervisor = new ServerSupervisor({
      name: label,
      spec: {
        command: def.command,
        args: def.args,
        env: def.env,
        cwd: def.cwd,
        passEnvironment: def.options.passEnvironment || defaults.passEnvironment,
      },
      limits: defaults.stdio,
      restart: { ...defaults.restart, ...defined(restart) },
      handshakeTimeoutMs: timeouts.startupMs ?? defaults.handshakeTimeoutMs,
      logger,
      budget: defaults.budget,
      registry: defaults.registry,
    });
    this.router = new SessionRouter(def.name, this.supervisor, logger, {
      ...defaults.router,
      ...defined({ requestTimeoutMs: timeouts.requestMs, maxRequestTimeoutMs: timeouts.maxRequestMs }),
      toolFilter,
      roots: def.options.roots,
      ...routerOverrides,
    });
    this.healthCheck = new HealthCheck(
      this.supervisor,
      (timeoutMs) => this.router.request('ping', {}, timeoutMs),
      { ...defaultHealthCheck, ...defaults.healthCheck },
      logger,
    );
    this.healthCheck.start();
    const stderrLog = logger.child('stderr');
    const write =
      defaults.onStderr ??
      ((_server: string, line: string, dropped: number) => {
        if (dropped > 0) stderrLog.warn(`dropped ${dropped} stderr lines over the rate cap`);
        stderrLog.info(line, { stderr: true });
      });
    // Drops arrive as one summary line a second (never glued to a kept line), so every sink stores them as a row.
    this.stderrLimiter = new StderrLimiter(def.options.stderrLinesPerSecond ?? defaults.stderrLinesPerSecond, {
      line: (line) => write(def.name, line, 0),
      dropped: (count) => write(def.name, droppedSummary(count), 0),
    });
    this.supervisor.stderr.on((line) => this.stderrLimiter.line(line));
  }

  async dispose(reason: string): Promise<void> {
    this.healthCheck.stop();
    await this.supervisor.stop(reason);
    this.stderrLimiter.dispose();
    this.router.dispose();
  }
}
