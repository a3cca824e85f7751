/**
 * What one content item of a tool result (or resource, or prompt message) is, decided without trusting it: the
 * view renders `text` as text, `image` only as a data: URL of an image/* type with base64 data, and anything else
 * as JSON text. Nothing here is ever turned into HTML.
 */

export type ContentView =
  | { kind: 'text'; text: string }
  | { kind: 'image'; src: string; mimeType: string }
  | { kind: 'resource'; uri: string; mimeType?: string; text?: string; image?: string }
  | { kind: 'json'; label: string; json: string };

const IMAGE_MIME = /^image\/[a-z0-9.+-]+$/i;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** A data: URL for base64 image data, or null when the type is not an image or the data is not base64. */
export function imageDataUrl(mimeType: unknown, data: unknown): string | null {
  if (typeof mimeType !== 'string' || typeof data !== 'string') return null;
  if (!IMAGE_MIME.test(mimeType) || !BASE64.test(data)) return null;
  return `data:${mimeType.toLowerCase()};base64,${data.replace(/\s+/g, '')}`;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

export function viewContent(item: Record<string, unknown>): ContentView {
  const type = item.type;
  if (type === 'text' && typeof item.text === 'string') return { kind: 'text', text: item.text };
  if (type === 'image') {
    const src = imageDataUrl(item.mimeType, item.data);
    if (src) return { kind: 'image', src, mimeType: String(item.mimeType) };
  }
  if (type === 'resource' && typeof item.resource === 'object' && item.resource !== null) {
    return viewResourceContents(item.resource as Record<string, unknown>);
  }
  if (typeof item.uri === 'string' && ('text' in item || 'blob' in item)) return viewResourceContents(item);
  if (type === 'audio') {
    const size = typeof item.data === 'string' ? Math.floor((item.data.length * 3) / 4) : 0;
    return {
      kind: 'json',
      label: `audio (${String(item.mimeType)}, ${size} bytes)`,
      json: json({ ...item, data: '…' }),
    };
  }
  return { kind: 'json', label: typeof type === 'string' ? type : 'content', json: json(item) };
}

/** One entry of `readResource().contents` or an embedded resource. */
export function viewResourceContents(item: Record<string, unknown>): ContentView {
  const uri = typeof item.uri === 'string' ? item.uri : '';
  const mimeType = typeof item.mimeType === 'string' ? item.mimeType : undefined;
  if (typeof item.text === 'string') return { kind: 'resource', uri, mimeType, text: item.text };
  const image = imageDataUrl(mimeType, item.blob);
  if (image) return { kind: 'resource', uri, mimeType, image };
  if (typeof item.blob === 'string') {
    return {
      kind: 'resource',
      uri,
      mimeType,
      text: `(${Math.floor((item.blob.length * 3) / 4)} bytes of binary data)`,
    };
  }
  return { kind: 'json', label: 'resource', json: json(item) };
}
