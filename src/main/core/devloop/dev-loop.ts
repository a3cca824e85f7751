import type { ProblemView, SchemaRunView } from '../../../shared/app-api.js';
import type { Engine } from '../engine.js';
import { SchemaRunRepository, type SchemaRun } from '../store/schema-run-repository.js';
import type { TelemetryHub } from '../app/telemetry-hub.js';
import type { Logger } from '../util/logger.js';
import { LiveLinter } from './live-linter.js';
import { RestartOnChange } from './restart-on-change.js';
import { SchemaWatcher } from './schema-watcher.js';

export interface DevLoopParts {
  engine: Engine;
  telemetry: Pick<TelemetryHub, 'traffic' | 'logs' | 'metrics'>;
  /** The store's database file (schema runs live in it, migration 002); null: no history is kept. */
  databaseFile: string | null;
  logger: Logger;
}

/**
 * The developer's loop for hosts with a dashboard: a schema diff after every start of every server (kept in the
 * store, so it survives restarts of Switchboard) and the protocol linter on every frame, counted in /metrics.
 */
export class DevLoop {
  readonly schema: SchemaWatcher | null;
  readonly linter: LiveLinter;
  readonly restartOnChange: RestartOnChange;

  constructor(parts: DevLoopParts) {
    this.schema = parts.databaseFile
      ? new SchemaWatcher(parts.engine, new SchemaRunRepository(parts.databaseFile), parts.logger.child('devloop'))
      : null;
    this.restartOnChange = new RestartOnChange(parts.engine, parts.logger.child('devloop'));
    const { traffic, logs, metrics } = parts.telemetry;
    this.linter = new LiveLinter({
      onTrafficBatch: (fn) => traffic.onBatch(fn),
      onLogBatch: (fn) => logs.onBatch(fn),
      count: (server, f) => metrics.countLintFinding(server, f.rule, f.severity),
      countUnchecked: (server, frames) => metrics.countLintUnchecked(server, frames),
    });
  }

  schemaHistory(server: string, limit = 10): SchemaRunView[] {
    return (this.schema?.history(server, Math.min(Math.max(1, limit), 50)) ?? []).map(runView);
  }

  problems(server?: string): ProblemView[] {
    return this.linter.problems(server).map((p) => ({ ...p }));
  }

  dispose(): void {
    this.schema?.dispose();
    this.linter.dispose();
    this.restartOnChange.dispose();
  }
}

function runView(run: SchemaRun): SchemaRunView {
  const s = run.snapshot;
  return {
    id: run.id,
    time: run.time,
    first: run.first,
    counts: {
      tools: s.tools.length,
      resources: s.resources.length,
      resourceTemplates: s.resourceTemplates.length,
      prompts: s.prompts.length,
    },
    changes: run.changes,
  };
}
