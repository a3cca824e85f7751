import type { ServerDefinition, ServerDefinitionInput } from '../../../shared/server-definition.js';
import { toDefinition } from '../engine.js';
import { appError } from './app-error.js';

/**
 * A server as the page (or an import) gives it, checked into a definition. A failure is an `invalid` AppApi
 * error without the `server "…": ` prefix: the form or import row it answers already names the server.
 */
export function validateServer(input: ServerDefinitionInput): ServerDefinition {
  try {
    return toDefinition(input);
  } catch (err) {
    throw appError('invalid', (err as Error).message.replace(/^server "[^"]*": /, ''));
  }
}
