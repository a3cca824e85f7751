/**
 * Resource URIs in the aggregate are namespaced by server:
 *
 *     switchboard://<server>/<original URI, verbatim>
 *
 * e.g. `file:///notes/a.md` of server `files` is `switchboard://files/file:///notes/a.md`. The original is appended
 * as it is, not encoded, so the mapping is a plain prefix: it round-trips exactly, and a resource template stays a
 * valid RFC 6570 template (`switchboard://everything/test://static/resource/{id}` expands to the namespaced form of
 * what the server's own template expands to). Server names are URL-safe already; they are still %-encoded here.
 */
const SCHEME = 'switchboard://';

export function namespaceUri(server: string, uri: string): string {
  return `${SCHEME}${encodeURIComponent(server)}/${uri}`;
}

/** The server and original URI of a namespaced URI; undefined for anything else. */
export function splitUri(uri: string): { server: string; uri: string } | undefined {
  if (!uri.startsWith(SCHEME)) return undefined;
  const slash = uri.indexOf('/', SCHEME.length);
  if (slash < 0) return undefined;
  try {
    return { server: decodeURIComponent(uri.slice(SCHEME.length, slash)), uri: uri.slice(slash + 1) };
  } catch {
    return undefined;
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null;
}

/** Namespaces the URI of one content block (`resource_link`, or an embedded `resource`). */
function namespaceContent(server: string, block: unknown): unknown {
  if (!isObject(block)) return block;
  if (block.type === 'resource_link' && typeof block.uri === 'string')
    return { ...block, uri: namespaceUri(server, block.uri) };
  if (block.type === 'resource' && isObject(block.resource) && typeof block.resource.uri === 'string')
    return { ...block, resource: { ...block.resource, uri: namespaceUri(server, block.resource.uri) } };
  return block;
}

/**
 * Namespaces the resource URIs a result carries, so a client can read what a tool or prompt points at through the
 * aggregate: `content` blocks (tools/call), `messages[].content` (prompts/get), `contents[].uri` (resources/read).
 */
export function namespaceResult(server: string, result: unknown): unknown {
  if (!isObject(result)) return result;
  const out: Json = { ...result };
  if (Array.isArray(result.content)) out.content = result.content.map((b) => namespaceContent(server, b));
  if (Array.isArray(result.messages)) {
    out.messages = result.messages.map((m) =>
      isObject(m) ? { ...m, content: namespaceContent(server, m.content) } : m,
    );
  }
  if (Array.isArray(result.contents)) {
    out.contents = result.contents.map((c) =>
      isObject(c) && typeof c.uri === 'string' ? { ...c, uri: namespaceUri(server, c.uri) } : c,
    );
  }
  return out;
}
